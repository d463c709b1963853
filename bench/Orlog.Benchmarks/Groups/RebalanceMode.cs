namespace Orlog.Benchmarks.Groups;

/// <summary>How the members of a rebalance run are played.</summary>
internal enum RebalanceMode
{
    /// <summary>Server-side assignment (KIP-848), members played at grain level.</summary>
    ServerSide,

    /// <summary>Kafka's classic protocol, cooperative rebalancing (KIP-429), members played at grain level.</summary>
    ClassicCooperative,

    /// <summary>Kafka's classic protocol, eager rebalancing, members played at grain level.</summary>
    ClassicEager,

    /// <summary>Server-side assignment through the SDK: IConsumer.Subscribe consumers.</summary>
    Sdk,
}
