namespace Orlog.Client;

/// <summary>A position in a partition: a topic, a partition and an offset (which may be special, see <see cref="Offset"/>).</summary>
/// <param name="Topic">The topic's name.</param>
/// <param name="Partition">The partition's number, from 0.</param>
/// <param name="Offset">The offset.</param>
public sealed record TopicPartitionOffset(string Topic, Partition Partition, Offset Offset)
{
    /// <summary>A position in <paramref name="topicPartition"/>.</summary>
    public TopicPartitionOffset(TopicPartition topicPartition, Offset offset)
        : this(topicPartition.Topic, topicPartition.Partition, offset)
    {
    }

    /// <summary>The topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <inheritdoc/>
    public override string ToString() => $"{Topic} [{Partition}] @{Offset}";
}
