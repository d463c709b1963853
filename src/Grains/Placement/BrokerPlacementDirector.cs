using System.Globalization;
using Orleans.Runtime.Placement;
using Orlog.Grains.Cluster;
using Orlog.Grains.Partitions;

namespace Orlog.Grains.Placement;

/// <summary>
/// Puts a broker's grains on its silo, found by name in Orleans' membership (<see cref="BrokerSilos"/>). When
/// that broker has no active silo the call fails at once with a retriable Kafka error (the caller refreshes
/// its metadata); it is never placed elsewhere, so no silo ever opens a log of another broker.
/// </summary>
internal sealed class BrokerPlacementDirector(BrokerSilos silos) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        if (key.Contains('/', StringComparison.Ordinal))
        {
            var replica = ReplicaKey.Parse(key);
            return Task.FromResult(silos.ActiveSiloOf(replica.Broker)
                ?? throw new KafkaException(ErrorCode.ReplicaNotAvailable, string.Create(CultureInfo.InvariantCulture,
                    $"The replica of {replica.TopicPartition} on broker {replica.Broker} is not available: that broker is not running. Refresh the metadata.")));
        }
        if (!target.GrainIdentity.TryGetIntegerKey(out var brokerId, out _))
        {
            throw new ArgumentException($"Grain {target.GrainIdentity} has no broker id in its key.", nameof(target));
        }
        return Task.FromResult(silos.ActiveSiloOf((int)brokerId)
            ?? throw new KafkaException(ErrorCode.NotLeaderOrFollower, string.Create(CultureInfo.InvariantCulture,
                $"Broker {brokerId} is not running, so it leads no partition now. Refresh the metadata.")));
    }
}
