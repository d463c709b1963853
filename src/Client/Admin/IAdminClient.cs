using Orlog.Client.Admin;

namespace Orlog.Client;

/// <summary>
/// Manages topics: create, delete, list, describe (partitions, leaders, offsets, configs), alter configs,
/// add partitions, list offsets; replicas: reassign, drain a broker, rebalance; brokers: list, unregister; and
/// consumer groups: list, describe (members, committed offsets, lag), delete, list and alter committed offsets.
/// The calls Confluent.Kafka's IAdminClient has take its request, option and result types (batch calls that
/// throw one exception naming every item's outcome); the others are Orlog's, one item a call.
/// Errors are <see cref="Orlog.Client.KafkaException"/>s with Kafka's codes (TOPIC_ALREADY_EXISTS,
/// UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_REPLICA_ASSIGNMENT, GROUP_ID_NOT_FOUND,
/// NON_EMPTY_GROUP, ...).
/// </summary>
public interface IAdminClient : IDisposable, IAsyncDisposable
{
    /// <summary>The client's name: its client.id.</summary>
    string Name { get; }

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
    Task<TopicDescription> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default);

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
    Task<IReadOnlyList<TopicDescription>> DescribeAllTopicsAsync(CancellationToken cancellationToken = default);

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

    // Confluent.Kafka's calls. Every one also takes a cancellation token last, which stops the waiting (not the change).

    /// <summary>The cluster's brokers and every topic's partitions, leaders and in-sync replicas.</summary>
    Metadata GetMetadata(TimeSpan timeout);

    /// <summary>The cluster's brokers and one topic's partitions (its Error is UNKNOWN_TOPIC_OR_PARTITION when it does not exist).</summary>
    Metadata GetMetadata(string topic, TimeSpan timeout);

    /// <summary>The cluster's brokers and the partitions of <paramref name="topic"/>, or of every topic when null.</summary>
    Task<Metadata> GetMetadataAsync(string? topic = null, CancellationToken cancellationToken = default);

    /// <summary>Creates topics, each independently of the others.</summary>
    /// <exception cref="CreateTopicsException">One or more were not created (TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, ...); Results has every topic's outcome.</exception>
    Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CreateTopicsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes topics and their data.</summary>
    /// <exception cref="DeleteTopicsException">One or more were not deleted (UNKNOWN_TOPIC_OR_PARTITION); Results has every topic's outcome.</exception>
    Task DeleteTopicsAsync(IEnumerable<string> topics, DeleteTopicsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Grows topics to the partition counts asked.</summary>
    /// <exception cref="CreatePartitionsException">One or more were not grown (INVALID_PARTITIONS, UNKNOWN_TOPIC_OR_PARTITION); Results has every topic's outcome.</exception>
    Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitionsSpecifications, CreatePartitionsOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Every config of each topic (the value in force and its source: the topic, the broker or the default) or broker.</summary>
    /// <exception cref="DescribeConfigsException">A resource could not be described (UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST for a resource type other than topic and broker).</exception>
    Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Replaces each topic's whole set of config overrides: a config not named goes back to its default (Kafka's AlterConfigs).</summary>
    /// <exception cref="AlterConfigsException">A resource was not altered (INVALID_CONFIG, UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST for a broker: broker settings are static).</exception>
    Task AlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs, AlterConfigsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sets or deletes the configs named, leaving the others (Kafka's IncrementalAlterConfigs).</summary>
    /// <exception cref="IncrementalAlterConfigsException">A resource was not altered (INVALID_CONFIG, also for APPEND and SUBTRACT: no topic config Orlog has is a list).</exception>
    Task<List<IncrementalAlterConfigsResult>> IncrementalAlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs,
        IncrementalAlterConfigsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Every consumer group (in the states and of the types asked) with its state, type and protocol type, by id.</summary>
    Task<ListConsumerGroupsResult> ListConsumerGroupsAsync(ListConsumerGroupsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The groups' states, members, assignors and coordinators (with Orlog's per-partition lag), in the order asked.</summary>
    /// <exception cref="DescribeConsumerGroupsException">A group could not be described (GROUP_ID_NOT_FOUND, INVALID_GROUP_ID); Results has every group's.</exception>
    Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes empty groups and their committed offsets.</summary>
    /// <exception cref="DeleteGroupsException">A group was not deleted (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP); Results has every group's outcome.</exception>
    Task DeleteGroupsAsync(IList<string> groups, DeleteGroupsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The committed offsets of each group: of the partitions named, or of every partition with one.</summary>
    /// <exception cref="ListConsumerGroupOffsetsException">A group's offsets could not be read; Results has every group's outcome.</exception>
    Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitions> groupPartitions,
        ListConsumerGroupOffsetsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Commits offsets for groups as an administrator; a group takes them only while it has no members.</summary>
    /// <exception cref="AlterConsumerGroupOffsetsException">A group's offsets were not committed (UNKNOWN_MEMBER_ID while it has members, UNKNOWN_TOPIC_OR_PARTITION); Results has every group's outcome.</exception>
    Task<List<AlterConsumerGroupOffsetsResult>> AlterConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitionOffsets> groupPartitions,
        AlterConsumerGroupOffsetsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The topics' ids and partitions with leaders, replicas and in-sync replicas (and offsets), in the order asked.</summary>
    /// <exception cref="DescribeTopicsException">A topic could not be described (UNKNOWN_TOPIC_OR_PARTITION); Results has every topic's.</exception>
    Task<DescribeTopicsResult> DescribeTopicsAsync(TopicCollection topicCollection, DescribeTopicsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The cluster's id, its live brokers and the broker hosting the controller.</summary>
    Task<DescribeClusterResult> DescribeClusterAsync(DescribeClusterOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Offsets of partitions: earliest, latest, or the first at or after a timestamp, in the order asked.</summary>
    /// <exception cref="ListOffsetsException">A partition's offset could not be looked up (UNKNOWN_TOPIC_OR_PARTITION, UNSUPPORTED_VERSION for MaxTimestamp).</exception>
    Task<ListOffsetsResult> ListOffsetsAsync(IEnumerable<TopicPartitionOffsetSpec> topicPartitionOffsetSpecs, ListOffsetsOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes the records below each offset (<see cref="Offset.End"/>: below the high watermark); returns each partition's log start offset now.</summary>
    /// <exception cref="DeleteRecordsException">A partition refused (OFFSET_OUT_OF_RANGE past the high watermark, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER); Results has every partition's outcome.</exception>
    Task<List<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> topicPartitionOffsets, DeleteRecordsOptions? options = null,
        CancellationToken cancellationToken = default);
}
