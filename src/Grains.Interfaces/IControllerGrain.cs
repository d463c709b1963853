namespace Orlog.Grains;

/// <summary>
/// The cluster's controller (one grain, key 0, state persisted): topics with their ids, configs and
/// partition assignment. Admin operations go through it; errors are Kafka's (INVALID_TOPIC_EXCEPTION,
/// TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_CONFIG, ...) raised as
/// <see cref="Records.KafkaException"/>.
/// </summary>
[Alias("orlog.controller")]
public interface IControllerGrain : IGrainWithIntegerKey
{
    [Alias("create-topic")]
    Task<TopicMetadata> CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs);

    [Alias("delete-topic")]
    Task DeleteTopic(string name);

    [Alias("list-topics")]
    Task<IReadOnlyList<string>> ListTopics();

    /// <summary>The metadata of the named topics (all when null); unknown names are left out.</summary>
    [Alias("get-topics")]
    Task<IReadOnlyList<TopicMetadata>> GetTopics(IReadOnlyList<string>? names);

    [Alias("describe-topic")]
    Task<TopicMetadata> DescribeTopic(string name);

    /// <summary>Sets (or, with a null value, removes) topic config overrides.</summary>
    [Alias("alter-configs")]
    Task<TopicMetadata> AlterConfigs(string name, IReadOnlyDictionary<string, string?> changes);

    /// <summary>Grows the topic to <paramref name="totalPartitions"/>; partitions never shrink.</summary>
    [Alias("add-partitions")]
    Task<TopicMetadata> AddPartitions(string name, int totalPartitions);

    /// <summary>A number that changes whenever a topic is created, deleted or grows (group coordinators poll it to rebalance).</summary>
    [Alias("metadata-version")]
    Task<long> MetadataVersion();
}
