using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>A gateway that records the heartbeats sent to group coordinators, and can fail them for a while.</summary>
internal sealed class GroupRecordingGateway(IClusterGateway inner) : IClusterGateway
{
    private readonly List<GroupHeartbeatRequest> _heartbeats = [];

    public IControllerGrain Controller => inner.Controller;

    public IProducerIdGrain ProducerIds => inner.ProducerIds;

    /// <summary>When set, heartbeats fail as a lost connection would (they do not reach the group).</summary>
    public bool FailHeartbeats { get; set; }

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

        public Task<IReadOnlyList<OffsetCommitResult>> CommitOffsets(OffsetCommitRequest request) => inner.CommitOffsets(request);

        public Task<OffsetFetchResponse> FetchOffsets(OffsetFetchRequest request) => inner.FetchOffsets(request);

        public Task<GroupDescription> Describe() => inner.Describe();

        public Task<ErrorCode> Delete() => inner.Delete();

        public Task ExpireOffsets() => inner.ExpireOffsets();
    }
}
