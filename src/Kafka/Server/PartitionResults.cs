namespace Orlog.Kafka.Server;

/// <summary>The broker's per-partition answers, found by partition when the handler fills its response lines.</summary>
internal static class PartitionResults
{
    /// <summary>The answers by partition; a partition answered twice (asked twice) keeps its first answer.</summary>
    public static Dictionary<KafkaPartitionRef, T> ByPartition<T>(this IEnumerable<T> results, Func<T, KafkaPartitionRef> partition) =>
        results.DistinctBy(partition).ToDictionary(partition);
}
