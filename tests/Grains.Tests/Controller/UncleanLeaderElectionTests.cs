using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>unclean.leader.election.enable: whether an out-of-sync replica may lead when no in-sync one can.</summary>
public sealed class UncleanLeaderElectionTests
{
    [Fact]
    public void DisabledAPartitionWhoseInSyncReplicasAreDownStaysLeaderless()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 4, Replicas = [1, 2, 3], Isr = [1] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(2, 3), uncleanElection: false));

        Assert.Equal((PartitionMetadata.NoLeader, 4, 5), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([1], partition.Isr);
    }

    [Fact]
    public void EnabledTheFirstAliveReplicaLeadsAloneInTheIsr()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 4, Replicas = [1, 2, 3], Isr = [1] };

        Assert.Equal(FollowResult.UncleanElection, Leadership.FollowBrokers(partition, Alive(3, 2), uncleanElection: true));

        Assert.Equal((2, 4, 5), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([2], partition.Isr);
    }

    [Fact]
    public void EnabledALeaderlessPartitionIsLedAgainByAnOutOfSyncReplica()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = PartitionMetadata.NoLeader, LeaderEpoch = 4, PartitionEpoch = 5, Replicas = [1, 2, 3], Isr = [1] };

        Assert.Equal(FollowResult.UncleanElection, Leadership.FollowBrokers(partition, Alive(3), uncleanElection: true));

        Assert.Equal((3, 5, 6), (partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch));
        Assert.Equal([3], partition.Isr);
    }

    [Fact]
    public void EnabledAnInSyncReplicaIsStillPreferred()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 4, Replicas = [1, 2, 3], Isr = [1, 3] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(2, 3), uncleanElection: true));

        Assert.Equal(3, partition.Leader);
        Assert.Equal([3], partition.Isr);
    }

    [Fact]
    public void EnabledAShuttingDownReplicaIsNotElected()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 4, Replicas = [1, 2, 3], Isr = [1] };

        Assert.Equal(FollowResult.UncleanElection,
            Leadership.FollowBrokers(partition, new LiveBrokers(new HashSet<int> { 2, 3 }, new HashSet<int> { 2 }), uncleanElection: true));

        Assert.Equal(3, partition.Leader);
    }

    [Fact]
    public void EnabledWithNoReplicaAliveThePartitionHasNoLeader()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 3, PartitionEpoch = 4, Replicas = [1, 2], Isr = [1] };

        Assert.Equal(FollowResult.Changed, Leadership.FollowBrokers(partition, Alive(3), uncleanElection: true));

        Assert.Equal(PartitionMetadata.NoLeader, partition.Leader);
        Assert.Equal([1], partition.Isr);
    }

    private static LiveBrokers Alive(params int[] brokers) => new(brokers.ToHashSet());
}
