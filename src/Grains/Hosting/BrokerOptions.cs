namespace Orlog.Grains.Hosting;

/// <summary>
/// The broker's settings: who it is, where its data lives, and the broker-wide defaults (Kafka's broker
/// config names) that a topic's own configs override. Bound from the "Orlog" configuration section.
/// </summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Orlog";

    /// <summary>The data directory: partition logs, meta.properties, the lock, metadata/.</summary>
    /// <value>"./data".</value>
    public string DataDirectory { get; set; } = "data";

    /// <summary>This broker's id (Kafka's broker.id); recorded in meta.properties at first start.</summary>
    /// <value>0.</value>
    public int BrokerId { get; set; }

    /// <summary>The cluster's id; recorded in meta.properties at first start. A data directory of another cluster is refused.</summary>
    /// <value>"orlog".</value>
    public string ClusterId { get; set; } = "orlog";

    /// <summary>The rack this broker is in (Kafka's broker.rack), for spreading replicas over racks; null when not set.</summary>
    /// <value>null.</value>
    public string? Rack { get; set; }

    /// <summary>
    /// Broker-wide defaults under Kafka's broker config names (log.retention.ms, log.segment.bytes,
    /// log.flush.interval.ms, num.partitions, default.replication.factor, auto.create.topics.enable, ...).
    /// </summary>
    public Dictionary<string, string> Defaults { get; set; } = new(StringComparer.Ordinal);
}
