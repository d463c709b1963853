namespace Orlog.Grains;

/// <summary>
/// What a broker reports for its web pages: every replica it holds (role, log bounds, high watermark, bytes on
/// disk) and each topic's traffic through it since it started (totals: a reader turns successive ones into rates).
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.broker-statistics")]
public sealed record BrokerStatistics(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] IReadOnlyList<ReplicaStatistics> Replicas,
    [property: Id(2)] IReadOnlyList<TopicTrafficTotals> Traffic);

/// <summary>One replica on the broker reporting: whether it leads, its log start and end, its high watermark (as that broker knows it) and its size on disk.</summary>
[GenerateSerializer, Immutable, Alias("orlog.replica-statistics")]
public sealed record ReplicaStatistics(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] bool Leader,
    [property: Id(3)] long LogStartOffset,
    [property: Id(4)] long LogEndOffset,
    [property: Id(5)] long HighWatermark,
    [property: Id(6)] long SizeBytes);

/// <summary>A topic's records and bytes appended by the broker as leader (in) and sent to consumers (out) since it started.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-traffic-totals")]
public sealed record TopicTrafficTotals(
    [property: Id(0)] string Topic,
    [property: Id(1)] long RecordsIn,
    [property: Id(2)] long BytesIn,
    [property: Id(3)] long RecordsOut,
    [property: Id(4)] long BytesOut);
