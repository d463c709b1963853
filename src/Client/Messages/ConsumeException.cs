namespace Orlog.Client;

/// <summary>
/// Consuming failed for a partition (for example OFFSET_OUT_OF_RANGE with auto.offset.reset=none, or a record that
/// did not deserialize), as Confluent.Kafka's ConsumeException: <see cref="ConsumerRecord"/> says where.
/// </summary>
public sealed class ConsumeException : KafkaException
{
    /// <summary>A failure at <paramref name="position"/>.</summary>
    public ConsumeException(Error error, TopicPartitionOffset? position, Exception? innerException = null)
        : base(error, innerException)
    {
        TopicPartitionOffset = position;
        ConsumerRecord = new ConsumeResult<byte[], byte[]>
        {
            Topic = position?.Topic ?? "",
            Partition = position?.Partition ?? -1,
            Offset = position?.Offset ?? Offset.Unset,
        };
    }

    /// <summary>Confluent.Kafka's shape: the record being read when it failed, with where it is (its key and value are not kept).</summary>
    public ConsumeException(ConsumeResult<byte[], byte[]> consumerRecord, Error error, Exception? innerException = null)
        : base(error, innerException)
    {
        ConsumerRecord = consumerRecord ?? throw new ArgumentNullException(nameof(consumerRecord));
        TopicPartitionOffset = consumerRecord.TopicPartitionOffset;
    }

    /// <summary>Where it happened: the partition and the offset being read, when known.</summary>
    public TopicPartitionOffset? TopicPartitionOffset { get; }

    /// <summary>Where it happened, as Confluent.Kafka says it.</summary>
    public ConsumeResult<byte[], byte[]> ConsumerRecord { get; }
}
