namespace Orlog.Grains;

/// <summary>
/// A consumer group's coordinator (key: the group id). One state machine, two dialects, one at a time:
/// <list type="bullet">
/// <item>server-side assignment, the model of Kafka's KIP-848 (<see cref="Heartbeat"/>): members send their
/// subscriptions and what they own; the grain computes the assignment with a server-side assignor (uniform or
/// range) and reconciles incrementally: a partition moves only after its old owner let it go;</item>
/// <item>Kafka's classic protocol (<see cref="JoinGroup"/>, <see cref="SyncGroup"/>, <see cref="ClassicHeartbeat"/>,
/// <see cref="LeaveGroup"/>): the elected leader assigns on the client side, the grain relays.</item>
/// </list>
/// It stores committed offsets (persisted with the group). Member epochs / generations fence offset commits and
/// offset fetches; data fetches are not fenced by the group. Errors travel in the responses as Kafka's codes
/// (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, STALE_MEMBER_EPOCH, REBALANCE_IN_PROGRESS,
/// INVALID_SESSION_TIMEOUT, ...); only a bad group id or a dialect clash throws a KafkaException.
/// </summary>
[Alias("orlog.consumer-group")]
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// KIP-848's ConsumerGroupHeartbeat: join (epoch 0), heartbeat (the current epoch), leave (epoch -1), or
    /// leave for a while as a static member (epoch -2).
    /// </summary>
    [Alias("heartbeat")]
    Task<GroupHeartbeatResponse> Heartbeat(GroupHeartbeatRequest request);

    /// <summary>
    /// Classic JoinGroup: answers when the rebalance completes (or with MEMBER_ID_REQUIRED at once). A rebalance
    /// waits up to the rebalance timeout (Kafka clients: max.poll.interval.ms, 5 minutes by default), longer than
    /// Orleans' default call timeout.
    /// </summary>
    [Alias("join")]
    [ResponseTimeout("00:10:00")]
    Task<JoinGroupResponse> JoinGroup(JoinGroupRequest request);

    /// <summary>Classic SyncGroup: the leader brings the assignment; every member gets its own share (waiting for the leader's).</summary>
    [Alias("sync")]
    [ResponseTimeout("00:10:00")]
    Task<SyncGroupResponse> SyncGroup(SyncGroupRequest request);

    /// <summary>Classic Heartbeat: NONE, or REBALANCE_IN_PROGRESS when the member must rejoin, or a fencing error.</summary>
    [Alias("classic-heartbeat")]
    Task<ErrorCode> ClassicHeartbeat(string memberId, int generationId, string? groupInstanceId);

    /// <summary>Classic LeaveGroup for members (by member id, or by group instance id when the member id is empty).</summary>
    [Alias("leave")]
    Task<IReadOnlyList<LeaveGroupResult>> LeaveGroup(IReadOnlyList<LeavingMember> members);

    /// <summary>
    /// Commits offsets. A member commits with its member id and generation (classic) or member epoch (server-side);
    /// an empty member id with generation -1 is an admin commit, accepted only while the group has no members.
    /// </summary>
    [Alias("commit")]
    Task<IReadOnlyList<OffsetCommitResult>> CommitOffsets(OffsetCommitRequest request);

    /// <summary>Committed offsets of the given partitions (all committed when null). A member id, when given, is checked against its epoch.</summary>
    [Alias("fetch-offsets")]
    Task<OffsetFetchResponse> FetchOffsets(OffsetFetchRequest request);

    /// <summary>The group's state, members and assignment, and its committed offsets.</summary>
    [Alias("describe")]
    Task<GroupDescription> Describe();

    /// <summary>Deletes an empty group and its offsets: GROUP_ID_NOT_FOUND if it does not exist, NON_EMPTY_GROUP if it has members.</summary>
    [Alias("delete")]
    Task<ErrorCode> Delete();

    /// <summary>Removes offsets older than offsets.retention.minutes from a group that has been empty that long.</summary>
    [Alias("expire-offsets")]
    Task ExpireOffsets();
}

/// <summary>
/// Every group that exists (key 0, persisted): a group is listed from its first join or commit until it is deleted
/// or its last offsets expire.
/// </summary>
[Alias("orlog.group-directory")]
public interface IGroupDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task Add(string groupId);

    [Alias("remove")]
    Task Remove(string groupId);

    /// <summary>Each group with its protocol type and state (Kafka's ListGroups).</summary>
    [Alias("list")]
    Task<IReadOnlyList<GroupListing>> List();
}
