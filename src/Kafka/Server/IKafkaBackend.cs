namespace Orlog.Kafka.Server;

/// <summary>
/// The broker behind the Kafka listener. The silo implements it over its grains and metadata; the listener
/// and its handlers know no grain, and the tests give them a fake.
/// </summary>
public interface IKafkaBackend
{
    /// <summary>The cluster as this broker sees it now.</summary>
    KafkaClusterView Cluster { get; }
}
