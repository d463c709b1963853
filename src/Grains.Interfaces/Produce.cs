namespace Orlog.Grains;

/// <summary>
/// One produce request to a broker: a record batch (Kafka RecordBatch v2 bytes) for each of several
/// partitions that broker leads, sent together as Kafka's produce request does.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.produce-request")]
public sealed record ProduceRequest(
    [property: Id(0)] short Acks,
    [property: Id(1)] int TimeoutMs,
    [property: Id(2)] IReadOnlyList<PartitionBatch> Batches);

/// <summary>
/// One batch for one partition. The bytes are only read: the replica copies them into a buffer of its own before it
/// stamps offsets, so a caller in the same silo (whose request Orleans does not copy) may send a pooled buffer and
/// reuse it once the call has answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-batch")]
public sealed record PartitionBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] ReadOnlyMemory<byte> Records);

/// <summary>What happened to one partition's batch.</summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-produce-result")]
public sealed record PartitionProduceResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long BaseOffset,
    [property: Id(5)] long LogAppendTime,
    [property: Id(6)] long LogStartOffset)
{
    public static PartitionProduceResult Failed(string topic, int partition, Orlog.Client.ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, -1);
}

[GenerateSerializer, Immutable, Alias("orlog.produce-response")]
public sealed record ProduceResponse([property: Id(0)] IReadOnlyList<PartitionProduceResult> Results);
