using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Orlog.Client;
using Orlog.Testing;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>
/// What runs through the faults: idempotent acks=all producers writing every partition in turn at a steady rate,
/// and a consumer group reading them, every send, outcome, poll and assignment recorded in the <see cref="History"/>.
/// A partition without a leader holds at most <see cref="InFlightPerPartition"/> records of a producer, so the
/// others keep being written. The clients' own retries (<see cref="ClientMetrics"/>) are recorded with their time.
/// </summary>
public sealed class Workload(History history, string topic, int partitions, Func<ClientConfig, ClientConfig> settings, Stopwatch clock) : IAsyncDisposable
{
    public const int Producers = 2;
    public const int Consumers = 2;
    public const int RecordsPerSecond = 300;
    public const int InFlightPerPartition = 100;
    public const int ValueSize = 100;

    private readonly CancellationTokenSource _stopProducing = new();
    private readonly CancellationTokenSource _stopConsuming = new();
    private readonly List<Task> _producing = [];
    private readonly List<Task> _consuming = [];
    private readonly List<IProducer<Null, byte[]>> _producers = [];
    private readonly Lock _lock = new();
    private readonly List<(TimeSpan At, string Counter)> _retries = [];
    private MeterListener? _listener;
    private int _consumeErrors;
    private string? _firstConsumeError;

    /// <summary>The producers' and consumers' internal retries between two times, by counter name.</summary>
    public IReadOnlyDictionary<string, int> RetriesBetween(TimeSpan from, TimeSpan to)
    {
        lock (_lock)
        {
            return _retries.Where(r => r.At >= from && r.At <= to).GroupBy(r => r.Counter).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>Calls to Consume that threw (a consumer must ride through faults with internal retries).</summary>
    public int ConsumeErrors => Volatile.Read(ref _consumeErrors);

    public string? FirstConsumeError => _firstConsumeError;

    public async Task StartAsync()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ClientMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_lock)
            {
                for (var i = 0; i < value; i++)
                {
                    _retries.Add((clock.Elapsed, instrument.Name));
                }
            }
        });
        _listener.Start();
        for (var c = 0; c < Consumers; c++)
        {
            var name = $"c{c}";
            _consuming.Add(Task.Run(() => ConsumeAsync(name, _stopConsuming.Token)));
        }
        for (var p = 0; p < Producers; p++)
        {
            var producer = await new ProducerBuilder<Null, byte[]>((ProducerConfig)settings(new ProducerConfig
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                DeliveryTimeoutMs = 120_000,
                LingerMs = 5,
            })).BuildAsync();
            _producers.Add(producer);
            var name = $"p{p}";
            _producing.Add(Task.Run(() => ProduceAsync(producer, name, _stopProducing.Token)));
        }
    }

    /// <summary>Stops sending and waits for every send's outcome; returns the sends still without one.</summary>
    public async Task<int> StopProducingAsync(TimeSpan flushDeadline)
    {
        await _stopProducing.CancelAsync();
        await Task.WhenAll(_producing);
        var unreported = 0;
        foreach (var producer in _producers)
        {
            unreported += producer.Flush(flushDeadline);
            await producer.DisposeAsync();
        }
        _producers.Clear();
        return unreported;
    }

    public async Task StopConsumingAsync()
    {
        await _stopConsuming.CancelAsync();
        await Task.WhenAll(_consuming);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopProducing.IsCancellationRequested)
        {
            await StopProducingAsync(TimeSpan.FromSeconds(10));
        }
        if (!_stopConsuming.IsCancellationRequested)
        {
            await StopConsumingAsync();
        }
        _listener?.Dispose();
        _stopProducing.Dispose();
        _stopConsuming.Dispose();
    }

    private async Task ProduceAsync(IProducer<Null, byte[]> producer, string name, CancellationToken stop)
    {
        var inFlight = new int[partitions];
        var targets = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToArray();
        var started = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(started.Elapsed.TotalSeconds * RecordsPerSecond);
            while (sent < due && !stop.IsCancellationRequested)
            {
                var partition = -1;
                for (var i = 0; i < partitions && partition < 0; i++)
                {
                    var candidate = (next + i) % partitions;
                    if (Volatile.Read(ref inFlight[candidate]) < InFlightPerPartition)
                    {
                        partition = candidate;
                    }
                }
                if (partition < 0)
                {
                    break;
                }
                next = (partition + 1) % partitions;
                var sendId = string.Create(CultureInfo.InvariantCulture, $"{name}-{sent++}");
                var target = partition;
                Interlocked.Increment(ref inFlight[target]);
                history.SendStarted(name, sendId, partition: target);
                try
                {
                    producer.Produce(targets[target], new Message<Null, byte[]> { Value = SendValues.Encode(sendId, ValueSize) }, report =>
                    {
                        Record(sendId, report);
                        Interlocked.Decrement(ref inFlight[target]);
                    });
                }
                catch (KafkaException e)
                {
                    // Refused before it was queued: nothing was sent.
                    Interlocked.Decrement(ref inFlight[target]);
                    history.SendRefused(sendId, e.Code.KafkaName());
                }
            }
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Record(string sendId, DeliveryReport<Null, byte[]> report)
    {
        if (!report.Error.IsError)
        {
            history.SendAcknowledged(sendId, report.Partition, report.Offset.Value);
        }
        else if (report.Status == PersistenceStatus.NotPersisted)
        {
            history.SendRefused(sendId, report.Error.Code.KafkaName());
        }
        else
        {
            history.SendUnknown(sendId, $"{report.Error.Code.KafkaName()}: {report.Error.Reason}");
        }
    }

    private async Task ConsumeAsync(string name, CancellationToken stop)
    {
        var generation = 0;
        var config = (ConsumerConfig)settings(new ConsumerConfig
        {
            GroupId = $"{topic}-readers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
        });
        await using var consumer = await new ConsumerBuilder<Null, byte[]>(config)
            .SetPartitionsAssignedHandler((_, assigned) =>
            {
                generation++;
                foreach (var p in assigned)
                {
                    history.Assigned(name, p.Partition, generation);
                }
            })
            .SetPartitionsRevokedHandler((_, revoked) =>
            {
                foreach (var p in revoked)
                {
                    history.Revoked(name, p.Partition, generation);
                }
            })
            .SetPartitionsLostHandler((_, lost) =>
            {
                foreach (var p in lost)
                {
                    history.Revoked(name, p.Partition, generation);
                }
            })
            .BuildAsync();
        consumer.Subscribe(topic);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var result = await consumer.ConsumeAsync(TimeSpan.FromMilliseconds(500), stop);
                if (result?.Message?.Value is { } value)
                {
                    history.Polled(name, generation, result.Partition, result.Offset.Value, SendValues.SendId(value));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (KafkaException e)
            {
                Interlocked.Increment(ref _consumeErrors);
                Interlocked.CompareExchange(ref _firstConsumeError, $"{name}: {e.Message}", null);
            }
        }
        try
        {
            consumer.Close();
        }
        catch (KafkaException)
        {
            // Leaving the group after the run: the coordinator may be moving; the group is not reused.
        }
    }
}
