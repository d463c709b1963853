namespace Orlog.Grains;

/// <summary>
/// One fetch request to a broker for several partitions it leads. The broker answers as soon as
/// <see cref="MinBytes"/> are available over all partitions, or after <see cref="MaxWaitMs"/>.
/// </summary>
/// <param name="MaxWaitMs">How long to wait for <paramref name="MinBytes"/>.</param>
/// <param name="MinBytes">The bytes over all partitions that answer the request at once.</param>
/// <param name="MaxBytes">The most bytes a partition returns (beyond its first batch).</param>
/// <param name="Partitions">The partitions and the offsets to read from.</param>
/// <param name="FileRangesFor">
/// The silo asking, when it sends records from the segment files itself (zero copy): a broker on that silo
/// answers with where the batches lie (<see cref="PartitionFetchResult.File"/>) instead of their bytes.
/// </param>
[GenerateSerializer, Immutable, Alias("orlog.fetch-request")]
public sealed record FetchRequest(
    [property: Id(0)] int MaxWaitMs,
    [property: Id(1)] int MinBytes,
    [property: Id(2)] int MaxBytes,
    [property: Id(3)] IReadOnlyList<PartitionFetch> Partitions,
    [property: Id(4)] string? FileRangesFor = null);

[GenerateSerializer, Immutable, Alias("orlog.partition-fetch")]
public sealed record PartitionFetch(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long FetchOffset,
    [property: Id(3)] int PartitionMaxBytes);

/// <summary>
/// Raw whole batches from one partition, never above the high watermark, with the partition's bounds.
/// The last stable offset equals the high watermark until transactions exist. For a request that asked for file
/// ranges the batches are in <see cref="File"/>, not in <see cref="Records"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-fetch-result")]
public sealed record PartitionFetchResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long HighWatermark,
    [property: Id(5)] long LastStableOffset,
    [property: Id(6)] long LogStartOffset,
    [property: Id(7)] byte[] Records,
    [property: Id(8)] FileRange? File = null)
{
    public static PartitionFetchResult Failed(string topic, int partition, Orlog.Client.ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, -1, []);

    /// <summary>The bytes of batches returned, in <see cref="Records"/> or in <see cref="File"/>.</summary>
    public int Size => Records.Length + (File?.Length ?? 0);
}

/// <summary>Whole batches in a segment file on the broker's silo: the file, the byte position, the length, and the offset after the last batch.</summary>
[GenerateSerializer, Immutable, Alias("orlog.file-range")]
public sealed record FileRange(
    [property: Id(0)] string Path,
    [property: Id(1)] long Position,
    [property: Id(2)] int Length,
    [property: Id(3)] long NextOffset = -1);

[GenerateSerializer, Immutable, Alias("orlog.fetch-response")]
public sealed record FetchResponse([property: Id(0)] IReadOnlyList<PartitionFetchResult> Results);
