using Orlog.Grains.Partitions;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>Three brokers on three silos: who owns what, placement, and the metadata every silo holds.</summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class BrokerPlacementTests(ThreeBrokers fixture) : IClassFixture<ThreeBrokers>
{
    private MultiBrokerCluster Brokers => fixture.Cluster;

    [Fact]
    public async Task EveryBrokerIsRegisteredAliveAndOneHostsTheController()
    {
        var brokers = await Brokers.Controller.ListBrokers();
        Assert.Equal([1, 2, 3], brokers.Select(b => b.Id));
        Assert.All(brokers, b => Assert.Equal(BrokerStatus.Alive, b.Status));
        Assert.All(brokers, b => Assert.NotNull(b.Gateway));
        var metadata = await Brokers.Controller.GetMetadata(0);
        Assert.Contains(metadata!.ControllerBroker, new[] { 1, 2, 3 });
    }

    [Fact]
    public async Task PartitionsSpreadOverEveryBrokerAndEachLogLivesOnlyOnItsLeadersSilo()
    {
        var topic = await Brokers.CreateTopicAsync("spread", 6);
        Assert.Equal([1, 2, 3], topic.Partitions.Select(p => p.Leader).Distinct().Order());
        foreach (var partition in topic.Partitions)
        {
            var leader = partition.Leader;
            var response = await Brokers.Client.GetGrain<IBrokerGrain>(leader).Produce(new ProduceRequest(1, 30_000, [new PartitionBatch("spread", partition.Partition, Batches.Of("p" + partition.Partition))]));
            Assert.Equal(ErrorCode.None, Assert.Single(response.Results).Error);
        }
        foreach (var partition in topic.Partitions)
        {
            foreach (var broker in new[] { 1, 2, 3 })
            {
                var directory = Path.Combine(Brokers.DataDirectory(broker), "spread-" + partition.Partition);
                Assert.Equal(broker == partition.Leader, Directory.Exists(directory));
            }
        }
    }

    [Fact]
    public async Task ABrokerAskedForAPartitionItDoesNotLeadSaysWhoDoesAndOpensNothing()
    {
        var topic = await Brokers.CreateTopicAsync("elsewhere", 1);
        var leader = topic.Partitions[0].Leader;
        var other = leader % 3 + 1;
        var response = await Brokers.Client.GetGrain<IBrokerGrain>(other).Produce(new ProduceRequest(1, 30_000, [new PartitionBatch("elsewhere", 0, Batches.Of("x"))]));
        var result = Assert.Single(response.Results);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, result.Error);
        Assert.Contains($"broker {leader} does", result.ErrorMessage);

        // Even the replica grain of a broker that holds no replica refuses without opening a log.
        var replica = Brokers.Client.GetGrain<IPartitionReplicaGrain>(new ReplicaKey("elsewhere", 0, other).ToString());
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await replica.Produce(topic.TopicId, 1, Batches.Of("y"))).Error);
        Assert.False(Directory.Exists(Path.Combine(Brokers.DataDirectory(other), "elsewhere-0")));
    }

    [Fact]
    public async Task EverySiloHoldsTheControllersMetadataVersionOnceAChangeIsAnswered()
    {
        await Brokers.CreateTopicAsync("pushed", 3);
        var version = await Brokers.Controller.MetadataVersion();
        foreach (var broker in new[] { 1, 2, 3 })
        {
            var cache = Brokers.MetadataOf(broker);
            Assert.Equal(version, cache.Version);
            Assert.Equal(3, cache.Topic("pushed")!.Partitions.Count);
        }

        Assert.Equal(ErrorCode.None, (await Brokers.Controller.DeleteTopic("pushed")).Error);
        Assert.All(new[] { 1, 2, 3 }, broker => Assert.Null(Brokers.MetadataOf(broker).Topic("pushed")));
    }

    [Fact]
    public async Task ASiloBehindTheControllerCatchesUpByVersion()
    {
        var cache = Brokers.MetadataOf(2);
        var before = cache.Version;
        await Brokers.CreateTopicAsync("caught-up", 1);
        // What a silo that missed the push does on its next request: ask for what is newer than its version.
        var newer = await Brokers.Controller.GetMetadata(before);
        Assert.NotNull(newer);
        Assert.True(newer.Version > before);
        Assert.Contains("caught-up", newer.Topics.Keys);
        Assert.Null(await Brokers.Controller.GetMetadata(newer.Version));
        Assert.Equal(newer.Version, (await cache.CatchUpAsync()).Version);
    }
}

/// <summary>Multi-silo tests share the machine's two cores badly: they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiBrokerCollection
{
    public const string Name = "multi-broker";
}

/// <summary>One three-broker cluster for a test class.</summary>
public sealed class ThreeBrokers : IAsyncLifetime
{
    internal MultiBrokerCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await MultiBrokerCluster.StartAsync(3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
