namespace Orlog.Grains.Groups.Assignors;

/// <summary>A server-side partition assignor (the model of Kafka's KIP-848 assignors).</summary>
public interface IPartitionAssignor
{
    /// <summary>The name a member asks for: "uniform" or "range".</summary>
    string Name { get; }

    /// <summary>
    /// The target assignment. Every member id of <paramref name="members"/> is a key (possibly with an
    /// empty set). A member only gets partitions of topics it subscribes to, and every partition of every
    /// subscribed, existing topic goes to exactly one subscribed member. Topics absent from
    /// <paramref name="partitionCounts"/> (or with no partitions) do not exist and are ignored. The
    /// result depends on the members and counts only, not on the order of <paramref name="members"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Two members have the same member id.</exception>
    IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> Assign(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> partitionCounts);
}
