namespace Orlog.Kafka.Server;

/// <summary>
/// What the listener tells Kafka clients about the cluster, as the broker it runs on sees it: the brokers that
/// have a Kafka listener, the controller, and every topic with its partitions. The silo builds it from its
/// metadata; the listener only reads it.
/// </summary>
/// <param name="ClusterId">The cluster's id, as Metadata and DescribeCluster report it.</param>
/// <param name="ControllerId">The broker hosting the controller, or -1.</param>
/// <param name="Brokers">The live brokers with a Kafka listener, by id.</param>
/// <param name="Topics">Every topic by name.</param>
public sealed record KafkaClusterView(
    string ClusterId,
    int ControllerId,
    IReadOnlyList<KafkaBrokerEndpoint> Brokers,
    IReadOnlyDictionary<string, KafkaTopicView> Topics)
{
    /// <summary>No brokers and no topics.</summary>
    public static KafkaClusterView Empty(string clusterId) => new(clusterId, -1, [], new Dictionary<string, KafkaTopicView>(StringComparer.Ordinal));

    /// <summary>A partition by topic name and index, or null.</summary>
    public KafkaPartitionView? Partition(string topic, int partition) =>
        Topics.TryGetValue(topic, out var found) && partition >= 0 && partition < found.Partitions.Count ? found.Partitions[partition] : null;

    /// <summary>A topic by id, or null.</summary>
    public KafkaTopicView? TopicById(Guid topicId)
    {
        foreach (var topic in Topics.Values)
        {
            if (topic.TopicId == topicId)
            {
                return topic;
            }
        }
        return null;
    }

    /// <summary>A live broker's Kafka endpoint, or null.</summary>
    public KafkaBrokerEndpoint? Broker(int id)
    {
        foreach (var broker in Brokers)
        {
            if (broker.Id == id)
            {
                return broker;
            }
        }
        return null;
    }
}

/// <summary>A broker's Kafka endpoint, as clients are told to reach it.</summary>
public sealed record KafkaBrokerEndpoint(int Id, string Host, int Port, string? Rack);

/// <summary>A topic: its id and its partitions in partition order.</summary>
public sealed record KafkaTopicView(string Name, Guid TopicId, IReadOnlyList<KafkaPartitionView> Partitions);

/// <summary>A partition: its leader (-1 when it has none), the leader's epoch, its replicas, ISR and the replicas on brokers that are down.</summary>
public sealed record KafkaPartitionView(int Partition, int Leader, int LeaderEpoch, IReadOnlyList<int> Replicas, IReadOnlyList<int> Isr, IReadOnlyList<int> OfflineReplicas);
