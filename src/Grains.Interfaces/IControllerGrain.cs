using Orleans.Concurrency;

namespace Orlog.Grains;

/// <summary>
/// The cluster's controller (one grain, key 0, state persisted): the broker registry, and topics with their
/// ids, configs, replica assignment, leaders, leader epochs and ISR. Admin operations go through it; after
/// each change it pushes the new <see cref="ClusterMetadata"/> to every live broker. Errors travel as Kafka
/// error codes in the results (INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION,
/// INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, ...). Reads answer from the last
/// committed metadata at once, even while a change waits for the database.
/// </summary>
[Alias("orlog.controller")]
public interface IControllerGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a topic (-1 partitions or replication factor: the broker's default); with <paramref name="validateOnly"/>, only checks and describes it.</summary>
    [Alias("create-topic")]
    Task<TopicResult> CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly = false);

    [Alias("delete-topic")]
    Task<TopicResult> DeleteTopic(string name);

    [Alias("list-topics")]
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> ListTopics();

    /// <summary>The metadata of the named topics (all when null); unknown names are left out.</summary>
    [Alias("get-topics")]
    [AlwaysInterleave]
    Task<IReadOnlyList<TopicMetadata>> GetTopics(IReadOnlyList<string>? names);

    [Alias("describe-topic")]
    [AlwaysInterleave]
    Task<TopicResult> DescribeTopic(string name);

    /// <summary>Sets (or, with a null value, removes) topic config overrides; with <paramref name="validateOnly"/>, only checks them.</summary>
    [Alias("alter-configs")]
    Task<TopicResult> AlterConfigs(string name, IReadOnlyDictionary<string, string?> changes, bool validateOnly = false);

    /// <summary>Grows the topic to <paramref name="totalPartitions"/>; partitions never shrink. With <paramref name="validateOnly"/>, only checks.</summary>
    [Alias("add-partitions")]
    Task<TopicResult> AddPartitions(string name, int totalPartitions, bool validateOnly = false);

    /// <summary>Every config of a topic with the value in force and where it comes from (Kafka's DescribeConfigs), by the controller's broker settings.</summary>
    [Alias("describe-topic-configs")]
    [AlwaysInterleave]
    Task<TopicConfigsResult> DescribeTopicConfigs(string name);

    /// <summary>The cluster's id (cluster.id).</summary>
    [Alias("cluster-id")]
    [AlwaysInterleave]
    Task<string> ClusterId();

    /// <summary>The metadata version: it grows with every change the controller makes.</summary>
    [Alias("metadata-version")]
    [AlwaysInterleave]
    Task<long> MetadataVersion();

    /// <summary>The whole metadata when it is newer than <paramref name="knownVersion"/>; null when it is not.</summary>
    [Alias("get-metadata")]
    [AlwaysInterleave]
    Task<ClusterMetadata?> GetMetadata(long knownVersion);

    /// <summary>Every broker that ever registered, by id, with its liveness now.</summary>
    [Alias("list-brokers")]
    [AlwaysInterleave]
    Task<IReadOnlyList<BrokerInfo>> ListBrokers();

    /// <summary>
    /// Registers a starting broker. Refused with DUPLICATE_BROKER_REGISTRATION when a live silo holds the id,
    /// and INCONSISTENT_CLUSTER_ID when the broker belongs to another cluster.
    /// </summary>
    [Alias("register-broker")]
    Task<BrokerRegistrationResult> RegisterBroker(BrokerRegistration registration);

    /// <summary>Told by every silo when Orleans' membership changed: the controller re-reads it and moves leaders.</summary>
    [Alias("membership-changed")]
    Task MembershipChanged();

    /// <summary>
    /// A leader's ISR proposals (Kafka's AlterPartition), each accepted only at the partition's current leader
    /// and partition epochs; accepted ones are persisted in one change, with the partition epoch bumped, and
    /// pushed to every broker.
    /// </summary>
    [Alias("alter-partition")]
    Task<IReadOnlyList<AlterPartitionResult>> AlterPartition(int brokerId, IReadOnlyList<AlterPartitionItem> items);

    /// <summary>
    /// A broker about to stop (SIGTERM): leadership of its partitions moves to other in-sync replicas and it
    /// leaves every ISR, in one change; until it registers again it is neither elected nor added back.
    /// </summary>
    [Alias("controlled-shutdown")]
    Task<ControlledShutdownResult> ControlledShutdown(int brokerId);

    /// <summary>
    /// Starts, replaces or (with a null target) cancels reassignments of partitions' replicas (Kafka's
    /// AlterPartitionReassignments, KIP-455). The new replicas copy the log as followers; once every target
    /// replica is in the ISR the controller makes the target the replicas and the removed brokers delete their
    /// logs. Each request is decided alone; the accepted ones are committed in one change.
    /// </summary>
    [Alias("alter-partition-reassignments")]
    Task<IReadOnlyList<ReassignmentResult>> AlterPartitionReassignments(IReadOnlyList<ReassignmentRequest> requests);

    /// <summary>The reassignments that run, of one topic or of all (null); UNKNOWN_TOPIC_OR_PARTITION for an unknown topic.</summary>
    [Alias("list-partition-reassignments")]
    [AlwaysInterleave]
    Task<ReassignmentListing> ListPartitionReassignments(string? topic);

    /// <summary>
    /// Moves every replica off broker <paramref name="brokerId"/>: for each partition with a replica there, a
    /// reassignment that replaces it with the least-loaded eligible broker not holding one (on another rack
    /// when racks are declared). All or nothing: INVALID_REPLICATION_FACTOR when some partition has no broker
    /// to move to, BROKER_ID_NOT_REGISTERED for an unknown id. With <paramref name="dryRun"/> nothing starts.
    /// </summary>
    [Alias("drain-broker")]
    Task<MovePlan> DrainBroker(int brokerId, bool dryRun);

    /// <summary>
    /// Spreads the replicas of <paramref name="topic"/> (all topics when null) evenly over the eligible brokers,
    /// moving as few as it can, and the preferred leaders too; partitions being reassigned are left alone.
    /// With <paramref name="dryRun"/> nothing starts.
    /// </summary>
    [Alias("rebalance-replicas")]
    Task<MovePlan> RebalanceReplicas(string? topic, bool dryRun);

    /// <summary>
    /// Removes a retired broker from the registry (Kafka's UnregisterBroker): BROKER_ID_NOT_REGISTERED for an
    /// unknown id; INVALID_REQUEST while it runs or still holds replicas (drain it first).
    /// </summary>
    [Alias("unregister-broker")]
    Task<BrokerResult> UnregisterBroker(int brokerId);
}

/// <summary>The answer to a topic operation: the topic as it is now, or the Kafka error that refused it.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-result")]
public sealed record TopicResult(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] TopicMetadata? Topic)
{
    public static TopicResult Ok(TopicMetadata topic) => new(Orlog.Client.ErrorCode.None, null, topic);

    public static TopicResult Failed(Orlog.Client.ErrorCode error, string message) => new(error, message, null);

    /// <summary>The topic, or a <see cref="Orlog.Client.KafkaException"/> carrying the error.</summary>
    public TopicMetadata GetTopicOrThrow() =>
        Error == Orlog.Client.ErrorCode.None && Topic is not null ? Topic : throw new Orlog.Client.KafkaException(Error, ErrorMessage ?? Error.KafkaName());
}

/// <summary>A topic's configs as <see cref="IControllerGrain.DescribeTopicConfigs"/> describes them, or the error.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-configs-result")]
public sealed record TopicConfigsResult(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] IReadOnlyList<TopicConfigValue> Configs);

/// <summary>A topic config with the value in force and where it comes from.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-config-value")]
public sealed record TopicConfigValue([property: Id(0)] string Name, [property: Id(1)] string Value, [property: Id(2)] TopicConfigSource Source);

/// <summary>Where a topic config's value comes from.</summary>
public enum TopicConfigSource
{
    /// <summary>Set on the topic.</summary>
    Topic,

    /// <summary>Set on the broker, for every topic that does not set it.</summary>
    Broker,

    /// <summary>Kafka's default.</summary>
    Default,
}
