namespace Orlog.Client;

/// <summary>
/// Manages topics: create, delete, list, describe (partitions, leaders, offsets, configs), alter configs,
/// add partitions, list offsets. Errors are <see cref="Records.KafkaException"/>s with Kafka's codes
/// (TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_CONFIG, ...).
/// </summary>
public interface IAdminClient : IDisposable, IAsyncDisposable
{
    /// <summary>Creates a topic with <paramref name="partitions"/> partitions and optional config overrides.</summary>
    /// <param name="name">The topic's name ([a-zA-Z0-9._-], at most 249 characters, not '.' or '..').</param>
    /// <param name="partitions">The partition count (at least 1).</param>
    /// <param name="replicationFactor">Replicas per partition; -1 for the broker's default.</param>
    /// <param name="configs">Topic config overrides by Kafka's names (retention.ms, cleanup.policy, ...).</param>
    /// <param name="cancellationToken">Stops waiting (the operation may still happen).</param>
    Task<TopicDescription> CreateTopicAsync(string name, int partitions, short replicationFactor = -1, IReadOnlyDictionary<string, string>? configs = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes a topic and its data.</summary>
    Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The names of all topics.</summary>
    Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>A topic's partitions with their leaders, replicas and offsets (log start, high watermark), and its configs.</summary>
    Task<TopicDescription> DescribeTopicAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets topic config overrides; a null value removes the override.</summary>
    Task<TopicDescription> AlterConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default);

    /// <summary>Grows a topic to <paramref name="totalCount"/> partitions (never fewer).</summary>
    Task<TopicDescription> CreatePartitionsAsync(string name, int totalCount, CancellationToken cancellationToken = default);

    /// <summary>Offsets of partitions: earliest, latest, or the first at or after a timestamp.</summary>
    Task<IReadOnlyList<PartitionOffsetInfo>> ListOffsetsAsync(IEnumerable<TopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken = default);
}
