namespace Orlog.Kafka.Server;

/// <summary>
/// The broker behind the Kafka listener. The silo implements it over its grains and metadata; the listener
/// and its handlers know no grain, and the tests give them a fake. Partition-level refusals come back as
/// Kafka error codes in the results; an exception means the whole call failed (the handlers answer every
/// partition with its code).
/// </summary>
public interface IKafkaBackend
{
    /// <summary>The cluster as this broker sees it now.</summary>
    KafkaClusterView Cluster { get; }

    /// <summary>This broker's id: the coordinator Kafka clients are sent to (any broker reaches any group's coordinator grain).</summary>
    int BrokerId { get; }

    /// <summary>The consumer groups, in the classic protocol's terms.</summary>
    IKafkaGroups Groups { get; }

    /// <summary>Topic, config and group administration.</summary>
    IKafkaAdmin Admin { get; }

    /// <summary>Appends each batch to its partition on this broker, which must lead it; waits as acks says.</summary>
    Task<IReadOnlyList<KafkaProduceResult>> ProduceAsync(short acks, int timeoutMs, IReadOnlyList<KafkaProduceBatch> batches, CancellationToken cancellationToken);

    /// <summary>Reads whole batches below the high watermark from partitions this broker leads, long-polling as asked.</summary>
    Task<IReadOnlyList<KafkaFetchResult>> FetchAsync(KafkaFetch fetch, CancellationToken cancellationToken);

    /// <summary>Offsets by timestamp (or -1 latest, -2 earliest) of partitions this broker leads.</summary>
    Task<IReadOnlyList<KafkaListOffsetsResult>> ListOffsetsAsync(IReadOnlyList<KafkaPartitionRef> partitions, long timestamp, CancellationToken cancellationToken);

    /// <summary>Where each asked leader epoch ends in the logs of partitions this broker leads (KIP-320: how a consumer finds a truncation).</summary>
    Task<IReadOnlyList<KafkaEpochEnd>> OffsetsForLeaderEpochAsync(IReadOnlyList<KafkaEpochQuery> queries, CancellationToken cancellationToken);

    /// <summary>Moves the log start of partitions this broker leads up to the offsets asked (Kafka's DeleteRecords).</summary>
    Task<IReadOnlyList<KafkaDeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyList<KafkaDeleteRecords> partitions, CancellationToken cancellationToken);

    /// <summary>A new producer id and epoch for an idempotent producer.</summary>
    Task<KafkaProducerId> InitProducerIdAsync(CancellationToken cancellationToken);
}
