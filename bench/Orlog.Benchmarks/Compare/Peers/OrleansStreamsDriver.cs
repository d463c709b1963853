using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// What the Orleans stream peers share: a silo hosted in this process (localhost clustering on free ports, memory
/// grain storage "PubSubStore" for the stream pub-sub, the stream provider under test) and an Orleans client beside it
/// that connects through the silo's gateway like any application would. The client produces with
/// OnNextBatchAsync (the memory provider queues a batch as one message; a bounded number of batches in flight per
/// producer) and consumes with explicit client-side subscriptions, which are handed the records one by one.
/// The memory provider keeps nothing for a subscriber that does not exist yet, so every produce subscribes its counting
/// consumers first and the read rate is the delivery rate during the produce, first to last delivery.
/// A run's streams are <c>streamIds(run, partition)</c>: by default the run's name is the namespace and the partition the key.
/// </summary>
internal sealed class OrleansStreamsDriver(string providerName, Action<ISiloBuilder> configureSilo, Action<IClientBuilder> configureClient,
    Func<string, int, StreamId>? streamIds = null) : IAsyncDisposable
{
    private readonly Func<string, int, StreamId> _streamIds = streamIds ?? ((stream, partition) => StreamId.Create(stream, partition));

    /// <summary>Records per OnNextBatchAsync call (per stream; the last batch of a producer may be shorter).</summary>
    public const int BatchRecords = 100;

    /// <summary>OnNextBatchAsync calls each producer keeps in flight.</summary>
    public const int InFlightBatches = 16;

    /// <summary>How long a delivery may stall (no new record arriving) before a run is declared lost.</summary>
    private static readonly TimeSpan _stallTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Run> _runs = [];
    private IHost? _silo;
    private IHost? _client;
    private IStreamProvider? _streams;

    public int SiloPort { get; private set; }

    public int GatewayPort { get; private set; }

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        SiloPort = PeerEnvironment.FreePort();
        GatewayPort = PeerEnvironment.FreePort();
        var clusterId = "compare-" + Guid.NewGuid().ToString("N")[..8];
        const string serviceId = "orlog-compare";

        var silo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = environment.Directory });
        silo.Logging.ClearProviders().SetMinimumLevel(LogLevel());
        silo.Logging.AddProvider(new OrleansStreamsLog("[orleans silo]", environment.Log, LogLevel()));
        silo.UseOrleans(builder =>
        {
            builder.UseLocalhostClustering(SiloPort, GatewayPort, null, serviceId, clusterId);
            builder.AddMemoryGrainStorage("PubSubStore");
            configureSilo(builder);
        });
        _silo = silo.Build();
        await _silo.StartAsync(cancellationToken).ConfigureAwait(false);

        var client = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = environment.Directory });
        client.Logging.ClearProviders().SetMinimumLevel(LogLevel());
        client.Logging.AddProvider(new OrleansStreamsLog("[orleans client]", environment.Log, LogLevel()));
        client.UseOrleansClient(builder =>
        {
            builder.UseLocalhostClustering(GatewayPort, serviceId, clusterId);
            configureClient(builder);
        });
        _client = client.Build();
        await _client.StartAsync(cancellationToken).ConfigureAwait(false);
        _streams = _client.Services.GetRequiredService<IClusterClient>().GetStreamProvider(providerName);

        // Activates the queue, pub-sub and pulling-agent machinery once, and proves the setup delivers.
        var warmUp = new Workload("warm-up", 1, 1, 1, 1000, 100, false);
        await ProduceAsync("warm-up", warmUp, new RecordGenerator(100), cancellationToken).ConfigureAwait(false);
        await ConsumeAsync("warm-up", warmUp, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var streams = Streams;
        var partitions = Math.Max(1, workload.Partitions);
        var consumers = Enumerable.Range(0, Math.Max(1, workload.Consumers)).Select(_ => new OrleansStreamsCounter()).ToArray();
        var handles = new List<StreamSubscriptionHandle<byte[]>>();
        var targets = new IAsyncStream<byte[]>[partitions];
        for (var partition = 0; partition < partitions; partition++)
        {
            targets[partition] = streams.GetStream<byte[]>(_streamIds(stream, partition));
            // Closest equivalent of a group: each stream has exactly one of the consumers subscribed.
            handles.Add(await targets[partition].SubscribeAsync(consumers[partition % consumers.Length]).ConfigureAwait(false));
        }
        _runs[stream] = new Run(consumers, handles, workload.TotalRecords, (long)workload.TotalRecords * records.ValueBytes);

        var start = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, workload.Producers)
            .Select(producer => Task.Run(() => ProduceOneAsync(producer, targets, workload, records, cancellationToken), cancellationToken));
        await Task.WhenAll(producers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new Rate(workload.TotalRecords, workload.TotalRecords * records.ValueBytes, elapsed);
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        if (!_runs.Remove(stream, out var run))
        {
            throw new InvalidOperationException($"Orleans streams keep nothing for late subscribers: {stream} must be produced (with its consumers subscribed) before it is consumed.");
        }
        try
        {
            await WaitForAsync(run.Consumers, run.Records, stream, cancellationToken).ConfigureAwait(false);
            var bytes = run.Consumers.Sum(c => c.Bytes);
            if (bytes != run.Bytes)
            {
                throw new InvalidOperationException($"{stream}: delivered {bytes} bytes, expected {run.Bytes}.");
            }
            var first = run.Consumers.Min(c => c.First);
            var last = run.Consumers.Max(c => c.Last);
            return new Rate(run.Records, bytes, Stopwatch.GetElapsedTime(first, last));
        }
        finally
        {
            foreach (var handle in run.Handles)
            {
                await handle.UnsubscribeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken)
    {
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var consumer = new OrleansStreamsCounter(checked((int)total));
        var target = Streams.GetStream<byte[]>(_streamIds(stream, 0));
        var handle = await target.SubscribeAsync(consumer).ConfigureAwait(false);
        try
        {
            var window = new Task[InFlightBatches];
            var start = Stopwatch.GetTimestamp();
            long sent = 0;
            long batches = 0;
            while (sent < total)
            {
                // Everything due since the last tick goes as one batch, stamped now.
                var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * ratePerSecond));
                if (due > sent)
                {
                    var batch = new List<byte[]>((int)(due - sent));
                    for (; sent < due; sent++)
                    {
                        batch.Add(records.StampedValue());
                    }
                    await SendAsync(window, batches++, target, batch).ConfigureAwait(false);
                }
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAll(window.Where(t => t is not null)).ConfigureAwait(false);
            await WaitForAsync([consumer], total, stream, cancellationToken).ConfigureAwait(false);
            var ages = consumer.Ages();
            Array.Sort(ages);
            return new Latency(Percentile(ages, 0.50), Percentile(ages, 0.99), Percentile(ages, 0.999), ages.Length);
        }
        finally
        {
            await handle.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { _client, _silo })
        {
            if (host is null)
            {
                continue;
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await host.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                host.Dispose();
            }
        }
        _client = null;
        _silo = null;
    }

    /// <summary>Warnings and errors by default; ORLOG_COMPARE_ORLEANS_LOG=Debug (or another level) for more.</summary>
    private static LogLevel LogLevel() =>
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("ORLOG_COMPARE_ORLEANS_LOG"), out var level) ? level : Microsoft.Extensions.Logging.LogLevel.Warning;

    private IStreamProvider Streams => _streams ?? throw new InvalidOperationException("The Orleans peer is not started.");

    private static async Task ProduceOneAsync(int producer, IAsyncStream<byte[]>[] targets, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var window = new Task[InFlightBatches];
        var pending = new List<byte[]>?[targets.Length];
        var sent = 0L;
        for (long i = 0; i < workload.RecordsPerProducer; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var partition = workload.Keyed ? KeyPartition(records.Key(i), targets.Length) : producer % targets.Length;
            var batch = pending[partition] ??= new List<byte[]>(BatchRecords);
            batch.Add(records.Value);
            if (batch.Count == BatchRecords)
            {
                pending[partition] = null;
                await SendAsync(window, sent++, targets[partition], batch).ConfigureAwait(false);
            }
        }
        for (var partition = 0; partition < targets.Length; partition++)
        {
            if (pending[partition] is { } rest)
            {
                await SendAsync(window, sent++, targets[partition], rest).ConfigureAwait(false);
            }
        }
        await Task.WhenAll(window.Where(t => t is not null)).ConfigureAwait(false);
    }

    /// <summary>Sends one batch, first waiting for the batch sent <see cref="InFlightBatches"/> batches ago.</summary>
    private static async Task SendAsync(Task[] window, long sequence, IAsyncStream<byte[]> target, List<byte[]> batch)
    {
        var slot = (int)(sequence % window.Length);
        if (window[slot] is { } previous)
        {
            await previous.ConfigureAwait(false);
        }
        window[slot] = target.OnNextBatchAsync(batch);
    }

    /// <summary>The stream a key goes to: FNV-1a of its bytes, modulo the number of streams.</summary>
    private static int KeyPartition(byte[] key, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    private static async Task WaitForAsync(OrleansStreamsCounter[] consumers, long expected, string stream, CancellationToken cancellationToken)
    {
        var seen = -1L;
        var progressAt = Stopwatch.GetTimestamp();
        while (true)
        {
            var count = consumers.Sum(c => c.Count);
            if (consumers.FirstOrDefault(c => c.Error is not null)?.Error is { } error)
            {
                throw new InvalidOperationException($"{stream}: a subscriber got an error after {count} of {expected} records.", error);
            }
            if (count > expected)
            {
                throw new InvalidOperationException($"{stream}: delivered {count} records, more than the {expected} produced (duplicates).");
            }
            if (count == expected)
            {
                return;
            }
            if (count != seen)
            {
                seen = count;
                progressAt = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(progressAt) > _stallTimeout)
            {
                throw new TimeoutException($"{stream}: delivered {count} of {expected} records, none more within {_stallTimeout.TotalSeconds:0} s (records lost).");
            }
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Run(OrleansStreamsCounter[] Consumers, List<StreamSubscriptionHandle<byte[]>> Handles, long Records, long Bytes);
}
