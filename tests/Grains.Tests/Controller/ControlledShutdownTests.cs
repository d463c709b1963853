using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>A broker's controlled shutdown: its leaderships move to other in-sync replicas and it leaves every ISR.</summary>
public sealed class ControlledShutdownTests
{
    // Broker 1 asked to shut down; 1, 2 and 3 are alive.
    private static LiveBrokers OneShuttingDown { get; } = new(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 1 });

    [Fact]
    public void LeadershipMovesToTheFirstOtherInSyncReplicaAndTheBrokerLeavesTheIsr()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 3, 2], Isr = [1, 3, 2] };

        Assert.Equal(ShutdownStep.LeaderMoved, ControlledShutdowns.Leave(partition, 1, OneShuttingDown));

        Assert.Equal((3, 3, 6), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([3, 2], partition.Isr);
    }

    [Fact]
    public void LeadershipSkipsAnOutOfSyncOrShuttingDownReplica()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2, 3, 4], Isr = [1, 3, 4] };
        var brokers = new LiveBrokers(new HashSet<int> { 1, 2, 3, 4 }, new HashSet<int> { 1, 3 });

        Assert.Equal(ShutdownStep.LeaderMoved, ControlledShutdowns.Leave(partition, 1, brokers));

        Assert.Equal(4, partition.Leader);
        Assert.Equal([3, 4], partition.Isr);
    }

    [Fact]
    public void AFollowerLeavesTheIsrWithoutALeaderChange()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 2, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [2, 1], Isr = [2, 1] };

        Assert.Equal(ShutdownStep.LeftIsr, ControlledShutdowns.Leave(partition, 1, OneShuttingDown));

        Assert.Equal((2, 2, 6), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([2], partition.Isr);
    }

    [Fact]
    public void WithNoOtherInSyncReplicaTheBrokerKeepsLeadingAndTheIsrIsUnchanged()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2], Isr = [1] };

        Assert.Equal(ShutdownStep.StillLeads, ControlledShutdowns.Leave(partition, 1, OneShuttingDown));

        Assert.Equal((1, 2, 5), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([1], partition.Isr);
    }

    [Fact]
    public void AnInSyncReplicaThatIsDeadDoesNotTakeOver()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2], Isr = [1, 2] };

        Assert.Equal(ShutdownStep.StillLeads, ControlledShutdowns.Leave(partition, 1, new LiveBrokers(new HashSet<int> { 1 }, new HashSet<int> { 1 })));
        Assert.Equal(1, partition.Leader);
    }

    [Fact]
    public void TheLastInSyncReplicaOfALeaderlessPartitionStaysInTheIsr()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = PartitionMetadata.NoLeader, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2], Isr = [1] };

        Assert.Equal(ShutdownStep.Unchanged, ControlledShutdowns.Leave(partition, 1, OneShuttingDown));
        Assert.Equal([1], partition.Isr);
    }

    [Fact]
    public void APartitionWithoutTheBrokerIsUnchanged()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 2, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [2, 3, 1], Isr = [2, 3] };

        Assert.Equal(ShutdownStep.Unchanged, ControlledShutdowns.Leave(partition, 1, OneShuttingDown));
        Assert.Equal(5, partition.PartitionEpoch);
    }

    [Fact]
    public void ASecondShutdownChangesNothing()
    {
        var led = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2], Isr = [1, 2] };
        var followed = new PartitionRecord { Partition = 1, Leader = 2, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [2, 1], Isr = [2, 1] };
        var stuck = new PartitionRecord { Partition = 2, Leader = 1, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 3], Isr = [1] };
        PartitionRecord[] partitions = [led, followed, stuck];
        Assert.Equal([ShutdownStep.LeaderMoved, ShutdownStep.LeftIsr, ShutdownStep.StillLeads], partitions.Select(p => ControlledShutdowns.Leave(p, 1, OneShuttingDown)));
        var epochs = partitions.Select(p => (p.Leader, p.LeaderEpoch, p.PartitionEpoch)).ToList();

        Assert.Equal([ShutdownStep.Unchanged, ShutdownStep.Unchanged, ShutdownStep.StillLeads], partitions.Select(p => ControlledShutdowns.Leave(p, 1, OneShuttingDown)));
        Assert.Equal(epochs, partitions.Select(p => (p.Leader, p.LeaderEpoch, p.PartitionEpoch)));
    }

    [Fact]
    public void AShuttingDownBrokerIsNotElectedWhenALeaderDies()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 2, LeaderEpoch = 2, PartitionEpoch = 5, Replicas = [1, 2], Isr = [1, 2] };

        // Broker 1 stays in the ISR as it left it; broker 2 dies; 1 may not lead while shutting down.
        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, new LiveBrokers(new HashSet<int> { 1 }, new HashSet<int> { 1 })));

        Assert.Equal(PartitionMetadata.NoLeader, partition.Leader);
    }
}
