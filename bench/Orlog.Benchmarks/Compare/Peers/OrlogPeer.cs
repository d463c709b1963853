using System.Diagnostics;
using System.Globalization;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Orlog as an application would run it on one machine: the real silo in its own process (Streaming/SiloRunner,
/// free loopback ports, its own data directory), driven through the SDK from this process. The producer keeps the
/// defaults that make a write durable (acks=all, idempotent) with the streaming benchmark's batching (linger.ms=5,
/// Kafka 4's default, batch.size=256 KiB), or with linger.ms=0 (the setting for latency); the broker flushes every
/// second (log.flush.interval.ms=1000) or before every ack (log.flush.interval.messages=1), the two settings
/// compared with the other systems' durability.
/// </summary>
internal sealed class OrlogPeer(bool fsyncEveryMessage, int lingerMs = 5) : IPeer
{
    private const int BatchSize = 256 * 1024;
    private const int MaxPartitionFetchBytes = 1024 * 1024;
    private static readonly TimeSpan _idle = TimeSpan.FromSeconds(30);

    private SiloRunner? _silo;
    private OrlogClient? _client;
    private IAdminClient? _admin;

    public string Name => (fsyncEveryMessage ? "Orlog, flush.messages=1" : "Orlog, flush.ms=1000") + (lingerMs == 5 ? "" : $", linger.ms={lingerMs}");

    public string AckPromise => fsyncEveryMessage ? "on disk before the ack" : "page cache; on disk within 1 s";

    public string Description { get; private set; } = "";

    private string FlushSetting => fsyncEveryMessage ? "log.flush.interval.messages=1" : "log.flush.interval.ms=1000";

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        var assembly = SiloRunner.FindSilo(environment.RepositoryRoot);
        _silo = await SiloRunner.StartAsync(assembly, ["--config", FlushSetting], TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        environment.Log($"  {Name}: silo pid {_silo.ProcessId} on {_silo.Bootstrap}, data in {_silo.DataDirectory}");
        _client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = _silo.Bootstrap, ClientId = "orlog-compare" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        _admin = await new AdminClientBuilder(new ClientConfig()).SetClient(_client).BuildAsync().ConfigureAwait(false);
        var version = typeof(OrlogClient).Assembly.GetName().Version;
        Description = string.Create(CultureInfo.InvariantCulture,
            $"Orlog {version} (this repository, Release), one silo in its own process, broker {FlushSetting}; SDK producer acks=all (idempotent), linger.ms={lingerMs}, batch.size={BatchSize}, compression none, " +
            $"one producer instance per producer, W2 keyed by the default partitioner into 12 partitions; consumer max.partition.fetch.bytes={MaxPartitionFetchBytes}, " +
            $"W1/W3 read by one consumer with Assign from the beginning, W2 by 3 consumers of one group (Subscribe, auto.offset.reset=earliest; every read timed from its first record to its last, so a group's join is not counted); latency: a consumer assigned to the partition, same producer settings, failures counted by the batch delivery handler (no report per record)");
    }

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var admin = _admin ?? throw new InvalidOperationException("StartAsync first.");
        await admin.CreateTopicAsync(stream, workload.Partitions, cancellationToken: cancellationToken).ConfigureAwait(false);
        var producers = new List<IAsyncDisposable>();
        var lanes = new List<Func<Task>>();
        for (var p = 0; p < workload.Producers; p++)
        {
            if (workload.Keyed)
            {
                var producer = await new ProducerBuilder<byte[], byte[]>(ProducerConfig()).SetClient(Client).BuildAsync().ConfigureAwait(false);
                producers.Add(producer);
                lanes.Add(() => ProduceLaneAsync(producer, stream, workload.RecordsPerProducer, i => records.Key(i), records.Value, cancellationToken));
            }
            else
            {
                var producer = await new ProducerBuilder<Null, byte[]>(ProducerConfig()).SetClient(Client).BuildAsync().ConfigureAwait(false);
                producers.Add(producer);
                lanes.Add(() => ProduceLaneAsync(producer, stream, workload.RecordsPerProducer, _ => null!, records.Value, cancellationToken));
            }
        }
        try
        {
            var watch = Stopwatch.StartNew();
            // Each producer on a thread of its own: Produce blocks while its buffer is full, as it would in an application.
            await Task.WhenAll(lanes.Select(lane => Task.Run(lane, cancellationToken))).ConfigureAwait(false);
            watch.Stop();
            return new Rate(workload.TotalRecords, workload.TotalRecords * records.ValueBytes, watch.Elapsed);
        }
        finally
        {
            foreach (var producer in producers)
            {
                await producer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        var expected = workload.TotalRecords;
        // The highest offset seen per partition: a fresh topic's offsets start at 0 and are read in order, so the
        // records a partition delivered are its highest offset + 1, whatever a rebalance made a consumer read twice.
        var next = new long[workload.Partitions];
        long delivered = 0, bytes = 0;
        var consumers = new List<IConsumer<Ignore, byte[]>>();
        try
        {
            for (var c = 0; c < workload.Consumers; c++)
            {
                var config = new ConsumerConfig { ClientId = $"orlog-compare-{c}", MaxPartitionFetchBytes = MaxPartitionFetchBytes };
                if (workload.Consumers > 1)
                {
                    config.GroupId = stream + "-group";
                    config.AutoOffsetReset = AutoOffsetReset.Earliest;
                }
                consumers.Add(await new ConsumerBuilder<Ignore, byte[]>(config).SetClient(Client).BuildAsync().ConfigureAwait(false));
            }
            // Timed from the first record that arrives: a group's join (heartbeats every few seconds, as in Kafka's
            // KIP-848 consumer) is the groups benchmark's subject, not the read rate's.
            long firstRecord = 0;
            var readers = consumers.Select(consumer => Task.Factory.StartNew(() =>
            {
                if (workload.Consumers > 1)
                {
                    consumer.Subscribe(stream);
                }
                else
                {
                    consumer.Assign(Enumerable.Range(0, workload.Partitions).Select(p => new TopicPartitionOffset(stream, p, Offset.Beginning)));
                }
                var idle = Stopwatch.StartNew();
                while (Read(next) < expected)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result is null)
                    {
                        if (idle.Elapsed > _idle)
                        {
                            throw new InvalidOperationException($"{Name}: nothing arrived from {stream} for {_idle.TotalSeconds:F0} s with {Read(next)} of {expected} records read.");
                        }
                        continue;
                    }
                    idle.Restart();
                    Interlocked.CompareExchange(ref firstRecord, Stopwatch.GetTimestamp(), 0);
                    Interlocked.Increment(ref delivered);
                    Interlocked.Add(ref bytes, result.Message!.Value.Length);
                    Raise(ref next[result.Partition], result.Offset.Value + 1);
                }
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            await Task.WhenAll(readers).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(Interlocked.Read(ref firstRecord));
            var read = Read(next);
            if (read != expected)
            {
                throw new InvalidOperationException($"{Name}: read {read} records of {stream}, expected {expected}.");
            }
            // Bytes count what arrived once: re-deliveries after a rebalance are not counted twice.
            return new Rate(read, bytes * read / Math.Max(1, Interlocked.Read(ref delivered)), elapsed);
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                if (workload.Consumers > 1)
                {
                    await Task.Run(consumer.Close, CancellationToken.None).ConfigureAwait(false);
                }
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
            await Admin.DeleteTopicAsync(stream, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken)
    {
        await Admin.CreateTopicAsync(stream, 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var ages = new double[total];
        long received = 0;
        long failed = 0;
        // Failures are counted a batch at a time: no report object per record in a run that measures tails.
        await using var producer = await new ProducerBuilder<Null, byte[]>(ProducerConfig()).SetClient(Client)
            .SetBatchDeliveryHandler((_, batch) =>
            {
                if (batch.Error.IsError)
                {
                    Interlocked.Add(ref failed, batch.Count);
                }
            })
            .BuildAsync().ConfigureAwait(false);
        await using var consumer = await new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { ClientId = "orlog-compare-latency" }).SetClient(Client).BuildAsync().ConfigureAwait(false);
        consumer.Assign(new TopicPartitionOffset(stream, 0, Offset.Beginning));
        // One record written and read before the clock starts, as the other peers' consumers are reading before
        // they publish (the Kafka peer's librdkafka consumer needs it most).
        await producer.ProduceAsync(stream, new Message<Null, byte[]> { Value = records.Value }, cancellationToken).ConfigureAwait(false);
        var warm = Stopwatch.StartNew();
        while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is null)
        {
            if (warm.Elapsed > _idle)
            {
                throw new InvalidOperationException($"{Name}: the latency run's first record did not arrive within {_idle.TotalSeconds:F0} s.");
            }
        }
        var reading = Task.Factory.StartNew(() =>
        {
            var idle = Stopwatch.StartNew();
            while (received < total)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    if (idle.Elapsed > _idle)
                    {
                        throw new InvalidOperationException($"{Name}: latency run stalled at {received} of {total} records.");
                    }
                    continue;
                }
                idle.Restart();
                ages[received++] = RecordGenerator.AgeMs(result.Message!.Value);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Produce has serialized a message when it returns, so one message object carries every stamped value.
        var message = new Message<Null, byte[]>();
        SteadyRate.Run(total, ratePerSecond, () =>
        {
            message.Value = records.StampedValue();
            producer.Produce(stream, message);
        }, cancellationToken);
        await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await reading.ConfigureAwait(false);
        await Admin.DeleteTopicAsync(stream, CancellationToken.None).ConfigureAwait(false);
        if (failed > 0 || received != total)
        {
            throw new InvalidOperationException($"{Name}: latency run lost records: {failed} failed, {received} of {total} consumed.");
        }
        return LatencyOf(ages);
    }

    /// <summary>
    /// The Orleans transport's ceiling on this machine (Streaming/TransportCeiling): produce-shaped calls of 256 KiB
    /// of 100-byte record batches to a grain in this peer's silo that does nothing; the median of <paramref name="passes"/>.
    /// </summary>
    public async Task<MachineLimit> TransportCeilingAsync(long records, int passes, CancellationToken cancellationToken)
    {
        var grains = Client.GrainFactory ?? throw new InvalidOperationException("The client has no grain factory.");
        var ceiling = new TransportCeiling(grains, 256 * 1024, records, 100);
        var rates = new List<Rate>();
        for (var pass = 0; pass < passes; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rates.Add(await ceiling.RunAsync().ConfigureAwait(false));
        }
        var median = Stats.Median(rates.Select(r => r.RecordsPerSecond).ToList());
        return new MachineLimit("Orleans transport ceiling", median, "records/s", string.Create(CultureInfo.InvariantCulture,
            $"{records:N0} records of 100 B packed in record batches, {ceiling.Calls:N0} produce-shaped calls of 256 KiB, {TransportCeiling.InFlight} in flight, from this process' Orleans client to a grain that does nothing in Orlog's silo (Streaming/TransportCeiling), median of {passes}"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
        }
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        _silo?.Dispose();
    }

    /// <summary>Percentiles (nearest rank) of <paramref name="ages"/>, which it sorts.</summary>
    internal static Latency LatencyOf(double[] ages)
    {
        Array.Sort(ages);
        double At(double p) => ages[Math.Clamp((int)Math.Ceiling(p * ages.Length) - 1, 0, ages.Length - 1)];
        return new Latency(At(0.50), At(0.99), At(0.999), ages.Length);
    }

    private OrlogClient Client => _client ?? throw new InvalidOperationException("StartAsync first.");

    private IAdminClient Admin => _admin ?? throw new InvalidOperationException("StartAsync first.");

    private ProducerConfig ProducerConfig() => new()
    {
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = lingerMs,
        BatchSize = BatchSize,
        ClientId = "orlog-compare",
    };

    private static async Task ProduceLaneAsync<TKey>(IProducer<TKey, byte[]> producer, string stream, long count, Func<long, TKey> key, byte[] value, CancellationToken cancellationToken)
    {
        long failed = 0;
        Error? firstError = null;
        Action<DeliveryReport<TKey, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
            {
                firstError = report.Error;
            }
        };
        for (long i = 0; i < count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            producer.Produce(stream, new Message<TKey, byte[]> { Key = key(i), Value = value }, onDelivery);
        }
        await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {count} records to {stream} were not acknowledged; first error: {firstError}");
        }
    }

    internal static long Read(long[] next)
    {
        long sum = 0;
        for (var i = 0; i < next.Length; i++)
        {
            sum += Volatile.Read(ref next[i]);
        }
        return sum;
    }

    internal static void Raise(ref long slot, long value)
    {
        var current = Volatile.Read(ref slot);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref slot, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
