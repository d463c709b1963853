using Orlog.Grains;
using Orlog.Kafka.Server;

namespace Orlog.Silo.Kafka;

/// <summary>The Kafka listener's consumer groups: each call goes to the group's coordinator grain, the one the SDK uses.</summary>
internal sealed class SiloKafkaGroups(IGrainFactory grains) : IKafkaGroups
{
    private IConsumerGroupGrain Group(string groupId) => grains.GetGrain<IConsumerGroupGrain>(groupId);

    public async Task<KafkaJoinResult> JoinAsync(string groupId, KafkaJoin join, CancellationToken cancellationToken)
    {
        var request = new JoinGroupRequest(join.MemberId, join.GroupInstanceId, join.SessionTimeoutMs, join.RebalanceTimeoutMs, join.ProtocolType,
            [.. join.Protocols.Select(p => new GroupProtocol(p.Name, p.Metadata))], join.ClientId, join.ClientHost, join.Reason);
        var r = await Group(groupId).JoinGroup(request).WaitAsync(cancellationToken);
        return new KafkaJoinResult(r.Error, r.ErrorMessage, r.GenerationId, r.ProtocolType, r.ProtocolName, r.Leader, r.SkipAssignment, r.MemberId,
            [.. r.Members.Select(m => new KafkaJoinMember(m.MemberId, m.GroupInstanceId, m.Metadata))]);
    }

    public async Task<KafkaSyncResult> SyncAsync(string groupId, KafkaSync sync, CancellationToken cancellationToken)
    {
        var request = new SyncGroupRequest(sync.MemberId, sync.GenerationId, sync.GroupInstanceId, sync.ProtocolType, sync.ProtocolName,
            [.. sync.Assignments.Select(a => new SyncGroupAssignment(a.MemberId, a.Assignment))]);
        var r = await Group(groupId).SyncGroup(request).WaitAsync(cancellationToken);
        return new KafkaSyncResult(r.Error, r.ErrorMessage, r.ProtocolType, r.ProtocolName, r.Assignment);
    }

    public Task<ErrorCode> HeartbeatAsync(string groupId, string memberId, int generationId, string? groupInstanceId, CancellationToken cancellationToken) =>
        Group(groupId).ClassicHeartbeat(memberId, generationId, groupInstanceId).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<KafkaLeaveResult>> LeaveAsync(string groupId, IReadOnlyList<KafkaLeavingMember> members, CancellationToken cancellationToken)
    {
        var results = await Group(groupId).LeaveGroup([.. members.Select(m => new LeavingMember(m.MemberId, m.GroupInstanceId, m.Reason))]).WaitAsync(cancellationToken);
        return [.. results.Select(r => new KafkaLeaveResult(r.MemberId, r.GroupInstanceId, r.Error))];
    }

    public async Task<IReadOnlyList<KafkaCommitResult>> CommitAsync(string groupId, KafkaCommit commit, CancellationToken cancellationToken)
    {
        var request = new OffsetCommitRequest(commit.MemberId, commit.GenerationIdOrMemberEpoch, commit.GroupInstanceId,
            [.. commit.Offsets.Select(o => new OffsetToCommit(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata))]);
        var results = await Group(groupId).CommitOffsets(request).WaitAsync(cancellationToken);
        return [.. results.Select(r => new KafkaCommitResult(r.Topic, r.Partition, r.Error, r.ErrorMessage))];
    }

    // KIP-848 moved the session timeout to the broker (group.consumer.session.timeout.ms); Kafka's default.
    private const int ConsumerSessionTimeoutMs = 45_000;

    public async Task<KafkaConsumerHeartbeatResult> ConsumerHeartbeatAsync(string groupId, KafkaConsumerHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var request = new GroupHeartbeatRequest(heartbeat.MemberId, heartbeat.MemberEpoch, heartbeat.InstanceId, heartbeat.RebalanceTimeoutMs, ConsumerSessionTimeoutMs,
            heartbeat.SubscribedTopicNames, heartbeat.SubscribedTopicRegex, heartbeat.ServerAssignor,
            heartbeat.OwnedPartitions?.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList(), heartbeat.ClientId, heartbeat.ClientHost);
        var r = await Group(groupId).Heartbeat(request).WaitAsync(cancellationToken);
        return new KafkaConsumerHeartbeatResult(r.Error, r.ErrorMessage, r.MemberId, r.MemberEpoch, r.HeartbeatIntervalMs,
            r.Assignment?.Select(p => new KafkaPartitionRef(p.Topic, p.Partition)).ToList());
    }

    public async Task<KafkaConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        var g = await Group(groupId).Describe().WaitAsync(cancellationToken);
        if (g.State == GroupStates.Dead || g.Dialect == GroupDialects.Classic)
        {
            return new KafkaConsumerGroupDescription(ErrorCode.GroupIdNotFound,
                g.State == GroupStates.Dead ? $"Group {groupId} does not exist." : $"Group {groupId} is not a consumer group: its members speak the classic protocol.",
                groupId, GroupStates.Dead, -1, -1, "", []);
        }
        return new KafkaConsumerGroupDescription(ErrorCode.None, null, g.GroupId, g.State, g.Epoch, g.Epoch, g.ProtocolName,
            [.. g.Members.Select(m => new KafkaConsumerGroupMember(m.MemberId, m.GroupInstanceId, m.MemberEpoch, m.ClientId, m.ClientHost, m.SubscribedTopics,
                [.. m.Assignment.Select(p => new KafkaPartitionRef(p.Topic, p.Partition))], [.. m.TargetAssignment.Select(p => new KafkaPartitionRef(p.Topic, p.Partition))]))]);
    }

    public async Task<KafkaOffsetFetchResult> FetchOffsetsAsync(string groupId, string? memberId, int memberEpoch, IReadOnlyList<KafkaPartitionRef>? partitions,
        CancellationToken cancellationToken)
    {
        var request = new OffsetFetchRequest(memberId, memberEpoch, partitions?.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList());
        var r = await Group(groupId).FetchOffsets(request).WaitAsync(cancellationToken);
        return new KafkaOffsetFetchResult(r.Error, r.ErrorMessage, [.. r.Offsets.Select(o => new KafkaCommittedOffset(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata))]);
    }
}
