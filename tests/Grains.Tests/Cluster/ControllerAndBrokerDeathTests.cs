using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orlog.Grains.Controller;
using Orlog.Grains.Partitions;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>What a stale controller and a broker that goes away do to the cluster's metadata and data.</summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class ControllerAndBrokerDeathTests
{
    [Fact]
    public async Task AStaleControllerActivationFailsItsWriteInsteadOfOverwriting()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(2);
        await brokers.CreateTopicAsync("first", 1);

        // Another activation of the controller (as Orleans' directory may briefly hold two) writes the
        // state behind this one's back, through the same storage.
        var storage = brokers.Silo(1).ServiceProvider.GetRequiredKeyedService<IGrainStorage>("Default");
        var controllerId = brokers.Controller.GetGrainId();
        var other = new GrainState<ControllerState>();
        await storage.ReadStateAsync("controller", controllerId, other);
        Assert.NotNull(other.State);
        other.State.Topics["from-the-other"] = new TopicRecord { TopicId = Guid.NewGuid(), Partitions = [new PartitionRecord { Partition = 0, Leader = 1, Replicas = [1], Isr = [1] }] };
        other.State.MetadataVersion++;
        await storage.WriteStateAsync("controller", controllerId, other);

        // The stale one's write fails on the ETag: it refuses the change and overwrites nothing.
        var refused = await brokers.Controller.CreateTopic("second", 1, 1, new Dictionary<string, string>());
        Assert.Equal(ErrorCode.NotController, refused.Error);
        var stored = new GrainState<ControllerState>();
        await storage.ReadStateAsync("controller", controllerId, stored);
        Assert.NotNull(stored.State);
        Assert.Equal(["first", "from-the-other"], stored.State.Topics.Keys.Order(StringComparer.Ordinal));

        // It stepped down; the next call activates a controller that reads what was written, and the retry succeeds.
        await Eventually.Async(async () => (await brokers.Controller.CreateTopic("second", 1, 1, new Dictionary<string, string>())).Error == ErrorCode.None,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50), "for a new controller activation to take the retry");
        Assert.Equal(["first", "from-the-other", "second"], await brokers.Controller.ListTopics());
    }

    [Fact]
    public async Task ABrokerThatStopsLeavesItsPartitionsLeaderlessUntilItReturnsAndNoOtherSiloOpensThem()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3);
        var topic = await brokers.CreateTopicAsync("orders", 3);
        var onThree = topic.Partitions.Single(p => p.Leader == 3);
        var produced = await brokers.Client.GetGrain<IBrokerGrain>(3).Produce(new ProduceRequest(1, 30_000, [new PartitionBatch("orders", onThree.Partition, Batches.Of("kept"))]));
        Assert.Equal(ErrorCode.None, Assert.Single(produced.Results).Error);

        var three = brokers.Silo(3);
        await brokers.Cluster.StopSiloAsync(three);
        await Eventually.Async(async () => (await brokers.Controller.DescribeTopic("orders")).Topic!.Partitions[onThree.Partition].Leader == PartitionMetadata.NoLeader,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), "for the controller to see broker 3 gone");
        var offline = (await brokers.Controller.DescribeTopic("orders")).Topic!.Partitions[onThree.Partition];
        Assert.Equal(onThree.LeaderEpoch + 1, offline.LeaderEpoch);
        Assert.Equal([3], offline.Isr);
        Assert.Equal(BrokerStatus.Dead, (await brokers.Controller.ListBrokers()).Single(b => b.Id == 3).Status);
        // Every other partition kept its leader.
        Assert.All((await brokers.Controller.DescribeTopic("orders")).Topic!.Partitions.Where(p => p.Partition != onThree.Partition), p => Assert.NotEqual(3, p.Leader));

        // A call for broker 3's replica fails at once; no other silo opens its log.
        var replica = brokers.Client.GetGrain<IPartitionReplicaGrain>(new ReplicaKey("orders", onThree.Partition, 3).ToString());
        var error = await Assert.ThrowsAsync<KafkaException>(() => replica.Fetch(topic.TopicId, 0, 1 << 20, 0));
        Assert.Equal(ErrorCode.ReplicaNotAvailable, error.Code);
        var viaBroker = await brokers.Client.GetGrain<IBrokerGrain>(1).Produce(new ProduceRequest(1, 30_000, [new PartitionBatch("orders", onThree.Partition, Batches.Of("no"))]));
        Assert.Equal(ErrorCode.LeaderNotAvailable, Assert.Single(viaBroker.Results).Error);
        Assert.All(new[] { 1, 2 }, b => Assert.False(Directory.Exists(Path.Combine(brokers.DataDirectory(b), "orders-" + onThree.Partition))));

        // Broker 3 returns: it leads its partition again at a new epoch, with its records.
        await brokers.Cluster.StartSiloAsync(three.InstanceNumber, brokers.Cluster.Options);
        await Eventually.Async(async () => (await brokers.Controller.DescribeTopic("orders")).Topic!.Partitions[onThree.Partition].Leader == 3,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), "for broker 3 to lead again");
        Assert.Equal(onThree.LeaderEpoch + 2, (await brokers.Controller.DescribeTopic("orders")).Topic!.Partitions[onThree.Partition].LeaderEpoch);
        var fetched = await brokers.Client.GetGrain<IBrokerGrain>(3).Fetch(new FetchRequest(0, 1, 1 << 20, [new PartitionFetch("orders", onThree.Partition, 0, 1 << 20)]));
        Assert.Equal(["kept"], Batches.Read(Assert.Single(fetched.Results).Records).Select(r => r.Value));
    }
}
