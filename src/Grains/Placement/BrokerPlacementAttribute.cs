using Orleans.Placement;

namespace Orlog.Grains.Placement;

/// <summary>Marks a grain class as living on the silo of the broker its key names (<see cref="BrokerPlacementStrategy"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BrokerPlacementAttribute : PlacementAttribute
{
    public BrokerPlacementAttribute()
        : base(BrokerPlacementStrategy.Instance)
    {
    }
}
