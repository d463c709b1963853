using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>
/// A gateway that records the heartbeats and commits sent to group coordinators, can fail heartbeats for a while, and
/// can answer commits with STALE_MEMBER_EPOCH.
/// </summary>
internal sealed class GroupRecordingGateway(IClusterGateway inner) : IClusterGateway
{
    private readonly List<GroupHeartbeatRequest> _heartbeats = [];
    private readonly List<(OffsetCommitRequest Request, int HeartbeatsBefore)> _commits = [];
    private int _staleCommits;

    public IControllerGrain Controller => inner.Controller;

    public IProducerIdGrain ProducerIds => inner.ProducerIds;

    /// <summary>When set, heartbeats fail as a lost connection would (they do not reach the group).</summary>
    public bool FailHeartbeats { get; set; }

    /// <summary>The next this many commits are answered with STALE_MEMBER_EPOCH without reaching the group.</summary>
    public int StaleCommits
    {
        get => Volatile.Read(ref _staleCommits);
        set => Volatile.Write(ref _staleCommits, value);
    }

    /// <summary>Every commit sent, with how many heartbeats had gone out before it.</summary>
    public List<(OffsetCommitRequest Request, int HeartbeatsBefore)> Commits
    {
        get
        {
            lock (_heartbeats)
            {
                return [.. _commits];
            }
        }
    }

    public List<GroupHeartbeatRequest> Heartbeats
    {
        get
        {
            lock (_heartbeats)
            {
                return [.. _heartbeats];
            }
        }
    }

    public IBrokerGrain Broker(int brokerId) => inner.Broker(brokerId);

    public IConsumerGroupGrain Group(string groupId) => new RecordingGroup(this, inner.Group(groupId));

    private sealed class RecordingGroup(GroupRecordingGateway gateway, IConsumerGroupGrain inner) : IConsumerGroupGrain
    {
        public Task<GroupHeartbeatResponse> Heartbeat(GroupHeartbeatRequest request)
        {
            if (gateway.FailHeartbeats)
            {
                return Task.FromException<GroupHeartbeatResponse>(new TimeoutException("Heartbeat lost (test)."));
            }
            lock (gateway._heartbeats)
            {
                gateway._heartbeats.Add(request);
            }
            return inner.Heartbeat(request);
        }

        public Task<JoinGroupResponse> JoinGroup(JoinGroupRequest request) => inner.JoinGroup(request);

        public Task<SyncGroupResponse> SyncGroup(SyncGroupRequest request) => inner.SyncGroup(request);

        public Task<ErrorCode> ClassicHeartbeat(string memberId, int generationId, string? groupInstanceId) => inner.ClassicHeartbeat(memberId, generationId, groupInstanceId);

        public Task<IReadOnlyList<LeaveGroupResult>> LeaveGroup(IReadOnlyList<LeavingMember> members) => inner.LeaveGroup(members);

        public Task<IReadOnlyList<OffsetCommitResult>> CommitOffsets(OffsetCommitRequest request)
        {
            lock (gateway._heartbeats)
            {
                gateway._commits.Add((request, gateway._heartbeats.Count));
            }
            if (Interlocked.Decrement(ref gateway._staleCommits) >= 0)
            {
                IReadOnlyList<OffsetCommitResult> stale = [.. request.Offsets.Select(o => new OffsetCommitResult(o.Topic, o.Partition, ErrorCode.StaleMemberEpoch, "Stale (test)."))];
                return Task.FromResult(stale);
            }
            Interlocked.Exchange(ref gateway._staleCommits, 0);
            return inner.CommitOffsets(request);
        }

        public Task<OffsetFetchResponse> FetchOffsets(OffsetFetchRequest request) => inner.FetchOffsets(request);

        public Task<GroupDescription> Describe() => inner.Describe();

        public Task<ErrorCode> Delete() => inner.Delete();

        public Task ExpireOffsets() => inner.ExpireOffsets();
    }
}
