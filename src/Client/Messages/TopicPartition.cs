namespace Orlog.Client;

/// <summary>A partition of a topic.</summary>
/// <param name="Topic">The topic's name.</param>
/// <param name="Partition">The partition's number, from 0.</param>
public sealed record TopicPartition(string Topic, Partition Partition) : IComparable<TopicPartition>
{
    /// <inheritdoc/>
    public override string ToString() => $"{Topic} [{Partition}]";

    /// <summary>By topic, then by partition.</summary>
    public int CompareTo(TopicPartition? other) => other is null ? 1
        : string.CompareOrdinal(Topic, other.Topic) is var byTopic and not 0 ? byTopic : Partition.CompareTo(other.Partition);
}
