namespace Orlog.Client;

/// <summary>
/// Manages topics: create, delete, list, describe (partitions, leaders, offsets, configs), alter configs,
/// add partitions, list offsets; replicas: reassign, drain a broker, rebalance; brokers: list, unregister; and
/// consumer groups: list, describe (members, committed offsets, lag), delete, list and alter committed offsets.
/// Errors are <see cref="Orlog.Client.KafkaException"/>s with Kafka's codes (TOPIC_ALREADY_EXISTS,
/// UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_REPLICA_ASSIGNMENT, GROUP_ID_NOT_FOUND,
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

    /// <summary>
    /// Starts, replaces or cancels reassignments of partitions' replicas (Kafka's AlterPartitionReassignments,
    /// KIP-455): for each partition the target replicas, the preferred leader first, or null to cancel the one
    /// that runs. The new replicas copy the log while the partition stays writable; once all of them are in sync
    /// the target becomes the replicas and the removed brokers delete their copies. A reassignment that runs is
    /// replaced only with <paramref name="replaceRunning"/>.
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">
    /// INVALID_REPLICA_ASSIGNMENT (no replica, a broker twice, a broker not registered or not alive, fewer than
    /// min.insync.replicas), UNKNOWN_TOPIC_OR_PARTITION, REASSIGNMENT_IN_PROGRESS, NO_REASSIGNMENT_IN_PROGRESS (a
    /// cancel with none running). When several partitions were asked, the others were applied.
    /// </exception>
    Task AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments, bool replaceRunning = true,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The reassignments that run, of <paramref name="topic"/> or of every topic (Kafka's ListPartitionReassignments),
    /// with how far each adding replica has copied.
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for an unknown topic.</exception>
    Task<IReadOnlyList<PartitionReassignment>> ListPartitionReassignmentsAsync(string? topic = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every replica off broker <paramref name="brokerId"/> (before retiring it): each partition with a
    /// replica there is reassigned to the least-loaded live broker that holds none, the replication factor
    /// unchanged. Returns the reassignments started (with <paramref name="dryRun"/>, those that would be).
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">
    /// INVALID_REPLICATION_FACTOR when a partition has a replica on every other live broker (nothing starts);
    /// BROKER_ID_NOT_REGISTERED for an unknown id.
    /// </exception>
    Task<IReadOnlyList<ReplicaMove>> DrainBrokerAsync(int brokerId, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Spreads the replicas and preferred leaders of <paramref name="topic"/> (every topic when null) evenly over
    /// the live brokers, e.g. onto one just added, moving as few as it can. Returns the reassignments started
    /// (with <paramref name="dryRun"/>, those that would be); none when they are even already.
    /// </summary>
    Task<IReadOnlyList<ReplicaMove>> RebalanceReplicasAsync(string? topic = null, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>Removes a stopped, drained broker from the registry (Kafka's UnregisterBroker).</summary>
    /// <exception cref="Orlog.Client.KafkaException">BROKER_ID_NOT_REGISTERED; INVALID_REQUEST while it runs or holds replicas.</exception>
    Task UnregisterBrokerAsync(int brokerId, CancellationToken cancellationToken = default);

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
    /// <exception cref="Orlog.Client.KafkaException">GROUP_ID_NOT_FOUND when the group does not exist.</exception>
    Task<ConsumerGroupDescription> DescribeConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Deletes an empty consumer group and its committed offsets.</summary>
    /// <exception cref="Orlog.Client.KafkaException">GROUP_ID_NOT_FOUND when it does not exist; NON_EMPTY_GROUP while it has members.</exception>
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
    /// <exception cref="Orlog.Client.KafkaException">A partition's error (UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID for a group with members, ...).</exception>
    Task AlterConsumerGroupOffsetsAsync(string groupId, IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);
}
