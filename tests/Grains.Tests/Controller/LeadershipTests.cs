using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>The controller's replica and leader decisions, as plain functions.</summary>
public sealed class LeadershipTests
{
    [Fact]
    public void ReplicasAreDistinctBrokersSpreadRoundRobinFromTheStart()
    {
        var assignments = Leadership.AssignReplicas(0, 6, 2, new HashSet<int> { 3, 1, 2 }, start: 1);
        Assert.Equal([[2, 3], [3, 1], [1, 2], [2, 3], [3, 1], [1, 2]], assignments);
        Assert.All(assignments, replicas => Assert.Equal(replicas.Count, replicas.Distinct().Count()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Leadership.AssignReplicas(0, 1, 4, new HashSet<int> { 1, 2, 3 }, 0));
    }

    [Fact]
    public void ADeadLeaderIsReplacedByAnInSyncReplicaAtTheNextEpochAndLeavesTheIsr()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 4, PartitionEpoch = 7, Replicas = [1, 2, 3], Isr = [1, 2, 3] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(2, 3)));

        Assert.Equal((2, 5, 8), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([2, 3], partition.Isr);
    }

    [Fact]
    public void WithNoInSyncReplicaAliveThePartitionHasNoLeaderAndKeepsTheLastOneInTheIsr()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 0, Replicas = [1, 2], Isr = [1] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(2)));
        Assert.Equal((PartitionMetadata.NoLeader, 1, 1), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([1], partition.Isr);

        // Broker 2 is alive but not in sync: no unclean election; nothing changes until broker 1 returns.
        Assert.Equal(FollowResult.Unchanged, Leadership.FollowBrokers(partition, Alive(2)));
        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(1, 2)));
        Assert.Equal((1, 2, 2), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
    }

    [Fact]
    public void ADeadFollowerLeavesTheIsrWithoutALeaderChange()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 3, Replicas = [1, 2], Isr = [1, 2] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(1)));
        Assert.Equal((1, 3, 4), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([1], partition.Isr);
        Assert.Equal(FollowResult.Unchanged, Leadership.FollowBrokers(partition, Alive(1)));
    }

    [Fact]
    public void AVersionOnePartitionReadsAsItsLeaderInSync()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 0, Replicas = [0] };
        Leadership.Upgrade(partition);
        Assert.Equal([0], partition.Isr);
    }

    [Fact]
    public void AShuttingDownInSyncReplicaIsNotElectedWhenTheLeaderDies()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 2, Replicas = [1, 2, 3], Isr = [1, 2, 3] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, new LiveBrokers(new HashSet<int> { 2, 3 }, new HashSet<int> { 2 })));

        Assert.Equal((3, 3, 3), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([2, 3], partition.Isr);
    }

    [Fact]
    public void AShuttingDownLeaderKeepsLeadingWhileAlive()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 2, Replicas = [1, 2], Isr = [1, 2] };

        Assert.Equal(FollowResult.Unchanged, Leadership.FollowBrokers(partition, new LiveBrokers(new HashSet<int> { 1, 2 }, new HashSet<int> { 1 })));
        Assert.Equal(1, partition.Leader);
    }

    [Fact]
    public void ALeaderlessPartitionWaitsForItsInSyncReplicaToStopShuttingDown()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = PartitionMetadata.NoLeader, LeaderEpoch = 1, PartitionEpoch = 1, Replicas = [1, 2], Isr = [1] };

        Assert.Equal(FollowResult.Unchanged, Leadership.FollowBrokers(partition, new LiveBrokers(new HashSet<int> { 1 }, new HashSet<int> { 1 })));
        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(1)));
        Assert.Equal((1, 2), (partition.Leader, partition.LeaderEpoch));
    }

    private static LiveBrokers Alive(params int[] brokers) => new(brokers.ToHashSet());
}
