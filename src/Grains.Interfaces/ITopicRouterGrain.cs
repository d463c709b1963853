namespace Orlog.Grains;

/// <summary>
/// A topic's producer inside the cluster (key: the topic's name), for in-silo callers and Orleans clients that hand
/// it records one call at a time: it partitions them by key with Kafka's partitioner (murmur2 of the key; a sticky
/// partition for records without one), gathers the records of many callers into one batch per partition
/// (batch.size, linger.ms), and appends each batch to the partition's leader with acks=all. A stateless worker:
/// one activation on each silo that calls it, so a hot topic is not one activation's bottleneck.
/// </summary>
[Alias("orlog.topic-router")]
public interface ITopicRouterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends the records, each partition's in the order given; answers when every record is in the log of every
    /// in-sync replica, or with each partition's error (Kafka's codes, after retries of what Kafka retries).
    /// </summary>
    [Alias("produce")]
    Task<IReadOnlyList<RoutedAppendResult>> Produce(IReadOnlyList<RoutedRecord> records);
}

/// <summary>A record for a topic's router: key, value, headers and CreateTime (ms since the Unix epoch).</summary>
[GenerateSerializer, Immutable, Alias("orlog.routed-record")]
public sealed record RoutedRecord(
    [property: Id(0)] byte[]? Key,
    [property: Id(1)] byte[]? Value,
    [property: Id(2)] IReadOnlyList<RoutedHeader> Headers,
    [property: Id(3)] long Timestamp);

/// <summary>A record header: its key and value (null is Kafka's null header value).</summary>
[GenerateSerializer, Immutable, Alias("orlog.routed-header")]
public sealed record RoutedHeader(
    [property: Id(0)] string Key,
    [property: Id(1)] byte[]? Value);

/// <summary>Where a call's records of one partition went: the offset of the first and how many, or the error.</summary>
[GenerateSerializer, Immutable, Alias("orlog.routed-append-result")]
public sealed record RoutedAppendResult(
    [property: Id(0)] int Partition,
    [property: Id(1)] Orlog.Client.ErrorCode Error,
    [property: Id(2)] string? ErrorMessage,
    [property: Id(3)] long BaseOffset,
    [property: Id(4)] int Count);
