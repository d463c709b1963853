namespace Orlog.Grains.Topics;

/// <summary>How a silo's topic routers batch: the producer's settings of the same names.</summary>
public sealed class TopicRouterOptions
{
    /// <summary>linger.ms: how long a partition's open batch waits for more records before it is sent (0: at once when nothing is in flight).</summary>
    public int LingerMs { get; set; } = 5;

    /// <summary>batch.size: a batch at this many bytes is sent without waiting.</summary>
    public int BatchSize { get; set; } = 16_384;

    /// <summary>delivery.timeout.ms: how long a batch is retried (a leader moving, a replica opening) before its callers get the error.</summary>
    public int DeliveryTimeoutMs { get; set; } = 120_000;
}
