namespace Orlog.Grains;

/// <summary>
/// The controller's whole view at one version: every topic with its partitions (replicas, leader, leader
/// epoch, partition epoch, ISR) and every registered broker. Pushed to every broker after each change (the
/// role of Kafka's UpdateMetadata and LeaderAndIsr); a broker that missed a push asks for it by version.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.cluster-metadata")]
public sealed record ClusterMetadata(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, TopicMetadata> Topics,
    [property: Id(2)] IReadOnlyList<BrokerInfo> Brokers,
    [property: Id(3)] int ControllerBroker)
{
    /// <summary>Nothing known yet: version 0, no topics, no brokers.</summary>
    public static ClusterMetadata Empty { get; } = new(0, new Dictionary<string, TopicMetadata>(StringComparer.Ordinal), [], -1);
}
