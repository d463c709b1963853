namespace Orlog.Grains.Cluster;

/// <summary>
/// Where this broker's surfaces beyond the gateway are reached, as host:port, set by the host before the broker
/// registers (the controller's registry and Metadata answers carry them): null for a surface that is off.
/// </summary>
public sealed class BrokerEndpoints
{
    /// <summary>The Kafka listener, as Kafka clients are told to reach it.</summary>
    public string? Kafka { get; set; }

    /// <summary>The web surface.</summary>
    public string? Web { get; set; }
}
