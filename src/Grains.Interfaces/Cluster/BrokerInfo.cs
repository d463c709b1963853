namespace Orlog.Grains;

/// <summary>
/// A broker as the controller's registry knows it: its id, where clients reach it, its rack, whether its
/// silo is alive in Orleans' membership, and its broker epoch: the metadata version that recorded its last
/// registration, new at every start (as KRaft's), so a run of the broker can be told from an earlier one.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.broker-info")]
public sealed record BrokerInfo(
    [property: Id(0)] int Id,
    [property: Id(1)] string? Gateway,
    [property: Id(2)] string? Rack,
    [property: Id(3)] BrokerStatus Status,
    [property: Id(4)] string? Kafka,
    [property: Id(5)] string? Web,
    [property: Id(6)] string? SiloAddress,
    [property: Id(7)] long Epoch = -1);

/// <summary>A broker's liveness, from Orleans' membership of its silo.</summary>
public enum BrokerStatus
{
    /// <summary>Its silo is active.</summary>
    Alive = 0,

    /// <summary>Its silo is stopping gracefully.</summary>
    ShuttingDown = 1,

    /// <summary>Its silo is dead, or it has none: registered once, not running now.</summary>
    Dead = 2,
}
