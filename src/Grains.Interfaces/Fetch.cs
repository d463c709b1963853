namespace Orlog.Grains;

/// <summary>
/// One fetch request to a broker for several partitions it leads. The broker answers as soon as
/// <see cref="MinBytes"/> are available over all partitions, or after <see cref="MaxWaitMs"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.fetch-request")]
public sealed record FetchRequest(
    [property: Id(0)] int MaxWaitMs,
    [property: Id(1)] int MinBytes,
    [property: Id(2)] int MaxBytes,
    [property: Id(3)] IReadOnlyList<PartitionFetch> Partitions);

[GenerateSerializer, Immutable, Alias("orlog.partition-fetch")]
public sealed record PartitionFetch(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long FetchOffset,
    [property: Id(3)] int PartitionMaxBytes);

/// <summary>
/// Raw whole batches from one partition, never above the high watermark, with the partition's bounds.
/// The last stable offset equals the high watermark until transactions exist.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-fetch-result")]
public sealed record PartitionFetchResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Records.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long HighWatermark,
    [property: Id(5)] long LastStableOffset,
    [property: Id(6)] long LogStartOffset,
    [property: Id(7)] byte[] Records)
{
    public static PartitionFetchResult Failed(string topic, int partition, Records.ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, -1, []);
}

[GenerateSerializer, Immutable, Alias("orlog.fetch-response")]
public sealed record FetchResponse([property: Id(0)] IReadOnlyList<PartitionFetchResult> Results);
