// A persistent provider was tried and left out: Microsoft.Orleans.Streaming.NATS 10.4.2-alpha.1 against a private
// nats-server 2.9.10 (Debian's; -js, file storage), same silo and client as here, AddNatsStreams("nats") on both with
// StreamName, NatsClientOptions.Url, PartitionCount 8, StorageType File.
// 1. Plain `nats-server -js -sd <dir> -a 127.0.0.1 -p <port>`: every OnNextAsync was acknowledged and the JetStream
//    stream held the records (1000 of the warm-up, /jsz), but nothing was ever delivered. The provider partitions with
//    a subject transform on its stream ("nats.*.*" -> "nats.{{partition(8,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"),
//    which nats-server reads only from 2.10 on; 2.9 dropped it silently (stream subjects "nats.>", no transform), so
//    the 8 partition consumers (filters "nats.N.>") matched nothing.
// 2. The same transform as an account subject mapping in a config file (`mappings = { "nats.*.*": ... }`, supported
//    by 2.9): records then reached the partition consumers, but delivery was far too slow to measure (the 1000-record
//    warm-up took about 90 s) and stalled: W1 delivered 3,200 of 100,000 records and then nothing for 30 s.
// So no NATS peer: it needs nats-server 2.10 or newer at least, and an alpha provider that delivers.
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
            $"in the same process through the gateway; IAsyncStream<byte[]>.OnNextBatchAsync with {OrleansStreamsDriver.BatchRecords} records " +
            $"per batch (the memory provider takes a batch as one queue message), {OrleansStreamsDriver.InFlightBatches} batches in flight per " +
            "producer (latency run: whatever is due each millisecond as one batch); W2: 12 streams chosen by key hash (FNV-1a), each subscribed by one of 3 client-side " +
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
