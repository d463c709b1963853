using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// One system the compare program measures (Orlog, Redis Streams, NATS JetStream, Orleans streams, PostgreSQL),
/// behind the same small interface: started privately (loopback, its own temp directory, free ports), fed by the
/// same record generator, timed by the same clock, and stopped by PID when disposed, leaving nothing running.
/// </summary>
internal interface IPeer : IAsyncDisposable
{
    /// <summary>The row name, with the durability setting when a system is measured twice (e.g. "Orlog, flush.ms=1000").</summary>
    string Name { get; }

    /// <summary>What an acknowledged write promises: "in memory", "in the page cache", "on disk within 1 s", "on disk before the ack".</summary>
    string AckPromise { get; }

    /// <summary>The server's and client library's versions and the settings used, for the report (filled by <see cref="StartAsync"/>).</summary>
    string Description { get; }

    /// <summary>Which workloads this peer runs (a reference line such as PostgreSQL may skip latency).</summary>
    bool Supports(WorkloadKind kind);

    /// <summary>Starts the server (if any) and connects.</summary>
    Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <see cref="Workload.Producers"/> × <see cref="Workload.RecordsPerProducer"/> records of the generator into
    /// a fresh stream named <paramref name="stream"/> (created with <see cref="Workload.Partitions"/> partitions or the
    /// peer's closest equivalent), concurrently from that many producers; timed from the first write until every write
    /// is acknowledged.
    /// </summary>
    Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken);

    /// <summary>Reads every record of <paramref name="stream"/> (written by <see cref="ProduceAsync"/>) with <see cref="Workload.Consumers"/> consumers in one group; timed from the first read request until the last record arrived.</summary>
    Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken);

    /// <summary>Writes at a steady <paramref name="ratePerSecond"/> for <paramref name="duration"/> while one consumer reads; end-to-end latency from the timestamp in each record to its arrival.</summary>
    Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken);
}

/// <summary>The workloads of issue #6: W1 one producer into one partition then one consumer; W2 10 keyed producers into 12 partitions, 3 consumers in a group; W3 1 KiB records; W4 latency.</summary>
internal enum WorkloadKind
{
    Produce,
    Consume,
    Latency,
}

/// <param name="Id">"W1", "W2", "W3".</param>
/// <param name="Producers">Concurrent producers.</param>
/// <param name="Consumers">Consumers in one group (read side).</param>
/// <param name="Partitions">Partitions of the stream (or the peer's closest equivalent; the peer says what it used in its description).</param>
/// <param name="RecordsPerProducer">Records each producer writes.</param>
/// <param name="RecordBytes">Value size.</param>
/// <param name="Keyed">Whether records carry a key (routing by key where the peer has partitions).</param>
internal sealed record Workload(string Id, int Producers, int Consumers, int Partitions, long RecordsPerProducer, int RecordBytes, bool Keyed)
{
    public long TotalRecords => Producers * RecordsPerProducer;
}

/// <summary>End-to-end latency percentiles in milliseconds over <paramref name="Count"/> records.</summary>
internal readonly record struct Latency(double P50Ms, double P99Ms, double P999Ms, long Count);

/// <summary>Where a peer may put things and how it finds ports; everything under <see cref="Directory"/> is removed at the end.</summary>
internal sealed class PeerEnvironment(string directory, string repositoryRoot, Action<string> log)
{
    /// <summary>A private temp directory for this peer's server data.</summary>
    public string Directory { get; } = directory;

    public string RepositoryRoot { get; } = repositoryRoot;

    public void Log(string line) => log(line);

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
