using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>A new partition's leader and ISR: its empty replicas start in sync, as Kafka starts them.</summary>
public sealed class NewPartitionTests
{
    [Fact]
    public void EveryEligibleReplicaIsInSyncAndTheFirstLeads()
    {
        var partition = Leadership.NewPartition(4, [2, 3, 1], new HashSet<int> { 1, 2, 3 });

        Assert.Equal((4, 2, 0, 0), (partition.Partition, partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([2, 3, 1], partition.Isr);
    }

    [Fact]
    public void WithTheFirstReplicaDownTheNextEligibleOneLeadsAndTheIsrLeavesTheDownOneOut()
    {
        var partition = Leadership.NewPartition(0, [2, 3, 1], new HashSet<int> { 1, 3 });

        Assert.Equal(3, partition.Leader);
        Assert.Equal([3, 1], partition.Isr);
    }

    [Fact]
    public void WithNoReplicaEligibleThereIsNoLeaderAndTheFirstReplicaStandsInTheIsr()
    {
        var partition = Leadership.NewPartition(0, [2, 3], new HashSet<int> { 1 });

        Assert.Equal(PartitionMetadata.NoLeader, partition.Leader);
        Assert.Equal([2], partition.Isr);
    }
}
