namespace Orlog.Grains;

/// <summary>Kafka's DeleteRecords for one partition: records below <paramref name="Offset"/> go (-1: below the high watermark).</summary>
[GenerateSerializer, Immutable, Alias("orlog.delete-records")]
public sealed record DeleteRecordsPartition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset);

/// <summary>The partition's log start offset after a DeleteRecords (Kafka's low watermark), or the error that refused it.</summary>
[GenerateSerializer, Immutable, Alias("orlog.delete-records-result")]
public sealed record DeleteRecordsResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long LowWatermark);
