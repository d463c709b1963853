using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Orleans' own streams as an Orleans user reaches for them first: Microsoft.Orleans.Streaming's memory stream
/// provider in a silo hosted in this process, produced to and consumed from by an Orleans client through the gateway
/// (see <see cref="OrleansStreamsDriver"/>). Nothing is stored: records exist only in the queue grains' memory, and a
/// subscriber only sees what is produced after it subscribed.
/// </summary>
internal sealed class OrleansStreamsPeer : IPeer
{
    public const string ProviderName = "mem";

    /// <summary>Queues (queue grains and pulling agents) of the memory provider; the default is 4.</summary>
    public const int Queues = 8;

    private readonly OrleansStreamsDriver _driver = new(
        ProviderName,
        silo => silo.AddMemoryStreams(ProviderName, streams => streams.ConfigurePartitioning(Queues)),
        client => client.AddMemoryStreams(ProviderName, streams => streams.ConfigurePartitioning(Queues)));

    public string Name => "Orleans streams (memory)";

    public string AckPromise => "in memory (lost if the silo dies)";

    public string Description { get; private set; } = "";

    /// <summary>The silo runs inside this process: its PID is ours.</summary>
    public static int ServerProcessId => Environment.ProcessId;

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        await _driver.StartAsync(environment, cancellationToken).ConfigureAwait(false);
        Description =
            $"Microsoft.Orleans.Streaming {OrleansVersion()}, memory stream provider (AddMemoryStreams, {Queues} queues), " +
            $"memory grain storage \"PubSubStore\"; one silo hosted in this process (localhost clustering), an Orleans client " +
            $"in the same process through the gateway; IAsyncStream<byte[]>.OnNextAsync per record, {OrleansStreamsDriver.InFlightPerProducer} " +
            "in flight per producer; W2: 12 streams chosen by key hash (FNV-1a), each subscribed by one of 3 client-side " +
            "consumers (no consumer groups in Orleans streams); bytes counted are the values. Memory provider: no persistence; " +
            "consumers must be subscribed before producing; read rate measured as delivery during produce (first to last delivery).";
    }

    public Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken) =>
        _driver.ProduceAsync(stream, workload, records, cancellationToken);

    public Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken) =>
        _driver.ConsumeAsync(stream, workload, cancellationToken);

    public Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken) =>
        _driver.LatencyAsync(stream, ratePerSecond, duration, records, cancellationToken);

    public ValueTask DisposeAsync() => _driver.DisposeAsync();

    /// <summary>The informational version of Microsoft.Orleans.Streaming (e.g. "10.4.2"), without the commit suffix.</summary>
    internal static string OrleansVersion() =>
        typeof(Orleans.Providers.MemoryAdapterFactory<>).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion.Split(' ', '+')[0].TrimEnd('.') ?? "?";
}
