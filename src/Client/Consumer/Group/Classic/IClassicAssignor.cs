namespace Orlog.Client;

/// <summary>
/// A client-side assignor of Kafka's classic protocol: the group's leader runs it over every member's subscription
/// and the topics' partition counts. Members that offer the same assignor name must assign alike, whatever their
/// client (librdkafka, the Java client, Orlog's SDK), so each follows Kafka's definition to the partition.
/// </summary>
internal interface IClassicAssignor
{
    /// <summary>The protocol name members offer in JoinGroup.</summary>
    string Name { get; }

    /// <summary>Every member's partitions (a member with none maps to an empty list).</summary>
    IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, int> partitionCounts);
}

/// <summary>A member as the leader's assignor sees it.</summary>
internal sealed record AssignorMember(string MemberId, string? GroupInstanceId, IReadOnlyList<string> Topics)
{
    /// <summary>Kafka's member order: static members first by instance id, then the others by member id.</summary>
    public static readonly IComparer<AssignorMember> Order = Comparer<AssignorMember>.Create((a, b) => (a.GroupInstanceId, b.GroupInstanceId) switch
    {
        (not null, not null) => string.CompareOrdinal(a.GroupInstanceId, b.GroupInstanceId),
        (not null, null) => -1,
        (null, not null) => 1,
        _ => string.CompareOrdinal(a.MemberId, b.MemberId),
    });
}

/// <summary>The classic assignors Orlog's consumer offers.</summary>
internal static class ClassicAssignors
{
    private static readonly IClassicAssignor[] _all = [new RangeAssignor(), new RoundRobinAssignor()];

    /// <summary>The assignor of a protocol name, or null when Orlog does not offer it.</summary>
    public static IClassicAssignor? Find(string? name) => Array.Find(_all, a => a.Name == name);
}
