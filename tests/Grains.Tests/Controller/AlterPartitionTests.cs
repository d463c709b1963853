using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>Kafka's AlterPartition rules: which ISR proposals the controller refuses, and what an accepted one changes.</summary>
public sealed class AlterPartitionTests
{
    private static readonly Guid _topicId = Guid.NewGuid();

    // orders-0: replicas [1, 2, 3], led by 1 at leader epoch 5, partition epoch 9, ISR [1, 2].
    private readonly Dictionary<string, TopicRecord> _topics = new(StringComparer.Ordinal)
    {
        ["orders"] = new TopicRecord
        {
            TopicId = _topicId,
            Partitions = [new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 5, PartitionEpoch = 9, Replicas = [1, 2, 3], Isr = [1, 2] }],
        },
    };

    private PartitionRecord Orders0 => _topics["orders"].Partitions[0];

    private static LiveBrokers AllAlive { get; } = new(new HashSet<int> { 1, 2, 3 });

    [Fact]
    public void AnUnknownTopicIsRefused() =>
        AssertRefused(ErrorCode.UnknownTopicOrPartition, Decide(Item() with { Topic = "nope" }));

    [Fact]
    public void ATopicIdOfAnotherIncarnationIsRefused() =>
        AssertRefused(ErrorCode.UnknownTopicId, Decide(Item() with { TopicId = Guid.NewGuid() }));

    [Fact]
    public void AnUnknownPartitionIsRefused()
    {
        AssertRefused(ErrorCode.UnknownTopicOrPartition, Decide(Item() with { Partition = 1 }));
        AssertRefused(ErrorCode.UnknownTopicOrPartition, Decide(Item() with { Partition = -1 }));
    }

    [Fact]
    public void AProposalFromABrokerThatDoesNotLeadIsRefused() =>
        AssertRefused(ErrorCode.NotLeaderOrFollower, Decide(Item(), brokerId: 2));

    [Fact]
    public void AnOlderLeaderEpochIsFenced() =>
        AssertRefused(ErrorCode.FencedLeaderEpoch, Decide(Item() with { LeaderEpoch = 4 }));

    [Fact]
    public void ANewerLeaderEpochIsUnknown() =>
        AssertRefused(ErrorCode.UnknownLeaderEpoch, Decide(Item() with { LeaderEpoch = 6 }));

    [Fact]
    public void AnotherPartitionEpochIsAnInvalidUpdateVersion()
    {
        AssertRefused(ErrorCode.InvalidUpdateVersion, Decide(Item() with { PartitionEpoch = 8 }));
        AssertRefused(ErrorCode.InvalidUpdateVersion, Decide(Item() with { PartitionEpoch = 10 }));
    }

    [Fact]
    public void TheLeaderEpochIsCheckedBeforeThePartitionEpoch() =>
        AssertRefused(ErrorCode.FencedLeaderEpoch, Decide(Item() with { LeaderEpoch = 4, PartitionEpoch = 8 }));

    [Fact]
    public void AnIsrWithoutTheLeaderIsInvalid() => AssertRefused(ErrorCode.InvalidRequest, Decide(Item(2, 3)));

    [Fact]
    public void AnEmptyIsrIsInvalid() => AssertRefused(ErrorCode.InvalidRequest, Decide(Item()));

    [Fact]
    public void AnIsrNamingABrokerTwiceIsInvalid() => AssertRefused(ErrorCode.InvalidRequest, Decide(Item(1, 2, 2)));

    [Fact]
    public void AnIsrNamingABrokerWithoutAReplicaIsInvalid() => AssertRefused(ErrorCode.InvalidRequest, Decide(Item(1, 4)));

    [Fact]
    public void ADeadBrokerCannotJoinTheIsr() =>
        AssertRefused(ErrorCode.IneligibleReplica, Decide(Item(1, 2, 3), brokers: new LiveBrokers(new HashSet<int> { 1, 2 })));

    [Fact]
    public void AShuttingDownBrokerCannotJoinTheIsr() =>
        AssertRefused(ErrorCode.IneligibleReplica, Decide(Item(1, 2, 3), brokers: new LiveBrokers(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 3 })));

    [Fact]
    public void ABrokerThatRegisteredAgainSinceTheFetchTheLeaderCountedCannotJoinTheIsr()
    {
        // Broker 3 registered at epoch 40, then restarted and registered at 52: fetches of its earlier run say
        // nothing of what its log holds now (a SIGKILL may have lost its unflushed tail).
        var brokers = new LiveBrokers(new HashSet<int> { 1, 2, 3 }, new HashSet<int>(), new Dictionary<int, long> { [1] = 30, [2] = 31, [3] = 52 });
        var stale = Decide(Item(1, 2, 3) with { NewIsrBrokerEpochs = [-1, 31, 40] }, brokers: brokers);
        AssertRefused(ErrorCode.IneligibleReplica, stale);
        Assert.Contains("epoch 52", stale.Message, StringComparison.Ordinal);
        AssertRefused(ErrorCode.IneligibleReplica, Decide(Item(1, 2, 3), brokers: brokers)); // no epoch given: not its current run either

        var current = Decide(Item(1, 2, 3) with { NewIsrBrokerEpochs = [-1, 31, 52] }, brokers: brokers);
        Assert.Equal(ErrorCode.None, current.Error);
        Assert.Equal([1, 2, 3], Orders0.Isr);
    }

    [Fact]
    public void AMemberAlreadyInTheIsrNeedNotBeEligibleToStay()
    {
        // Broker 2 died and the controller has not followed membership yet: a proposal that keeps 2 and adds 3
        // is accepted, as only the brokers it adds must be alive and not shutting down.
        var decision = Decide(Item(1, 2, 3), brokers: new LiveBrokers(new HashSet<int> { 1, 3 }));
        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Equal([1, 2, 3], Orders0.Isr);
    }

    [Fact]
    public void TheCurrentIsrIsAnsweredUnchangedWithoutAChange()
    {
        var decision = Decide(Item(2, 1));
        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Null(decision.Changed);
        Assert.Equal((1, 5, 9), (decision.Current!.Leader, decision.Current.LeaderEpoch, decision.Current.PartitionEpoch));
        Assert.Equal([1, 2], decision.Current.Isr);
        Assert.Equal(9, Orders0.PartitionEpoch);
    }

    [Fact]
    public void AShrinkIsAcceptedAtTheNextPartitionEpochWithTheSameLeaderEpoch()
    {
        var decision = Decide(Item(1));
        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Same(Orders0, decision.Changed);
        Assert.Equal([1, 2], decision.Before!.Isr);
        Assert.Equal((1, 5, 10), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
        Assert.Equal([1], Orders0.Isr);

        // The same proposal again is now at an old partition epoch.
        Assert.Equal(ErrorCode.InvalidUpdateVersion, Decide(Item(1)).Error);
    }

    [Fact]
    public void AnExpandedIsrKeepsTheOrderOfTheReplicas()
    {
        Assert.Equal(ErrorCode.None, Decide(Item(3, 1, 2)).Error);
        Assert.Equal([1, 2, 3], Orders0.Isr);
        Assert.Equal(10, Orders0.PartitionEpoch);
    }

    [Fact]
    public void ThePreferredReplicaBackInTheIsrTakesLeadershipInTheSameChange()
    {
        // Broker 1, the preferred replica, was away: broker 2 leads with ISR [2, 3].
        Orders0.Leader = 2;
        Orders0.Isr = [2, 3];

        var decision = Decide(Item(2, 3, 1), brokerId: 2);

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.Equal((1, 6, 10), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
        Assert.Equal([1, 2, 3], Orders0.Isr);
        Assert.Equal(2, decision.Before!.Leader);
    }

    [Fact]
    public void WithoutAutoLeaderRebalanceThePreferredReplicaOnlyJoinsTheIsr()
    {
        Orders0.Leader = 2;
        Orders0.Isr = [2, 3];

        Assert.Equal(ErrorCode.None, Decide(Item(1, 2, 3), brokerId: 2, restorePreferredLeader: false).Error);

        Assert.Equal((2, 5, 10), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
        Assert.Equal([1, 2, 3], Orders0.Isr);
    }

    [Fact]
    public void ThePreferredReplicaDoesNotTakeOverWhenItWasInTheIsrAlready()
    {
        // It was in sync and not leader (leadership moved for another reason): only a return brings it back as leader.
        Orders0.Leader = 2;
        Orders0.Isr = [1, 2, 3];

        Assert.Equal(ErrorCode.None, Decide(Item(1, 2), brokerId: 2).Error);

        Assert.Equal((2, 5, 10), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
    }

    private IsrDecision Decide(AlterPartitionItem item, int brokerId = 1, LiveBrokers? brokers = null, bool restorePreferredLeader = true) =>
        AlterPartitions.Decide(brokerId, item, _topics, brokers ?? AllAlive, restorePreferredLeader);

    private static AlterPartitionItem Item(params int[] newIsr) => new("orders", _topicId, 0, LeaderEpoch: 5, PartitionEpoch: 9, newIsr);

    private void AssertRefused(ErrorCode expected, IsrDecision decision)
    {
        Assert.Equal(expected, decision.Error);
        Assert.False(string.IsNullOrEmpty(decision.Message));
        Assert.Null(decision.Changed);
        // Nothing changed.
        Assert.Equal((1, 5, 9), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
        Assert.Equal([1, 2], Orders0.Isr);
    }
}
