namespace Orlog.Client;

/// <summary>A partition's offset with the outcome of an operation on it (Confluent.Kafka's shape).</summary>
public sealed record TopicPartitionOffsetError(string Topic, Partition Partition, Offset Offset, Error Error)
{
    public TopicPartitionOffsetError(TopicPartitionOffset topicPartitionOffset, Error error)
        : this((topicPartitionOffset ?? throw new ArgumentNullException(nameof(topicPartitionOffset))).Topic, topicPartitionOffset.Partition,
            topicPartitionOffset.Offset, error)
    {
    }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);

    public override string ToString() => $"{Topic} [{Partition}] @{Offset}: {Error}";
}
