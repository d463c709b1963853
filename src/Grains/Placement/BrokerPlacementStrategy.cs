namespace Orlog.Grains.Placement;

/// <summary>
/// Places a grain that belongs to one broker (the broker grain, key: broker id; a partition replica, key:
/// <c>topic/partition/broker</c>) on that broker's silo and nowhere else.
/// </summary>
/// <remarks>
/// Such a grain keeps no entry in Orleans' grain directory: its placement already says where it is. With an
/// entry, a silo that leaves (even gracefully) makes Orleans deactivate every activation whose entry that silo
/// held, on every other silo: a broker grain of a live broker, busy with an acks=all produce, then held every
/// call to it (replica fetches included, which the produce waited for) until the produce timed out, 30 s.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("orlog.broker-placement")]
public sealed class BrokerPlacementStrategy : PlacementStrategy
{
    public static BrokerPlacementStrategy Instance { get; } = new();

    public override bool IsUsingGrainDirectory => false;
}
