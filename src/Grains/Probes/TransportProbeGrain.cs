using Orleans.Concurrency;

namespace Orlog.Grains.Probes;

/// <summary>
/// The transport probe: the request is deserialized by Orleans, as a produce request to the broker is, and
/// then dropped. Reentrant like the broker grain, so calls in flight do not queue behind each other here.
/// </summary>
[Reentrant]
public sealed class TransportProbeGrain : Grain, ITransportProbeGrain
{
    public Task<int> Accept(ProduceRequest request) => Task.FromResult(request.Batches.Count);

    public Task<int> AcceptBytes(byte[] payload) => Task.FromResult(payload.Length);
}
