using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Xunit.Abstractions;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// A Confluent.Kafka idempotent acks=all producer against the 3-broker local cluster's Kafka listeners while the
/// leader of a partition is SIGKILLed and restarted: librdkafka follows the new leaders (NOT_LEADER_OR_FOLLOWER,
/// then Metadata from the brokers left), every record is acknowledged, and a Kafka consumer reads each exactly
/// once at dense offsets.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KafkaFailoverTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PartitionCount = 6;
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    private static async Task WaitForAsync(string what, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < _deadline, $"not within {_deadline.TotalSeconds:F0} s: {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_idempotent_Kafka_producer_loses_and_duplicates_nothing_while_a_leader_is_killed_and_restarted()
    {
        var topic = $"kafka-failover-{Guid.NewGuid().ToString("N")[..8]}";
        (await cluster.RunCliAsync("topics", "create", topic, "-p", PartitionCount.ToString(CultureInfo.InvariantCulture), "-r", "3",
            "--config", "min.insync.replicas=2")).EnsureSuccess();
        var bootstrap = (await cluster.RunAsync("kafka-bootstrap")).EnsureSuccess().Stdout.Trim();
        output.WriteLine($"Kafka bootstrap {bootstrap}");

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        int LeaderOf(int partition) => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Single(p => p.PartitionId == partition).Leader;
        await WaitForAsync("every partition led", () => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Length == 3));

        var acked = new ConcurrentDictionary<string, (int Partition, long Offset)>();
        var failed = new ConcurrentBag<string>();
        long sent = 0;
        var stop = false;
        using var producer = new ProducerBuilder<string, string>(new Ck.ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Ck.Acks.All,
            LingerMs = 5,
            MessageTimeoutMs = 120_000,
        }).Build();
        var producing = Task.Run(async () =>
        {
            while (!Volatile.Read(ref stop))
            {
                for (var i = 0; i < 20; i++)
                {
                    var number = Interlocked.Increment(ref sent);
                    var value = number.ToString(CultureInfo.InvariantCulture);
                    producer.Produce(new Ck.TopicPartition(topic, (int)(number % PartitionCount)), new Message<string, string> { Key = value, Value = value }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            failed.Add($"{report.Message.Value}: {report.Error}");
                        }
                        else if (!acked.TryAdd(report.Message.Value, (report.Partition.Value, report.Offset.Value)))
                        {
                            failed.Add($"{report.Message.Value} acknowledged twice");
                        }
                    });
                }
                await Task.Delay(20);
            }
        });

        await WaitForAsync("the first 500 acknowledgements", () => acked.Count >= 500);
        var victim = LeaderOf(0);
        output.WriteLine($"SIGKILL broker {victim}, leader of partition 0, after {acked.Count} acknowledgements");
        (await cluster.RunAsync("kill", victim.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();
        var killed = acked.Count;
        await WaitForAsync("a new leader for partition 0", () => LeaderOf(0) is var leader && leader >= 0 && leader != victim);
        await WaitForAsync("acknowledgements after the kill", () => acked.Count > killed + 500);
        (await cluster.RunAsync("restart", victim.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();
        await WaitForAsync("every replica back in sync",
            () => admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Length == 3));
        var restarted = acked.Count;
        await WaitForAsync("acknowledgements after the restart", () => acked.Count > restarted + 500);
        Volatile.Write(ref stop, true);
        await producing;
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        output.WriteLine($"sent {Interlocked.Read(ref sent)}, acknowledged {acked.Count}, failed {failed.Count}");
        Assert.Empty(failed);
        Assert.Equal(Interlocked.Read(ref sent), acked.Count);

        // Read back with a Kafka consumer: every acknowledged record exactly once, where it was acknowledged.
        using var consumer = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig { BootstrapServers = bootstrap, GroupId = "unused", EnableAutoCommit = false }).Build();
        consumer.Assign(Enumerable.Range(0, PartitionCount).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new Dictionary<string, (int Partition, long Offset)>();
        var duplicates = 0;
        var clock = Stopwatch.StartNew();
        while (read.Count < acked.Count && clock.Elapsed < _deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result && !read.TryAdd(result.Message.Value, (result.Partition.Value, result.Offset.Value)))
            {
                duplicates++;
            }
        }
        Assert.Equal(0, duplicates);
        Assert.Equal(acked.OrderBy(a => a.Key, StringComparer.Ordinal), read.OrderBy(r => r.Key, StringComparer.Ordinal));
    }
}
