using Microsoft.Extensions.DependencyInjection;
using Orlog.Grains.Partitions;
using Orlog.Grains.Replication;
using Orlog.Grains.Tests.Partitions;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>Replication between in-process silos: acks=all, followers copying the same batches, a controlled hand-over and the way back.</summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class ReplicationClusterTests
{
    [Fact]
    public async Task AcksAllRecordsReachEveryReplicaAndSurviveALeaderThatStopsAndReturns()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3);
        var topic = (await brokers.Controller.CreateTopic("replicated", 1, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" })).GetTopicOrThrow();
        var first = topic.Partitions[0];
        Assert.Equal(3, first.Isr.Count);

        for (var i = 0; i < 5; i++)
        {
            var produced = await brokers.Client.GetGrain<IBrokerGrain>(first.Leader).Produce(
                new ProduceRequest(-1, 30_000, [new PartitionBatch("replicated", 0, Batches.Of("r" + i))]));
            Assert.Equal(ErrorCode.None, Assert.Single(produced.Results).Error);
        }
        await SameOnEveryReplicaAsync(brokers, topic.TopicId, [1, 2, 3], 5);

        // The leader stops gracefully: leadership moves to an in-sync follower before it goes.
        var leaderSilo = brokers.Silo(first.Leader);
        await brokers.Cluster.StopSiloAsync(leaderSilo);
        var moved = (await brokers.Controller.DescribeTopic("replicated")).Topic!.Partitions[0];
        Assert.NotEqual(first.Leader, moved.Leader);
        Assert.DoesNotContain(first.Leader, moved.Isr);
        var after = await brokers.Client.GetGrain<IBrokerGrain>(moved.Leader).Produce(
            new ProduceRequest(-1, 30_000, [new PartitionBatch("replicated", 0, Batches.Of("r5"))]));
        Assert.Equal(ErrorCode.None, Assert.Single(after.Results).Error);
        var read = await brokers.Client.GetGrain<IBrokerGrain>(moved.Leader).Fetch(new FetchRequest(0, 1, 1 << 20, [new PartitionFetch("replicated", 0, 0, 1 << 20)]));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "r" + i), Batches.Read(Assert.Single(read.Results).Records).Select(r => r.Value));

        // It returns, catches up, rejoins the ISR and, as the preferred replica, leads again.
        var returned = await brokers.Cluster.StartSiloAsync(leaderSilo.InstanceNumber, brokers.Cluster.Options);
        await Eventually.Async(async () => (await brokers.Controller.DescribeTopic("replicated")).Topic!.Partitions[0] is { Isr.Count: 3 } p && p.Leader == first.Leader,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), "for the returning broker to catch up and lead again");
        await SameOnEveryReplicaAsync(brokers, topic.TopicId, [1, 2, 3], 6, (first.Leader, returned.ServiceProvider));
    }

    private static async Task SameOnEveryReplicaAsync(MultiBrokerCluster brokers, Guid topicId, int[] brokerIds, long logEnd, (int Broker, IServiceProvider Services)? restarted = null)
    {
        IServiceProvider Services(int broker) => restarted is { } r && r.Broker == broker ? r.Services : brokers.Silo(broker).ServiceProvider;
        Partition Replica(int broker) => Services(broker).GetRequiredService<ReplicaManager>().Get(new TopicPartition("replicated", 0), topicId)!;
        await Eventually.Async(() => Task.FromResult(brokerIds.All(b => Replica(b) is { } r && r.Log.LogEndOffset == logEnd)),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), $"for every replica to reach offset {logEnd}");
        var leader = ReplicaSet.BatchesOf(Replica(brokerIds[0]));
        foreach (var broker in brokerIds[1..])
        {
            Assert.Equal(leader, ReplicaSet.BatchesOf(Replica(broker)));
        }
    }
}
