namespace Orlog.Grains.Placement;

/// <summary>
/// Places a grain that belongs to one broker (the broker grain, key: broker id; a partition replica, key:
/// <c>topic/partition/broker</c>) on that broker's silo and nowhere else.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("orlog.broker-placement")]
public sealed class BrokerPlacementStrategy : PlacementStrategy
{
    public static BrokerPlacementStrategy Instance { get; } = new();
}
