namespace Orlog.Client;

/// <summary>
/// Sends records to topics, as Confluent.Kafka's IProducer: records are batched per partition (linger.ms,
/// batch.size), sent in one request per broker, retried on retriable errors, and reported once the broker
/// acknowledged them (acks). Thread-safe. Dispose flushes. Delivery handlers run on a background thread, one at
/// a time; a handler may produce, but must not Flush or Dispose the producer (that waits for the handler itself).
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public interface IProducer<TKey, TValue> : IDisposable, IAsyncDisposable
{
    /// <summary>The client.id of this producer.</summary>
    string Name { get; }

    /// <summary>
    /// Sends a record to <paramref name="topic"/> (partition by the key's murmur2, or sticky for a null key) and
    /// completes when it is delivered. Cancelling stops the wait, not the delivery.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">Delivery failed (Kafka's error code; UNKNOWN_TOPIC_OR_PARTITION for an unknown topic).</exception>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>Sends a record to the given partition; see <see cref="ProduceAsync(string, Message{TKey, TValue}, CancellationToken)"/>.</summary>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a record and returns at once; <paramref name="deliveryHandler"/> is called (on a background thread,
    /// in order per partition) when it is delivered or failed. Blocks only while buffer.memory is full (up to
    /// max.block.ms), or a moment while records that waited for their topic's metadata are appended. The message is
    /// serialized before Produce returns, as in Confluent.Kafka, so the caller may reuse the message object and its
    /// arrays for the next call (a delivery report carries the object as it is then). Without a handler, once the
    /// topic's metadata is known, nothing is allocated per record; the builder's batch delivery handler reports whole batches.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The record cannot be sent at all (unknown topic, too large, serialization).</exception>
    void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Queues a record for the given partition; see <see cref="Produce(string, Message{TKey, TValue}, Action{DeliveryReport{TKey, TValue}})"/>.</summary>
    void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Sends every queued record now and waits up to <paramref name="timeout"/> for their reports.</summary>
    /// <returns>The records still not reported (0 when all were).</returns>
    int Flush(TimeSpan timeout);

    /// <summary>Sends every queued record now and waits for their reports.</summary>
    void Flush(CancellationToken cancellationToken = default);

    /// <summary>Sends every queued record now and completes when they are reported.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Confluent.Kafka's Poll: serves delivery reports waiting. Orlog's producer reports deliveries on its own threads,
    /// so nothing waits to be served: it returns 0 at once.
    /// </summary>
    int Poll(TimeSpan timeout);

    /// <summary>Transactions: Orlog has none yet, so these fail with _NOT_IMPLEMENTED (enable.idempotence gives each partition every record once).</summary>
    void InitTransactions(TimeSpan timeout);

    /// <inheritdoc cref="InitTransactions"/>
    void BeginTransaction();

    /// <inheritdoc cref="InitTransactions"/>
    void CommitTransaction(TimeSpan timeout);

    /// <inheritdoc cref="InitTransactions"/>
    void CommitTransaction();

    /// <inheritdoc cref="InitTransactions"/>
    void AbortTransaction(TimeSpan timeout);

    /// <inheritdoc cref="InitTransactions"/>
    void AbortTransaction();

    /// <inheritdoc cref="InitTransactions"/>
    void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout);
}
