namespace Orlog.Client;

/// <summary>A partition and a point in time, for looking up the first offset at or after it (OffsetsForTimes).</summary>
public sealed record TopicPartitionTimestamp(string Topic, Partition Partition, Timestamp Timestamp)
{
    public TopicPartitionTimestamp(TopicPartition topicPartition, Timestamp timestamp)
        : this((topicPartition ?? throw new ArgumentNullException(nameof(topicPartition))).Topic, topicPartition.Partition, timestamp)
    {
    }

    public TopicPartition TopicPartition => new(Topic, Partition);

    public override string ToString() => $"{Topic} [{Partition}] @{Timestamp.UnixTimestampMs}";
}
