namespace Orlog.Grains.Groups;

/// <summary>
/// The members of a group in one dialect (server-side ConsumerGroupMembership or
/// ClassicGroupMembership): who is in, who owns what, and whether an offset commit or fetch from
/// a member is current. Plain state machines driven by the group grain on its turn: no I/O, time passed in.
/// </summary>
internal interface IGroupMembership
{
    /// <summary><see cref="GroupDialects.Consumer"/> or <see cref="GroupDialects.Classic"/>.</summary>
    string Dialect { get; }

    /// <summary>Kafka's state name (<see cref="GroupStates"/>).</summary>
    string State { get; }

    /// <summary>The group epoch (server-side) or generation (classic).</summary>
    int Epoch { get; }

    bool IsEmpty { get; }

    string ProtocolType { get; }

    /// <summary>The assignor (server-side) or the chosen protocol (classic).</summary>
    string ProtocolName { get; }

    /// <summary>Every topic some member subscribes to (by name; regex subscriptions resolved), for metadata lookups.</summary>
    IReadOnlyCollection<string> SubscribedTopics { get; }

    IReadOnlyList<GroupMemberDescription> DescribeMembers();

    /// <summary>NONE when the member may commit at this generation / epoch, else the fencing error.</summary>
    ErrorCode ValidateCommit(string memberId, int generationIdOrMemberEpoch, string? groupInstanceId);

    /// <summary>NONE when the member may fetch offsets at this epoch, else the fencing error.</summary>
    ErrorCode ValidateFetch(string memberId, int memberEpoch);

    /// <summary>Evicts members whose session expired, ends rebalances that timed out. True if anything changed.</summary>
    bool Tick(long nowMs);

    /// <summary>The topics of the cluster changed: every topic's partition count (absent = deleted).</summary>
    void OnMetadata(IReadOnlyDictionary<string, int> partitionCounts, long nowMs);
}
