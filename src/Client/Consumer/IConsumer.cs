namespace Orlog.Client;

/// <summary>
/// Reads records from assigned partitions, as Confluent.Kafka's IConsumer: <see cref="Assign(IEnumerable{TopicPartitionOffset})"/>
/// partitions (with offsets, or auto.offset.reset), then <see cref="Consume(TimeSpan)"/> or
/// <see cref="ConsumeAllAsync"/>. A background fetch per broker keeps records coming ahead of Consume
/// (bounded by queued.max.messages.kbytes). Consume from one thread at a time. Subscribe with a consumer group
/// comes in a later release.
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public interface IConsumer<TKey, TValue> : IDisposable, IAsyncDisposable
{
    /// <summary>The client.id of this consumer.</summary>
    string Name { get; }

    /// <summary>The partitions assigned.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Replaces the assignment: each partition starts at its offset (<see cref="Offset.Beginning"/>, <see cref="Offset.End"/>,
    /// a number, or <see cref="Offset.Unset"/> for auto.offset.reset).
    /// </summary>
    /// <exception cref="Records.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist.</exception>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Replaces the assignment; each partition starts where auto.offset.reset says.</summary>
    /// <exception cref="Records.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist.</exception>
    void Assign(IEnumerable<TopicPartition> partitions);

    /// <summary>Assigns one partition at an offset (replacing the assignment).</summary>
    void Assign(TopicPartitionOffset partition);

    /// <summary>Removes every partition.</summary>
    void Unassign();

    /// <summary>Moves an assigned partition to an offset: the next record consumed from it is there.</summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    void Seek(TopicPartitionOffset position);

    /// <summary>Stops fetching and returning records of these partitions until <see cref="Resume"/>.</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    /// <summary>Fetches and returns records of paused partitions again, from where consuming stopped.</summary>
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>The offset of the next record Consume returns for the partition (<see cref="Offset.Unset"/> while unknown).</summary>
    Offset Position(TopicPartition partition);

    /// <summary>The next record, or null when none arrives within <paramref name="timeout"/>.</summary>
    /// <exception cref="ConsumeException">A partition failed (for example OFFSET_OUT_OF_RANGE with auto.offset.reset=none), or a record did not deserialize.</exception>
    ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout);

    /// <summary>The next record, waiting as long as it takes.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ConsumeException">A partition failed, or a record did not deserialize.</exception>
    ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default);

    /// <summary>The next record without blocking a thread, or null when none arrives within <paramref name="timeout"/>.</summary>
    ValueTask<ConsumeResult<TKey, TValue>?> ConsumeAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Every record as it arrives, until the token is cancelled (then the stream ends without throwing).</summary>
    IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The log start offset and high watermark last seen by fetching (<see cref="Offset.Unset"/> before the first fetch).</summary>
    WatermarkOffsets GetWatermarkOffsets(TopicPartition partition);

    /// <summary>Asks the partition's leader for its log start offset and high watermark.</summary>
    /// <exception cref="Records.KafkaException">The partition does not exist, or the broker did not answer within <paramref name="timeout"/>.</exception>
    WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout);

    /// <summary>Stops fetching; the consumer cannot be used afterwards.</summary>
    void Close();
}
