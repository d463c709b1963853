using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Orlog through the Kafka protocol: the same silo as <see cref="OrlogPeer"/> (broker log.flush.interval.ms=1000),
/// driven by Confluent.Kafka (librdkafka) against its Kafka listener instead of the SDK, as a team with Kafka code
/// would run it. The producer keeps Kafka's durable defaults (acks=all, idempotent) with the same batching
/// (linger.ms=5, batch.size=256 KiB); consumers read with Kafka's default fetch sizes.
/// </summary>
internal sealed class OrlogKafkaPeer : IPeer
{
    private const int LingerMs = 5;
    private const int BatchSize = 256 * 1024;
    private const string FlushSetting = "log.flush.interval.ms=1000";
    private static readonly TimeSpan _idle = TimeSpan.FromSeconds(30);

    private SiloRunner? _silo;
    private IAdminClient? _admin;
    private string _bootstrap = "";

    public string Name => "Orlog via Kafka (Confluent.Kafka), flush.ms=1000";

    public string AckPromise => "page cache; on disk within 1 s";

    public string Description { get; private set; } = "";

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        _silo = await SiloRunner.StartAsync(SiloRunner.FindSilo(environment.RepositoryRoot), ["--config", FlushSetting, .. (Environment.GetEnvironmentVariable("ORLOG_BENCH_SILO_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)], TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_silo.DataDirectory, "data", "endpoints.json"), cancellationToken).ConfigureAwait(false)))
        {
            _bootstrap = json.RootElement.GetProperty("kafka").GetString() ?? throw new InvalidOperationException("The silo runs no Kafka listener.");
        }
        environment.Log($"  {Name}: silo pid {_silo.ProcessId}, Kafka listener {_bootstrap}, data in {_silo.DataDirectory}");
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
        Description = string.Create(CultureInfo.InvariantCulture,
            $"Orlog {typeof(Client.OrlogClient).Assembly.GetName().Version} (this repository, Release), one silo in its own process, broker {FlushSetting}, reached on its Kafka listener by " +
            $"Confluent.Kafka {typeof(IProducer<,>).Assembly.GetName().Version} (librdkafka {Library.VersionString}); producer acks=all, enable.idempotence=true, linger.ms={LingerMs}, " +
            $"batch.size={BatchSize}, compression none, one producer instance per producer, W2 keyed by librdkafka's default partitioner into 12 partitions; consumers with Kafka's default " +
            $"fetch sizes, W1/W3 read by one consumer with Assign from the beginning, W2 by 3 consumers of one group (Subscribe, timed from the first record); latency: a consumer assigned to the partition");
    }

    private IAdminClient Admin => _admin ?? throw new InvalidOperationException("StartAsync first.");

    private ProducerConfig ProducerConfig() => new()
    {
        BootstrapServers = _bootstrap,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = LingerMs,
        BatchSize = BatchSize,
        QueueBufferingMaxMessages = 1_000_000,
        ClientId = "orlog-compare-kafka",
    };

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        await Admin.CreateTopicsAsync([new TopicSpecification { Name = stream, NumPartitions = workload.Partitions, ReplicationFactor = 1 }]).ConfigureAwait(false);
        var lanes = new List<Action>();
        var producers = new List<IDisposable>();
        for (var p = 0; p < workload.Producers; p++)
        {
            if (workload.Keyed)
            {
                var producer = new ProducerBuilder<byte[], byte[]>(ProducerConfig()).Build();
                producers.Add(producer);
                lanes.Add(() => ProduceLane(producer, stream, workload.RecordsPerProducer, records.Key, records.Value, cancellationToken));
            }
            else
            {
                var producer = new ProducerBuilder<Null, byte[]>(ProducerConfig()).Build();
                producers.Add(producer);
                lanes.Add(() => ProduceLane(producer, stream, workload.RecordsPerProducer, _ => null!, records.Value, cancellationToken));
            }
        }
        try
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(lanes.Select(lane => Task.Factory.StartNew(lane, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default))).ConfigureAwait(false);
            watch.Stop();
            return new Rate(workload.TotalRecords, workload.TotalRecords * records.ValueBytes, watch.Elapsed);
        }
        finally
        {
            producers.ForEach(p => p.Dispose());
        }
    }

    private static void ProduceLane<TKey>(IProducer<TKey, byte[]> producer, string stream, long count, Func<long, TKey> key, byte[] value, CancellationToken cancellationToken)
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
            var message = new Message<TKey, byte[]> { Key = key(i), Value = value };
            while (true)
            {
                try
                {
                    producer.Produce(stream, message, onDelivery);
                    break;
                }
                catch (ProduceException<TKey, byte[]> error) when (error.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
        }
        producer.Flush(cancellationToken);
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {count} records to {stream} were not acknowledged; first error: {firstError}");
        }
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        var expected = workload.TotalRecords;
        var next = new long[workload.Partitions];
        long delivered = 0, bytes = 0, firstRecord = 0;
        var consumers = new List<IConsumer<Ignore, byte[]>>();
        try
        {
            for (var c = 0; c < workload.Consumers; c++)
            {
                consumers.Add(new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
                {
                    BootstrapServers = _bootstrap,
                    GroupId = stream + "-group",
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    EnableAutoCommit = workload.Consumers > 1,
                    ClientId = $"orlog-compare-kafka-{c}",
                }).Build());
            }
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
                while (OrlogPeer.Read(next) < expected)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result is null || result.IsPartitionEOF)
                    {
                        if (idle.Elapsed > _idle)
                        {
                            throw new InvalidOperationException($"{Name}: nothing arrived from {stream} for {_idle.TotalSeconds:F0} s with {OrlogPeer.Read(next)} of {expected} records read.");
                        }
                        continue;
                    }
                    idle.Restart();
                    Interlocked.CompareExchange(ref firstRecord, Stopwatch.GetTimestamp(), 0);
                    Interlocked.Increment(ref delivered);
                    Interlocked.Add(ref bytes, result.Message.Value.Length);
                    OrlogPeer.Raise(ref next[result.Partition.Value], result.Offset.Value + 1);
                }
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            await Task.WhenAll(readers).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(Interlocked.Read(ref firstRecord));
            var read = OrlogPeer.Read(next);
            if (read != expected)
            {
                throw new InvalidOperationException($"{Name}: read {read} records of {stream}, expected {expected}.");
            }
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
                consumer.Dispose();
            }
            await Admin.DeleteTopicsAsync([stream]).ConfigureAwait(false);
        }
    }

    public async Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken)
    {
        await Admin.CreateTopicsAsync([new TopicSpecification { Name = stream, NumPartitions = 1, ReplicationFactor = 1 }]).ConfigureAwait(false);
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var ages = new double[total];
        long received = 0;
        using var producer = new ProducerBuilder<Null, byte[]>(ProducerConfig()).Build();
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _bootstrap,
            GroupId = stream + "-latency",
            EnableAutoCommit = false,
            ClientId = "orlog-compare-kafka-latency",
        }).Build();
        consumer.Assign(new TopicPartitionOffset(stream, 0, Offset.Beginning));
        // librdkafka starts a consumer in steps (metadata, the offset's lookup, a first long poll of up to
        // fetch.wait.max.ms): one record written and read before the clock starts, as the other peers' consumers
        // are reading before they publish.
        producer.Produce(stream, new Message<Null, byte[]> { Value = records.Value });
        producer.Flush(cancellationToken);
        var warm = Stopwatch.StartNew();
        while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { IsPartitionEOF: false })
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
                if (result is null || result.IsPartitionEOF)
                {
                    if (idle.Elapsed > _idle)
                    {
                        throw new InvalidOperationException($"{Name}: latency run stalled at {received} of {total} records.");
                    }
                    continue;
                }
                idle.Restart();
                ages[received++] = RecordGenerator.AgeMs(result.Message.Value);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        long failed = 0;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        SteadyRate.Run(total, ratePerSecond, () => producer.Produce(stream, new Message<Null, byte[]> { Value = records.StampedValue() }, onDelivery), cancellationToken);
        producer.Flush(cancellationToken);
        await reading.ConfigureAwait(false);
        await Admin.DeleteTopicsAsync([stream]).ConfigureAwait(false);
        if (failed > 0 || received != total)
        {
            throw new InvalidOperationException($"{Name}: latency run lost records: {failed} failed, {received} of {total} consumed.");
        }
        return OrlogPeer.LatencyOf(ages);
    }

    public ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        _silo?.Dispose();
        return ValueTask.CompletedTask;
    }
}
