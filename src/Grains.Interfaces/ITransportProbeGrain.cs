namespace Orlog.Grains;

/// <summary>
/// A grain that takes produce-shaped requests and does nothing with them: the Orleans transport's ceiling,
/// measured by the benchmarks beside Orlog's own produce path (the same bytes through a grain that does
/// nothing). It reads no state, touches no log and is never called by the broker or the SDK.
/// </summary>
[Alias("orlog.transport-probe")]
public interface ITransportProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Receives a request shaped as the broker's produce request and returns how many batches it held.</summary>
    [Alias("accept")]
    Task<int> Accept(ProduceRequest request);

    /// <summary>Receives a plain byte array and returns its length.</summary>
    [Alias("accept-bytes")]
    Task<int> AcceptBytes(byte[] payload);
}
