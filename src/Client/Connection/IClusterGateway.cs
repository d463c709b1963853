using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The grains the SDK talks to. A seam: tests wrap it to count or drop calls.</summary>
internal interface IClusterGateway
{
    IControllerGrain Controller { get; }

    IProducerIdGrain ProducerIds { get; }

    IBrokerGrain Broker(int brokerId);

    /// <summary>The coordinator of consumer group <paramref name="groupId"/>.</summary>
    IConsumerGroupGrain Group(string groupId);
}
