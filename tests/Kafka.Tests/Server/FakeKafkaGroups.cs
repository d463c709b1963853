using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// Groups for the listener's tests: records every call and answers as a coordinator would in the simplest case
/// (a member without an id gets MEMBER_ID_REQUIRED and "member-1"; a join with an id is generation 1 with that
/// member as leader; commits are kept and fetched back).
/// </summary>
internal sealed class FakeKafkaGroups : IKafkaGroups
{
    private readonly Dictionary<(string Group, KafkaPartitionRef Partition), KafkaCommittedOffset> _committed = [];

    public List<(string Group, KafkaJoin Join)> Joins { get; } = [];

    public List<(string Group, KafkaSync Sync)> Syncs { get; } = [];

    public List<(string Group, List<KafkaLeavingMember> Members)> Leaves { get; } = [];

    public List<(string Group, KafkaCommit Commit)> Commits { get; } = [];

    public List<(string Group, string? MemberId, int Epoch, List<KafkaPartitionRef>? Partitions)> OffsetFetches { get; } = [];

    public Task<KafkaJoinResult> JoinAsync(string groupId, KafkaJoin join, CancellationToken cancellationToken)
    {
        Joins.Add((groupId, join));
        if (join.Protocols.Count == 0)
        {
            return Task.FromResult(new KafkaJoinResult(ErrorCode.InconsistentGroupProtocol, "no protocols", -1, null, null, "", false, join.MemberId, []));
        }
        return Task.FromResult(join.MemberId.Length == 0
            ? new KafkaJoinResult(ErrorCode.MemberIdRequired, null, -1, null, null, "", false, "member-1", [])
            : new KafkaJoinResult(ErrorCode.None, null, 1, join.ProtocolType, join.Protocols[0].Name, join.MemberId, false, join.MemberId,
                [new KafkaJoinMember(join.MemberId, join.GroupInstanceId, join.Protocols[0].Metadata)]));
    }

    public Task<KafkaSyncResult> SyncAsync(string groupId, KafkaSync sync, CancellationToken cancellationToken)
    {
        Syncs.Add((groupId, sync));
        var mine = sync.Assignments.FirstOrDefault(a => a.MemberId == sync.MemberId)?.Assignment ?? [];
        return Task.FromResult(new KafkaSyncResult(ErrorCode.None, null, sync.ProtocolType, sync.ProtocolName, mine));
    }

    public Task<ErrorCode> HeartbeatAsync(string groupId, string memberId, int generationId, string? groupInstanceId, CancellationToken cancellationToken) =>
        Task.FromResult(generationId == 1 ? ErrorCode.None : ErrorCode.IllegalGeneration);

    public Task<IReadOnlyList<KafkaLeaveResult>> LeaveAsync(string groupId, IReadOnlyList<KafkaLeavingMember> members, CancellationToken cancellationToken)
    {
        Leaves.Add((groupId, [.. members]));
        return Task.FromResult<IReadOnlyList<KafkaLeaveResult>>([.. members.Select(m =>
            new KafkaLeaveResult(m.MemberId, m.GroupInstanceId, m.MemberId == "member-1" || m.GroupInstanceId is not null ? ErrorCode.None : ErrorCode.UnknownMemberId))]);
    }

    public Task<IReadOnlyList<KafkaCommitResult>> CommitAsync(string groupId, KafkaCommit commit, CancellationToken cancellationToken)
    {
        Commits.Add((groupId, commit));
        foreach (var offset in commit.Offsets)
        {
            _committed[(groupId, new KafkaPartitionRef(offset.Topic, offset.Partition))] = new(offset.Topic, offset.Partition, offset.Offset, offset.LeaderEpoch, offset.Metadata);
        }
        return Task.FromResult<IReadOnlyList<KafkaCommitResult>>([.. commit.Offsets.Select(o => new KafkaCommitResult(o.Topic, o.Partition, ErrorCode.None, null))]);
    }

    public List<KafkaConsumerHeartbeat> ConsumerHeartbeats { get; } = [];

    /// <summary>Epoch 0 joins as "m-848" at epoch 1 with orders-0 and orders-2; later heartbeats keep the epoch and send no assignment.</summary>
    public Task<KafkaConsumerHeartbeatResult> ConsumerHeartbeatAsync(string groupId, KafkaConsumerHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ConsumerHeartbeats.Add(heartbeat);
        return Task.FromResult(heartbeat.MemberEpoch == 0
            ? new KafkaConsumerHeartbeatResult(ErrorCode.None, null, "m-848", 1, 5000, [new("orders", 2), new("orders", 0)])
            : new KafkaConsumerHeartbeatResult(ErrorCode.None, null, heartbeat.MemberId, heartbeat.MemberEpoch, 5000, null));
    }

    public Task<KafkaConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(groupId == "g-848"
            ? new KafkaConsumerGroupDescription(ErrorCode.None, null, groupId, "Stable", 3, 3, "uniform",
                [new KafkaConsumerGroupMember("m-848", null, 3, "app", "10.0.0.2", ["orders"], [new("orders", 0)], [new("orders", 0), new("orders", 1)])])
            : new KafkaConsumerGroupDescription(ErrorCode.GroupIdNotFound, $"Group {groupId} does not exist.", groupId, "Dead", -1, -1, "", []));

    public Task<KafkaOffsetFetchResult> FetchOffsetsAsync(string groupId, string? memberId, int memberEpoch, IReadOnlyList<KafkaPartitionRef>? partitions, CancellationToken cancellationToken)
    {
        OffsetFetches.Add((groupId, memberId, memberEpoch, partitions?.ToList()));
        if (groupId.Length == 0)
        {
            return Task.FromResult(new KafkaOffsetFetchResult(ErrorCode.InvalidGroupId, "The group id is empty.", []));
        }
        var offsets = _committed.Where(c => c.Key.Group == groupId && (partitions is null || partitions.Contains(c.Key.Partition))).Select(c => c.Value).ToList();
        return Task.FromResult(new KafkaOffsetFetchResult(ErrorCode.None, null, offsets));
    }
}
