namespace Orlog.Grains;

/// <summary>
/// KIP-848's ConsumerGroupHeartbeat request. The member generates its member id (a UUID) before joining.
/// Fields that are null did not change since the last heartbeat; a join (epoch 0) sends them all.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.group-heartbeat-request")]
public sealed record GroupHeartbeatRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] int MemberEpoch,
    [property: Id(2)] string? GroupInstanceId,
    [property: Id(3)] int RebalanceTimeoutMs,
    [property: Id(4)] int SessionTimeoutMs,
    [property: Id(5)] IReadOnlyList<string>? SubscribedTopicNames,
    [property: Id(6)] string? SubscribedTopicRegex,
    [property: Id(7)] string? ServerAssignor,
    [property: Id(8)] IReadOnlyList<TopicPartition>? OwnedPartitions,
    [property: Id(9)] string ClientId,
    [property: Id(10)] string ClientHost,
    [property: Id(11)] IGroupMemberObserver? Observer = null)
{
    /// <summary>The epoch of a member leaving the group.</summary>
    public const int LeaveEpoch = -1;

    /// <summary>The epoch of a static member leaving for a while (it keeps its assignment for the session timeout).</summary>
    public const int StaticLeaveEpoch = -2;
}

/// <summary>
/// KIP-848's ConsumerGroupHeartbeat response. <see cref="Assignment"/> is the member's whole current assignment,
/// sent when it changed (null otherwise). A member must give up, and stop committing for, every owned partition
/// that is not in it. On UNKNOWN_MEMBER_ID or FENCED_MEMBER_EPOCH the member has lost its partitions and
/// rejoins with epoch 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.group-heartbeat-response")]
public sealed record GroupHeartbeatResponse(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] string MemberId,
    [property: Id(3)] int MemberEpoch,
    [property: Id(4)] int HeartbeatIntervalMs,
    [property: Id(5)] IReadOnlyList<TopicPartition>? Assignment);
