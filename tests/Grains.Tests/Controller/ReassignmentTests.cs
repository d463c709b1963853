using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>
/// Kafka's partition reassignment (KIP-455) on the controller's state: what a request is refused for, what a
/// start, a replacement and a cancel change, and when a reassignment completes.
/// </summary>
public sealed class ReassignmentTests
{
    private static readonly Guid _topicId = Guid.NewGuid();
    private static readonly HashSet<int> _registered = [1, 2, 3, 4, 5];

    // orders-0: replicas [1, 2], led by 1 at leader epoch 5, partition epoch 9, ISR [1, 2].
    private readonly Dictionary<string, TopicRecord> _topics = new(StringComparer.Ordinal)
    {
        ["orders"] = new TopicRecord
        {
            TopicId = _topicId,
            Partitions = [new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 5, PartitionEpoch = 9, Replicas = [1, 2], Isr = [1, 2] }],
        },
    };

    private PartitionRecord Orders0 => _topics["orders"].Partitions[0];

    private static LiveBrokers AllAlive { get; } = new(new HashSet<int> { 1, 2, 3, 4, 5 });

    [Fact]
    public void AReassignmentStartsWithTheTargetFirstAndTheIsrUnchanged()
    {
        var decision = Alter(2, 3);

        Assert.True(decision.Changed);
        Assert.Equal([2, 3, 1], Orders0.Replicas);
        Assert.Equal([2, 3], Orders0.TargetReplicas);
        Assert.Equal([3], Orders0.AddingReplicas);
        Assert.Equal([1], Orders0.RemovingReplicas);
        Assert.Equal([2, 1], Orders0.Isr);
        Assert.Equal((1, 5, 10), (Orders0.Leader, Orders0.LeaderEpoch, Orders0.PartitionEpoch));
        var metadata = Orders0.ToMetadata();
        Assert.True(metadata.IsReassigning);
        Assert.Equal([3], metadata.AddingReplicas);
        Assert.Equal([1], metadata.RemovingReplicas);
    }

    [Fact]
    public void ItCompletesWhenTheLastTargetReplicaJoinsTheIsrAndALeaderOutsideTheTargetHandsOver()
    {
        Alter(2, 3);

        var decision = AlterPartitions.Decide(1, new AlterPartitionItem("orders", _topicId, 0, 5, 10, [1, 2, 3]), _topics, AllAlive, restorePreferredLeader: false);

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.False(Orders0.IsReassigning);
        Assert.Equal([2, 3], Orders0.Replicas);
        Assert.Equal([2, 3], Orders0.Isr);
        Assert.Empty(Orders0.AddingReplicas);
        Assert.Empty(Orders0.RemovingReplicas);
        Assert.Equal((2, 6), (Orders0.Leader, Orders0.LeaderEpoch));
        Assert.False(decision.Changed!.ToMetadata().IsReassigning);
    }

    [Fact]
    public void ALeaderInTheTargetKeepsLeadingUnlessThePreferredReplicaLeads()
    {
        Alter(1, 3);
        AlterPartitions.Decide(1, new AlterPartitionItem("orders", _topicId, 0, 5, 10, [1, 2, 3]), _topics, AllAlive, restorePreferredLeader: false);
        Assert.Equal([1, 3], Orders0.Replicas);
        Assert.Equal((1, 5), (Orders0.Leader, Orders0.LeaderEpoch));

        // The same with the preferred replica leading (auto.leader.rebalance.enable): the target's first takes over.
        var other = new PartitionRecord { Partition = 0, Leader = 1, LeaderEpoch = 5, PartitionEpoch = 9, Replicas = [1, 2], Isr = [1, 2] };
        _topics["orders"].Partitions[0] = other;
        Alter(3, 1);
        Assert.Equal(1, other.Leader);
        AlterPartitions.Decide(1, new AlterPartitionItem("orders", _topicId, 0, 5, 10, [1, 2, 3]), _topics, AllAlive, restorePreferredLeader: true);
        Assert.Equal([3, 1], other.Replicas);
        Assert.Equal((3, 6), (other.Leader, other.LeaderEpoch));
    }

    [Fact]
    public void ItDoesNotCompleteWhileATargetReplicaIsOutOfSync()
    {
        Alter(3, 4);

        AlterPartitions.Decide(1, new AlterPartitionItem("orders", _topicId, 0, 5, 10, [1, 2, 3]), _topics, AllAlive, restorePreferredLeader: false);

        Assert.True(Orders0.IsReassigning);
        Assert.Equal([3, 4, 1, 2], Orders0.Replicas);
        Assert.Equal([3, 1, 2], Orders0.Isr);
        Assert.Equal(1, Orders0.Leader);
    }

    [Fact]
    public void ItWaitsForATargetReplicaThatCanLead()
    {
        Alter(2, 3);
        Orders0.Isr = [1, 2, 3];
        var shuttingDown = new LiveBrokers(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 2, 3 });

        Assert.False(Reassignments.TryComplete(Orders0, shuttingDown, preferredLeaderLeads: true));
        Assert.True(Orders0.IsReassigning);

        Assert.True(Reassignments.TryComplete(Orders0, AllAlive, preferredLeaderLeads: true));
        Assert.Equal([2, 3], Orders0.Replicas);
        Assert.Equal(2, Orders0.Leader);
    }

    [Fact]
    public void ShrinkingTheReplicasCompletesAtOnceWhenTheTargetIsInSync()
    {
        Orders0.Replicas = [1, 2, 3];
        Orders0.Isr = [1, 2, 3];

        Assert.True(Alter(1, 2).Changed);

        Assert.False(Orders0.IsReassigning);
        Assert.Equal([1, 2], Orders0.Replicas);
        Assert.Equal([1, 2], Orders0.Isr);
        Assert.Equal((1, 5), (Orders0.Leader, Orders0.LeaderEpoch));
    }

    [Fact]
    public void AReorderCompletesAtOnceAndThePreferredReplicaLeads()
    {
        Assert.True(Alter(2, 1).Changed);

        Assert.False(Orders0.IsReassigning);
        Assert.Equal([2, 1], Orders0.Replicas);
        Assert.Equal((2, 6), (Orders0.Leader, Orders0.LeaderEpoch));
    }

    [Fact]
    public void TheCurrentReplicasAsTargetChangeNothing()
    {
        var decision = Alter(1, 2);

        Assert.Equal(ErrorCode.None, decision.Error);
        Assert.False(decision.Changed);
        Assert.Equal(9, Orders0.PartitionEpoch);
    }

    [Fact]
    public void ANewTargetReplacesTheRunningOneAndDropsWhatItAddedAtOnce()
    {
        Alter(2, 3);
        Orders0.Isr = [2, 3, 1];

        var decision = Alter(2, 4);

        Assert.True(decision.Changed);
        Assert.Equal([2, 4, 1], Orders0.Replicas);
        Assert.Equal([4], Orders0.AddingReplicas);
        Assert.Equal([1], Orders0.RemovingReplicas);
        Assert.Equal([2, 1], Orders0.Isr);
    }

    [Fact]
    public void AReplacementMovesTheLeaderOffADroppedReplica()
    {
        Alter(3, 4);
        Orders0.Isr = [3, 1, 2];
        Orders0.Leader = 3;

        Alter(2, 5);

        Assert.Equal([2, 5, 1], Orders0.Replicas);
        Assert.Equal([2, 1], Orders0.Isr);
        Assert.Equal((2, 6), (Orders0.Leader, Orders0.LeaderEpoch));
    }

    [Fact]
    public void ACancelGoesBackToTheOriginalReplicasAndMovesTheLeaderBack()
    {
        Alter(3, 4);
        Orders0.Isr = [3, 1, 2];
        Orders0.Leader = 3;

        var decision = Cancel();

        Assert.True(decision.Changed);
        Assert.False(Orders0.IsReassigning);
        Assert.Equal([1, 2], Orders0.Replicas);
        Assert.Equal([1, 2], Orders0.Isr);
        Assert.Equal((1, 6), (Orders0.Leader, Orders0.LeaderEpoch));
    }

    [Fact]
    public void ACancelWithNoOriginalReplicaInSyncIsRefused()
    {
        Alter(3, 4);
        Orders0.Isr = [3];
        Orders0.Leader = 3;

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Cancel().Error);
        Assert.True(Orders0.IsReassigning);
    }

    [Fact]
    public void ACancelWithNoneRunningIsRefused() => Assert.Equal(ErrorCode.NoReassignmentInProgress, Cancel().Error);

    [Fact]
    public void ARunningReassignmentIsReplacedOnlyWhenAsked()
    {
        Alter(2, 3);

        var refused = Reassignments.Alter(new ReassignmentRequest("orders", 0, [2, 4], ReplaceRunning: false), _topics, _registered, AllAlive, _ => 1, true);

        Assert.Equal(ErrorCode.ReassignmentInProgress, refused.Error);
        Assert.Equal([2, 3], Orders0.TargetReplicas);
    }

    [Theory]
    [InlineData("nope", 0)]
    [InlineData("orders", 1)]
    [InlineData("orders", -1)]
    public void AnUnknownPartitionIsRefused(string topic, int partition) =>
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Reassignments.Alter(new ReassignmentRequest(topic, partition, [1]), _topics, _registered, AllAlive, _ => 1, true).Error);

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 2, 2 })]
    [InlineData(new[] { 2, 9 })]
    [InlineData(new[] { -1, 2 })]
    public void AnInvalidTargetIsRefusedAndChangesNothing(int[] target)
    {
        var decision = Alter(target);

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, decision.Error);
        Assert.Equal([1, 2], Orders0.Replicas);
        Assert.Equal(9, Orders0.PartitionEpoch);
    }

    [Fact]
    public void ATargetAddingADeadOrShuttingDownBrokerIsRefused()
    {
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Alter(new LiveBrokers(new HashSet<int> { 1, 2 }), 2, 3).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Alter(new LiveBrokers(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 3 }), 2, 3).Error);
        Assert.False(Orders0.IsReassigning);
    }

    [Fact]
    public void ATargetSmallerThanMinInsyncReplicasIsRefused()
    {
        var decision = Reassignments.Alter(new ReassignmentRequest("orders", 0, [3]), _topics, _registered, AllAlive, _ => 2, true);

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, decision.Error);
        Assert.Contains("min.insync.replicas=2", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersion2PartitionReadsAsNoReassignmentRunning()
    {
        var partition = new PartitionRecord { Partition = 0, Leader = 1, Replicas = [1], Isr = [1], TargetReplicas = null!, AddingReplicas = null!, RemovingReplicas = null! };

        Reassignments.Upgrade(partition);

        Assert.False(partition.IsReassigning);
        Assert.Empty(partition.AddingReplicas);
        Assert.Empty(partition.RemovingReplicas);
        Assert.False(partition.ToMetadata().IsReassigning);
    }

    private ReassignmentDecision Alter(params int[] target) => Alter(AllAlive, target);

    private ReassignmentDecision Alter(LiveBrokers brokers, params int[] target) =>
        Reassignments.Alter(new ReassignmentRequest("orders", 0, target), _topics, _registered, brokers, _ => 1, preferredLeaderLeads: true);

    private ReassignmentDecision Cancel() =>
        Reassignments.Alter(new ReassignmentRequest("orders", 0, null), _topics, _registered, AllAlive, _ => 1, preferredLeaderLeads: true);
}
