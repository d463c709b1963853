using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orlog.Client;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// `local-cluster.sh roll` under load: every broker restarted one by one with a controlled shutdown while an
/// idempotent acks=all producer and a consumer run. No send fails, no Consume call throws, and every
/// acknowledged record is read.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RollTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PartitionCount = 6;
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    [Fact]
    public async Task ARollingRestartUnderLoadFailsNoSendAndNoConsumeAndLosesNothing()
    {
        var clock = Stopwatch.StartNew();
        var topic = $"roll-{Guid.NewGuid().ToString("N")[..8]}";
        (await cluster.RunCliAsync("topics", "create", topic, "-p", PartitionCount.ToString(CultureInfo.InvariantCulture), "-r", "3",
            "--config", "min.insync.replicas=2")).EnsureSuccess();
        var before = (await cluster.StatusAsync()).Where(b => b.Id != "db").ToDictionary(b => b.Id, b => b.Pid);

        var acknowledged = new ConcurrentDictionary<long, int>();
        var consumed = new ConcurrentDictionary<long, int>();
        var sendFailures = new ConcurrentQueue<string>();
        var consumeFailures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        using var stopConsuming = new CancellationTokenSource();

        var producing = Task.Run(async () =>
        {
            await using var producer = await new ProducerBuilder<Null, string>(Settings(new ProducerConfig
            {
                Acks = Acks.All,
                EnableIdempotence = true,
                DeliveryTimeoutMs = 120_000,
                LingerMs = 5,
            })).BuildAsync();
            using var inFlight = new SemaphoreSlim(200);
            for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                await inFlight.WaitAsync();
                var value = sequence;
                try
                {
                    producer.Produce(new TopicPartition(topic, (int)(value % PartitionCount)), new Message<Null, string> { Value = value.ToString(CultureInfo.InvariantCulture) }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            sendFailures.Enqueue($"{value}: {report.Error}");
                        }
                        else
                        {
                            acknowledged[value] = report.Partition;
                        }
                        inFlight.Release();
                    });
                }
                catch (KafkaException e)
                {
                    sendFailures.Enqueue($"{value}: thrown by Produce: {e.Message}");
                    inFlight.Release();
                }
                await Task.Delay(1);
            }
            await producer.FlushAsync();
        });

        var consuming = Task.Run(async () =>
        {
            await using var consumer = await new ConsumerBuilder<Null, string>(Settings(new ConsumerConfig { EnableAutoCommit = false })).BuildAsync();
            consumer.Assign(Enumerable.Range(0, PartitionCount).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            while (!stopConsuming.IsCancellationRequested)
            {
                try
                {
                    if (await consumer.ConsumeAsync(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                    {
                        consumed[long.Parse(message.Value, CultureInfo.InvariantCulture)] = 1;
                    }
                }
                catch (KafkaException e)
                {
                    consumeFailures.Enqueue(e.Message);
                }
            }
        });

        try
        {
            await Poll.UntilAsync("records acknowledged before the roll", _deadline, TimeSpan.FromMilliseconds(100),
                () => Task.FromResult<object?>(acknowledged.Count >= 500 ? "" : null));
            var rollStarted = clock.Elapsed;
            var roll = await cluster.RunAsync("roll", "--timeout", "120");
            output.WriteLine($"roll took {(clock.Elapsed - rollStarted).TotalSeconds:F1} s:\n{roll.Stderr}");
            roll.EnsureSuccess();
            var atRoll = acknowledged.Count;
            await Poll.UntilAsync("records acknowledged after the roll", _deadline, TimeSpan.FromMilliseconds(100),
                () => Task.FromResult<object?>(acknowledged.Count >= atRoll + 200 ? "" : null));
            await stop.CancelAsync();
            await producing.WaitAsync(_deadline);
            var deadline = clock.Elapsed + _deadline;
            while (!acknowledged.Keys.All(consumed.ContainsKey))
            {
                if (clock.Elapsed > deadline)
                {
                    var missing = acknowledged.Where(a => !consumed.ContainsKey(a.Key)).GroupBy(a => a.Value)
                        .Select(g => $"p{g.Key}: {g.Count()} missing, first {g.Min(a => a.Key)}, last {g.Max(a => a.Key)}");
                    Assert.Fail($"acknowledged {acknowledged.Count}, consumed {consumed.Count}, Consume errors {consumeFailures.Count} " +
                        $"({string.Join("; ", consumeFailures.Take(3))}): {string.Join("; ", missing)}");
                }
                await Task.Delay(100);
            }
            await stopConsuming.CancelAsync();
            await consuming.WaitAsync(_deadline);
        }
        finally
        {
            // Whatever failed, nothing keeps running after the test.
            await stop.CancelAsync();
            await stopConsuming.CancelAsync();
        }

        var after = (await cluster.StatusAsync()).Where(b => b.Id != "db").ToDictionary(b => b.Id, b => b.Pid);
        output.WriteLine($"acknowledged {acknowledged.Count}, consumed {consumed.Count}, failed sends {sendFailures.Count}, Consume errors {consumeFailures.Count}; " +
            $"pids {string.Join(' ', before.Select(b => $"{b.Key}:{b.Value}→{after[b.Key]}"))}; total {clock.Elapsed.TotalSeconds:F1} s");
        Assert.All(before, b => Assert.NotEqual(b.Value, after[b.Key]));
        Assert.True(sendFailures.IsEmpty, "failed sends: " + string.Join("; ", sendFailures.Take(5)));
        Assert.True(consumeFailures.IsEmpty, "Consume errors: " + string.Join("; ", consumeFailures.Take(5)));
        Assert.True(acknowledged.Count > 500, $"only {acknowledged.Count} records acknowledged");
    }

    private T Settings<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = cluster.Bootstrap;
        config.OrleansClusterId = cluster.ClusterId;
        return config;
    }
}
