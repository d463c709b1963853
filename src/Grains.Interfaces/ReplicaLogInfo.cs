namespace Orlog.Grains;

/// <summary>
/// One replica's log on the broker asked (as Kafka's DescribeLogDirs tells it): where it starts and ends, and
/// its size on disk in bytes; or the error (NOT_LEADER_OR_FOLLOWER when the broker holds no replica of it).
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.replica-log-info")]
public sealed record ReplicaLogInfo(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long LogStartOffset,
    [property: Id(5)] long LogEndOffset,
    [property: Id(6)] long SizeBytes)
{
    public static ReplicaLogInfo Failed(string topic, int partition, Orlog.Client.ErrorCode error, string message) => new(topic, partition, error, message, -1, -1, -1);
}
