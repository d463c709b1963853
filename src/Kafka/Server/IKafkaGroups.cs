namespace Orlog.Kafka.Server;

/// <summary>
/// The consumer groups behind the Kafka listener, in the classic protocol's terms: the silo maps each call onto
/// the group's coordinator grain (the same one the SDK and the CLI use), so a group's members and committed
/// offsets are one whatever protocol reaches them. Refusals come back as Kafka codes.
/// </summary>
public interface IKafkaGroups
{
    /// <summary>Classic JoinGroup: answers when the rebalance completes (MEMBER_ID_REQUIRED at once for an empty member id).</summary>
    Task<KafkaJoinResult> JoinAsync(string groupId, KafkaJoin join, CancellationToken cancellationToken);

    /// <summary>Classic SyncGroup: the leader brings the assignments; every member gets its own.</summary>
    Task<KafkaSyncResult> SyncAsync(string groupId, KafkaSync sync, CancellationToken cancellationToken);

    /// <summary>Classic Heartbeat: NONE, REBALANCE_IN_PROGRESS when the member must rejoin, or a fencing error.</summary>
    Task<ErrorCode> HeartbeatAsync(string groupId, string memberId, int generationId, string? groupInstanceId, CancellationToken cancellationToken);

    /// <summary>Classic LeaveGroup, by member id or by group instance id.</summary>
    Task<IReadOnlyList<KafkaLeaveResult>> LeaveAsync(string groupId, IReadOnlyList<KafkaLeavingMember> members, CancellationToken cancellationToken);

    /// <summary>Commits offsets for a member (its id and generation or epoch) or, with an empty id and -1, for an admin.</summary>
    Task<IReadOnlyList<KafkaCommitResult>> CommitAsync(string groupId, KafkaCommit commit, CancellationToken cancellationToken);

    /// <summary>KIP-848's ConsumerGroupHeartbeat: join (epoch 0), heartbeat, leave (-1) or leave for a while as a static member (-2).</summary>
    Task<KafkaConsumerHeartbeatResult> ConsumerHeartbeatAsync(string groupId, KafkaConsumerHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>KIP-848's ConsumerGroupDescribe: the group's epochs, assignor and members with their current and target assignments.</summary>
    Task<KafkaConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>Committed offsets of the partitions asked, or of every committed one when null.</summary>
    Task<KafkaOffsetFetchResult> FetchOffsetsAsync(string groupId, string? memberId, int memberEpoch, IReadOnlyList<KafkaPartitionRef>? partitions, CancellationToken cancellationToken);
}

/// <summary>A member joining: its id (empty the first time), session and rebalance timeouts, and its protocols.</summary>
public sealed record KafkaJoin(string MemberId, string? GroupInstanceId, int SessionTimeoutMs, int RebalanceTimeoutMs, string ProtocolType,
    IReadOnlyList<KafkaGroupProtocol> Protocols, string ClientId, string ClientHost, string? Reason);

/// <summary>One protocol a member supports (for "consumer": an assignor and its subscription bytes).</summary>
public sealed record KafkaGroupProtocol(string Name, byte[] Metadata);

/// <summary>The joined generation; <see cref="Members"/> is filled for the leader only.</summary>
public sealed record KafkaJoinResult(ErrorCode Error, string? ErrorMessage, int GenerationId, string? ProtocolType, string? ProtocolName, string Leader,
    bool SkipAssignment, string MemberId, IReadOnlyList<KafkaJoinMember> Members);

/// <summary>A member as the leader sees it.</summary>
public sealed record KafkaJoinMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>A member's SyncGroup; the leader's carries every member's assignment.</summary>
public sealed record KafkaSync(string MemberId, int GenerationId, string? GroupInstanceId, string? ProtocolType, string? ProtocolName,
    IReadOnlyList<KafkaMemberAssignment> Assignments);

/// <summary>One member's assignment bytes.</summary>
public sealed record KafkaMemberAssignment(string MemberId, byte[] Assignment);

/// <summary>The member's own assignment.</summary>
public sealed record KafkaSyncResult(ErrorCode Error, string? ErrorMessage, string? ProtocolType, string? ProtocolName, byte[] Assignment);

/// <summary>A member leaving, by member id or (with an empty member id) by group instance id.</summary>
public sealed record KafkaLeavingMember(string MemberId, string? GroupInstanceId, string? Reason);

/// <summary>What became of one leaving member.</summary>
public sealed record KafkaLeaveResult(string MemberId, string? GroupInstanceId, ErrorCode Error);

/// <summary>An offset commit: who commits, and the offsets with their leader epochs and metadata strings.</summary>
public sealed record KafkaCommit(string MemberId, int GenerationIdOrMemberEpoch, string? GroupInstanceId, IReadOnlyList<KafkaOffsetToCommit> Offsets);

/// <summary>One partition's offset to commit.</summary>
public sealed record KafkaOffsetToCommit(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>What became of one partition's commit.</summary>
public sealed record KafkaCommitResult(string Topic, int Partition, ErrorCode Error, string? ErrorMessage);

/// <summary>The committed offsets asked for, or the error that refused the fetch.</summary>
public sealed record KafkaOffsetFetchResult(ErrorCode Error, string? ErrorMessage, IReadOnlyList<KafkaCommittedOffset> Offsets);

/// <summary>A committed offset (-1 with no metadata when the partition has none).</summary>
public sealed record KafkaCommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>A KIP-848 heartbeat: the member, its epoch, and (when they changed, else null) its subscription and owned partitions.</summary>
public sealed record KafkaConsumerHeartbeat(string MemberId, int MemberEpoch, string? InstanceId, string? RackId, int RebalanceTimeoutMs,
    IReadOnlyList<string>? SubscribedTopicNames, string? SubscribedTopicRegex, string? ServerAssignor, IReadOnlyList<KafkaPartitionRef>? OwnedPartitions,
    string ClientId, string ClientHost);

/// <summary>The answer: the member's id and epoch, the heartbeat interval, and its assignment when it changed (else null).</summary>
public sealed record KafkaConsumerHeartbeatResult(ErrorCode Error, string? ErrorMessage, string MemberId, int MemberEpoch, int HeartbeatIntervalMs,
    IReadOnlyList<KafkaPartitionRef>? Assignment);

/// <summary>A consumer group (KIP-848) described: state, epochs, assignor, members.</summary>
public sealed record KafkaConsumerGroupDescription(ErrorCode Error, string? ErrorMessage, string GroupId, string State, int GroupEpoch, int AssignmentEpoch,
    string AssignorName, IReadOnlyList<KafkaConsumerGroupMember> Members);

/// <summary>A member of a consumer group (KIP-848).</summary>
public sealed record KafkaConsumerGroupMember(string MemberId, string? InstanceId, int MemberEpoch, string ClientId, string ClientHost,
    IReadOnlyList<string> SubscribedTopicNames, IReadOnlyList<KafkaPartitionRef> Assignment, IReadOnlyList<KafkaPartitionRef> TargetAssignment);
