namespace Orlog.Grains.Tests.Cluster;

/// <summary>A leader's ISR proposal through the controller grain: committed, pushed to every silo, fenced by epochs.</summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class ControllerIsrTests(ThreeBrokers fixture) : IClassFixture<ThreeBrokers>
{
    private MultiBrokerCluster Brokers => fixture.Cluster;

    [Fact]
    public async Task AnAcceptedIsrChangeIsCommittedAndPushedAndAStaleOneIsRefused()
    {
        var topic = await Brokers.CreateTopicAsync("isr", 1, replicationFactor: 3);
        var created = topic.Partitions[0];
        Assert.Equal(created.Replicas, created.Isr);
        var leader = created.Leader;
        var shrunk = created.Isr.Where(b => b == leader || b == created.Replicas.First(r => r != leader)).ToArray();

        var accepted = Assert.Single(await Brokers.Controller.AlterPartition(leader,
            [new AlterPartitionItem("isr", topic.TopicId, 0, created.LeaderEpoch, created.PartitionEpoch, shrunk)]));

        Assert.Equal(ErrorCode.None, accepted.Error);
        Assert.Equal(shrunk, accepted.Metadata!.Isr);
        Assert.Equal((leader, created.LeaderEpoch, created.PartitionEpoch + 1), (accepted.Metadata.Leader, accepted.Metadata.LeaderEpoch, accepted.Metadata.PartitionEpoch));
        var version = await Brokers.Controller.MetadataVersion();
        foreach (var broker in new[] { 1, 2, 3 })
        {
            // Pushed before the answer (a later change, made by a replica meanwhile, may have followed it).
            var cache = Brokers.MetadataOf(broker);
            Assert.True(cache.Version >= version, $"broker {broker} holds metadata version {cache.Version}, the controller answered at {version}");
            Assert.True(cache.Topic("isr")!.Partitions[0].PartitionEpoch >= accepted.Metadata.PartitionEpoch);
        }

        // The same proposal again, at the partition epoch it was made at, is stale.
        var stale = Assert.Single(await Brokers.Controller.AlterPartition(leader,
            [new AlterPartitionItem("isr", topic.TopicId, 0, created.LeaderEpoch, created.PartitionEpoch, shrunk)]));
        Assert.Equal(ErrorCode.InvalidUpdateVersion, stale.Error);
        Assert.Null(stale.Metadata);
    }
}
