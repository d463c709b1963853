using System.Collections.Concurrent;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The gateway over an Orleans grain factory (a cluster client, or a silo's own factory).</summary>
internal sealed class GrainFactoryGateway : IClusterGateway
{
    private readonly IGrainFactory _grains;
    private readonly ConcurrentDictionary<int, IBrokerGrain> _brokers = new();

    public GrainFactoryGateway(IGrainFactory grains)
    {
        _grains = grains;
        Controller = grains.GetGrain<IControllerGrain>(0);
        ProducerIds = grains.GetGrain<IProducerIdGrain>(0);
    }

    public IControllerGrain Controller { get; }

    public IProducerIdGrain ProducerIds { get; }

    /// <summary>The broker's grain reference, made once per broker.</summary>
    public IBrokerGrain Broker(int brokerId) =>
        _brokers.TryGetValue(brokerId, out var broker) ? broker : _brokers.GetOrAdd(brokerId, id => _grains.GetGrain<IBrokerGrain>(id));

    public IConsumerGroupGrain Group(string groupId) => _grains.GetGrain<IConsumerGroupGrain>(groupId);
}
