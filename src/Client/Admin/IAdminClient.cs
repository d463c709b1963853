namespace Orlog.Client;

/// <summary>
/// Manages topics: create, delete, list, describe (partitions, leaders, offsets, configs), alter configs,
/// add partitions, list offsets; and consumer groups: list, describe (members, committed offsets, lag), delete,
/// list and alter committed offsets. Errors are <see cref="Records.KafkaException"/>s with Kafka's codes
/// (TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_CONFIG, GROUP_ID_NOT_FOUND,
/// NON_EMPTY_GROUP, ...).
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

    /// <summary>Every broker that registered with the controller, by id, with its status, the partitions it leads, and which one hosts the controller.</summary>
    Task<IReadOnlyList<BrokerDescription>> ListBrokersAsync(CancellationToken cancellationToken = default);

    /// <summary>Every topic, described (partitions with leaders, ISR and offsets).</summary>
    Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Offsets of partitions: earliest, latest, or the first at or after a timestamp.</summary>
    Task<IReadOnlyList<PartitionOffsetInfo>> ListOffsetsAsync(IEnumerable<TopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Every consumer group with its state, protocol type and type (Kafka's ListGroups).</summary>
    Task<IReadOnlyList<ConsumerGroupListing>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A consumer group's state, members and, for each partition that is assigned or has a committed offset, the
    /// committed offset, the log end offset and the lag.
    /// </summary>
    /// <exception cref="Records.KafkaException">GROUP_ID_NOT_FOUND when the group does not exist.</exception>
    Task<ConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Deletes an empty consumer group and its committed offsets.</summary>
    /// <exception cref="Records.KafkaException">GROUP_ID_NOT_FOUND when it does not exist; NON_EMPTY_GROUP while it has members.</exception>
    Task DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A group's committed offsets: of the given partitions (<see cref="Offset.Unset"/> where none is committed), or
    /// of every partition that has one when <paramref name="partitions"/> is null.
    /// </summary>
    Task<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, IEnumerable<TopicPartition>? partitions = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits offsets for a group as an administrator (Kafka's AlterConsumerGroupOffsets), which the group accepts
    /// only while it has no members. Offsets are 0 or more.
    /// </summary>
    /// <exception cref="Records.KafkaException">A partition's error (UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID for a group with members, ...).</exception>
    Task AlterConsumerGroupOffsetsAsync(string groupId, IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);
}
