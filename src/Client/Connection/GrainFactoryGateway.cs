using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The gateway over an Orleans grain factory (a cluster client, or a silo's own factory).</summary>
internal sealed class GrainFactoryGateway : IClusterGateway
{
    private readonly IGrainFactory _grains;

    public GrainFactoryGateway(IGrainFactory grains)
    {
        _grains = grains;
        Controller = grains.GetGrain<IControllerGrain>(0);
        ProducerIds = grains.GetGrain<IProducerIdGrain>(0);
    }

    public IControllerGrain Controller { get; }

    public IProducerIdGrain ProducerIds { get; }

    public IBrokerGrain Broker(int brokerId) => _grains.GetGrain<IBrokerGrain>(brokerId);
}
