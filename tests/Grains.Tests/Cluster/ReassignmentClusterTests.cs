using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orlog.Grains.Partitions;
using Orlog.Grains.Replication;
using Orlog.Grains.Tests.Partitions;
using Orlog.Log;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>
/// Reassignment between in-process silos (KIP-455): a partition moved under acks=all writes, a broker drained,
/// a throttled reassignment cancelled. Each test has its own three brokers: a drain moves every topic's replicas.
/// </summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class ReassignmentClusterTests
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task APartitionMovedUnderWritesKeepsEveryAcknowledgedRecordAndItsOldReplicaIsDeleted()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3);
        var topic = (await brokers.Controller.CreateTopic("moving", 1, 2, new Dictionary<string, string> { ["min.insync.replicas"] = "2" })).GetTopicOrThrow();
        var before = topic.Partitions[0];
        var (a, b) = (before.Replicas[0], before.Replicas[1]);
        var c = 6 - a - b;
        Assert.Equal(a, before.Leader);

        await using var writer = Writer.Start(brokers, "moving");
        await writer.WaitForAsync(50);
        // [a, b] to [b, c]: c copies, joins the ISR, then a (the leader) goes and b, the target's first, leads.
        var started = Assert.Single(await brokers.Controller.AlterPartitionReassignments([new ReassignmentRequest("moving", 0, [b, c])]));
        Assert.Equal(ErrorCode.None, started.Error);
        Assert.Equal([b, c, a], started.Metadata!.Replicas);
        Assert.Equal([c], started.Metadata.AddingReplicas);

        var after = await PartitionAsync(brokers, "moving", p => !p.IsReassigning, "for the reassignment to complete");
        Assert.Equal([b, c], after.Replicas);
        Assert.Equal([b, c], after.Isr);
        Assert.Equal(b, after.Leader);
        Assert.True(after.LeaderEpoch > before.LeaderEpoch);
        Assert.Empty((await brokers.Controller.ListPartitionReassignments("moving")).Partitions);

        // Writes go on at the new leader; then every acknowledged record is on both new replicas.
        await writer.WaitForAsync(writer.Acknowledged.Count + 50);
        await writer.DisposeAsync();
        var acknowledged = writer.Acknowledged.ToHashSet();
        foreach (var broker in new[] { b, c })
        {
            await Eventually.Async(() => Task.FromResult(Replica(brokers, broker, "moving", topic.TopicId) is { } replica && acknowledged.IsSubsetOf(ReplicaSet.ValuesOf(replica))),
                _deadline, _poll, $"for broker {broker} to hold all {acknowledged.Count} acknowledged records");
        }
        await Eventually.Async(() => Task.FromResult(Replica(brokers, a, "moving", topic.TopicId) is null && !Directory.Exists(PartitionDirectory(brokers, a, "moving"))),
            _deadline, _poll, $"for broker {a} to delete its replica");
        Assert.True(writer.Acknowledged.Count > 100);
    }

    [Fact]
    public async Task ADrainedBrokerHoldsNoReplicaAfterwardsAndTheReplicationFactorIsKept()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3);

        // A partition with a replica on every broker has nowhere to go: nothing starts.
        await brokers.CreateTopicAsync("everywhere", 1, replicationFactor: 3);
        var refused = await brokers.Controller.DrainBroker(3, dryRun: false);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, refused.Error);
        Assert.Contains("everywhere-0", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await brokers.Controller.ListPartitionReassignments(null)).Partitions);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await brokers.Controller.DrainBroker(7, dryRun: false)).Error);
        await brokers.Controller.DeleteTopic("everywhere");

        var topic = await brokers.CreateTopicAsync("drained", 3, replicationFactor: 2);
        foreach (var partition in topic.Partitions)
        {
            for (var i = 0; i < 10; i++)
            {
                var produced = await brokers.Client.GetGrain<IBrokerGrain>(partition.Leader).Produce(
                    new ProduceRequest(-1, 10_000, [new PartitionBatch("drained", partition.Partition, Batches.Of($"p{partition.Partition}-{i}"))]));
                Assert.Equal(ErrorCode.None, Assert.Single(produced.Results).Error);
            }
        }
        var onThree = topic.Partitions.Where(p => p.Replicas.Contains(3)).Select(p => p.Partition).ToList();
        Assert.NotEmpty(onThree);

        var dryRun = await brokers.Controller.DrainBroker(3, dryRun: true);
        Assert.Equal(onThree, dryRun.Moves.Select(m => m.Partition));
        Assert.Empty((await brokers.Controller.ListPartitionReassignments(null)).Partitions);

        var plan = await brokers.Controller.DrainBroker(3, dryRun: false);
        Assert.Equal(ErrorCode.None, plan.Error);
        Assert.All(plan.Moves, m => Assert.DoesNotContain(3, m.TargetReplicas));
        Assert.Equal(ErrorCode.InvalidRequest, (await brokers.Controller.UnregisterBroker(3)).Error);

        await Eventually.Async(async () => (await brokers.Controller.DescribeTopic("drained")).Topic!.Partitions.All(p => !p.IsReassigning && !p.Replicas.Contains(3)),
            _deadline, _poll, "for every replica to move off broker 3");
        var drained = (await brokers.Controller.DescribeTopic("drained")).Topic!;
        foreach (var partition in drained.Partitions)
        {
            Assert.Equal(2, partition.Replicas.Count);
            var expected = Enumerable.Range(0, 10).Select(i => $"p{partition.Partition}-{i}").ToList();
            foreach (var broker in partition.Replicas)
            {
                await Eventually.Async(() => Task.FromResult(Replica(brokers, broker, "drained", topic.TopicId, partition.Partition) is { } replica && ReplicaSet.ValuesOf(replica).SequenceEqual(expected)),
                    _deadline, _poll, $"for broker {broker} to hold drained-{partition.Partition}");
            }
        }
        await Eventually.Async(() => Task.FromResult(onThree.All(p => !Directory.Exists(PartitionDirectory(brokers, 3, "drained", p)))),
            _deadline, _poll, "for broker 3 to delete its replicas");

        // Retired: once stopped, it leaves the registry.
        await brokers.Cluster.StopSiloAsync(brokers.Silo(3));
        await Eventually.Async(async () => (await brokers.Controller.UnregisterBroker(3)).Error == ErrorCode.None, _deadline, TimeSpan.FromMilliseconds(200),
            "for the stopped broker 3 to be unregistered");
        Assert.DoesNotContain(await brokers.Controller.ListBrokers(), broker => broker.Id == 3);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await brokers.Controller.UnregisterBroker(3)).Error);
    }

    [Fact]
    public async Task AThrottledReassignmentCopiesSlowlyWithoutHoldingWritesBackAndACancelDeletesTheCopy()
    {
        // 100 bytes a second: the new replica needs about a minute for the partition's 20 batches of ~270 bytes.
        await using var brokers = await MultiBrokerCluster.StartAsync(3, new Dictionary<string, string> { ["leader.replication.throttled.rate"] = "100" });
        var topic = (await brokers.Controller.CreateTopic("throttled", 1, 2, new Dictionary<string, string> { ["min.insync.replicas"] = "2" })).GetTopicOrThrow();
        var (a, b) = (topic.Partitions[0].Replicas[0], topic.Partitions[0].Replicas[1]);
        var c = 6 - a - b;
        var leader = brokers.Client.GetGrain<IBrokerGrain>(a);
        for (var i = 0; i < 20; i++)
        {
            var produced = await leader.Produce(new ProduceRequest(-1, 10_000, [new PartitionBatch("throttled", 0, Batches.Of($"{i}:{new string('x', 200)}"))]));
            Assert.Equal(ErrorCode.None, Assert.Single(produced.Results).Error);
        }

        var started = Assert.Single(await brokers.Controller.AlterPartitionReassignments([new ReassignmentRequest("throttled", 0, [a, b, c])]));
        Assert.Equal(ErrorCode.None, started.Error);
        var listed = Assert.Single((await brokers.Controller.ListPartitionReassignments("throttled")).Partitions);
        Assert.Equal([a, b, c], listed.TargetReplicas);
        Assert.Equal([c], listed.AddingReplicas);
        Assert.Empty(listed.RemovingReplicas);

        // The new replica copies, but far behind the leader; acks=all writes, waiting only on the ISR, are not held back.
        await Eventually.Async(async () => (await Describe(brokers, c, "throttled")) is { Error: ErrorCode.None, LogEndOffset: > 0 },
            _deadline, _poll, $"for broker {c} to start copying");
        var written = await leader.Produce(new ProduceRequest(-1, 5_000, [new PartitionBatch("throttled", 0, Batches.Of("while-throttled"))]));
        Assert.Equal(ErrorCode.None, Assert.Single(written.Results).Error);
        var copy = await Describe(brokers, c, "throttled");
        var original = await Describe(brokers, a, "throttled");
        Assert.Equal(21, original.LogEndOffset);
        Assert.InRange(copy.LogEndOffset, 1, 10);
        Assert.True(copy.SizeBytes < original.SizeBytes / 2, $"broker {c} holds {copy.SizeBytes} bytes of the leader's {original.SizeBytes}");

        // Not replaced unless asked; then cancelled: back to [a, b], and c deletes its copy.
        var notReplaced = Assert.Single(await brokers.Controller.AlterPartitionReassignments([new ReassignmentRequest("throttled", 0, [a, c], ReplaceRunning: false)]));
        Assert.Equal(ErrorCode.ReassignmentInProgress, notReplaced.Error);
        var cancelled = Assert.Single(await brokers.Controller.AlterPartitionReassignments([new ReassignmentRequest("throttled", 0, null)]));
        Assert.Equal(ErrorCode.None, cancelled.Error);
        Assert.Equal([a, b], cancelled.Metadata!.Replicas);
        Assert.False(cancelled.Metadata.IsReassigning);
        await Eventually.Async(() => Task.FromResult(Replica(brokers, c, "throttled", topic.TopicId) is null && !Directory.Exists(PartitionDirectory(brokers, c, "throttled"))),
            _deadline, _poll, $"for broker {c} to delete its copy");
        Assert.Equal(ErrorCode.NoReassignmentInProgress,
            Assert.Single(await brokers.Controller.AlterPartitionReassignments([new ReassignmentRequest("throttled", 0, null)])).Error);
        Assert.Empty((await brokers.Controller.ListPartitionReassignments(null)).Partitions);
    }

    private static async Task<ReplicaLogInfo> Describe(MultiBrokerCluster brokers, int broker, string topic) =>
        Assert.Single(await brokers.Client.GetGrain<IBrokerGrain>(broker).DescribeReplicas([new TopicPartition(topic, 0)]));

    private static async Task<PartitionMetadata> PartitionAsync(MultiBrokerCluster brokers, string topic, Func<PartitionMetadata, bool> done, string what)
    {
        PartitionMetadata? found = null;
        await Eventually.Async(async () => done(found = (await brokers.Controller.DescribeTopic(topic)).Topic!.Partitions[0]), _deadline, _poll, what);
        return found!;
    }

    private static Partition? Replica(MultiBrokerCluster brokers, int broker, string topic, Guid topicId, int partition = 0) =>
        brokers.Silo(broker).ServiceProvider.GetRequiredService<ReplicaManager>().Get(new TopicPartition(topic, partition), topicId);

    private static string PartitionDirectory(MultiBrokerCluster brokers, int broker, string topic, int partition = 0) =>
        LogFileNames.PartitionDirectory(brokers.DataDirectory(broker), topic, partition);

    /// <summary>
    /// Writes one-record acks=all batches to partition 0's leader until disposed, keeping the values acknowledged;
    /// a refused or failed write is retried at the leader the controller names then.
    /// </summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly MultiBrokerCluster _brokers;
        private readonly string _topic;
        private Task _running = Task.CompletedTask;

        private Writer(MultiBrokerCluster brokers, string topic)
        {
            _brokers = brokers;
            _topic = topic;
        }

        public ConcurrentQueue<string> Acknowledged { get; } = new();

        public static Writer Start(MultiBrokerCluster brokers, string topic)
        {
            var writer = new Writer(brokers, topic);
            writer._running = Task.Run(writer.RunAsync);
            return writer;
        }

        public Task WaitForAsync(int count) =>
            Eventually.Async(() => Task.FromResult(Acknowledged.Count >= count || _running.IsCompleted), _deadline, _poll, $"for {count} acknowledged writes");

        private async Task RunAsync()
        {
            var leader = PartitionMetadata.NoLeader;
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var value = $"v{i}";
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        if (leader == PartitionMetadata.NoLeader)
                        {
                            leader = (await _brokers.Controller.DescribeTopic(_topic)).Topic!.Partitions[0].Leader;
                        }
                        var produced = await _brokers.Client.GetGrain<IBrokerGrain>(leader).Produce(
                            new ProduceRequest(-1, 10_000, [new PartitionBatch(_topic, 0, Batches.Of(value))]));
                        if (produced.Results[0].Error == ErrorCode.None)
                        {
                            Acknowledged.Enqueue(value);
                            break;
                        }
                    }
#pragma warning disable CA1031 // Whatever failed (no leader, its silo unreachable), the controller says who leads now.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                    leader = PartitionMetadata.NoLeader;
                    await Task.Delay(20);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }
            await _running;
        }
    }
}
