namespace Orlog.Grains;

/// <summary>Kafka's group states. Classic: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead; server-side: Empty, Assigning, Reconciling, Stable, Dead.</summary>
public static class GroupStates
{
    public const string Empty = "Empty";
    public const string PreparingRebalance = "PreparingRebalance";
    public const string CompletingRebalance = "CompletingRebalance";
    public const string Assigning = "Assigning";
    public const string Reconciling = "Reconciling";
    public const string Stable = "Stable";
    public const string Dead = "Dead";
}

/// <summary>The protocol types of a group: "consumer" for both dialects (as Kafka lists them), and others a classic group may use.</summary>
public static class GroupProtocolTypes
{
    public const string Consumer = "consumer";
}

/// <summary>A member as describe shows it: its ids, client, host and the partitions it owns now.</summary>
[GenerateSerializer, Immutable, Alias("orlog.group-member-description")]
public sealed record GroupMemberDescription(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string ClientHost,
    [property: Id(4)] int MemberEpoch,
    [property: Id(5)] IReadOnlyList<TopicPartition> Assignment,
    [property: Id(6)] IReadOnlyList<TopicPartition> TargetAssignment,
    [property: Id(7)] IReadOnlyList<string> SubscribedTopics);

/// <summary>
/// A group: its state, dialect ("consumer" = server-side, "classic"), protocol type and name (classic),
/// the group epoch / generation, the assignor, its members and its committed offsets. A group that does not
/// exist is described with state Dead and no members. <see cref="Coordinator"/> is the broker whose silo hosts the coordinator.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.group-description")]
public sealed record GroupDescription(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string State,
    [property: Id(2)] string Dialect,
    [property: Id(3)] string ProtocolType,
    [property: Id(4)] string ProtocolName,
    [property: Id(5)] int Epoch,
    [property: Id(6)] IReadOnlyList<GroupMemberDescription> Members,
    [property: Id(7)] IReadOnlyList<CommittedOffset> Offsets,
    [property: Id(8)] int Coordinator);

/// <summary>One group in a listing.</summary>
[GenerateSerializer, Immutable, Alias("orlog.group-listing")]
public sealed record GroupListing(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string ProtocolType,
    [property: Id(2)] string State,
    [property: Id(3)] string Dialect);

/// <summary>The dialect names a group reports.</summary>
public static class GroupDialects
{
    /// <summary>No members yet or no longer: the next joiner decides.</summary>
    public const string None = "";

    /// <summary>Server-side assignment (KIP-848).</summary>
    public const string Consumer = "consumer";

    /// <summary>Kafka's classic protocol.</summary>
    public const string Classic = "classic";
}
