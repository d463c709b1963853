using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>Which reassignments drain a broker: each of its replicas to the least-loaded broker that can take it, or none at all.</summary>
public sealed class DrainPlanTests
{
    private static readonly Dictionary<int, string> _noRacks = [];

    [Fact]
    public void EachReplicaGoesInPlaceToTheLeastLoadedBrokerWithoutOne()
    {
        // Before the drain broker 2 holds 3 replicas, 3 holds 2, 4 none; each move counts where it went.
        var topics = Topics(
            ("a", [[1, 2], [2, 1], [1, 3]]),
            ("b", [[2, 1], [3, 1]]));

        var plan = Drains.Plan(1, topics, Alive(1, 2, 3, 4), _noRacks);

        Assert.Equal(ErrorCode.None, plan.Error);
        Assert.Equal(
            [("a", 0, "4,2"), ("a", 1, "2,4"), ("a", 2, "4,3"), ("b", 0, "2,3"), ("b", 1, "3,2")],
            plan.Moves.Select(m => (m.Topic, m.Partition, string.Join(',', m.TargetReplicas))));
        Assert.All(plan.Moves, m => Assert.Equal(m.Replicas.Count, m.TargetReplicas.Count));
        Assert.All(plan.Moves, m => Assert.False(m.AlreadyRunning));
    }

    [Fact]
    public void PartitionsWithoutTheBrokerAreLeftAlone()
    {
        var plan = Drains.Plan(3, Topics(("a", [[1, 2], [2, 3]])), Alive(1, 2, 3), _noRacks);

        var move = Assert.Single(plan.Moves);
        Assert.Equal((1, "2,1"), (move.Partition, string.Join(',', move.TargetReplicas)));
    }

    [Fact]
    public void WithNoBrokerToMoveToTheDrainIsRefusedWhole()
    {
        var plan = Drains.Plan(3, Topics(("a", [[1, 2], [1, 2, 3]])), Alive(1, 2, 3), _noRacks);

        Assert.Equal(ErrorCode.InvalidReplicationFactor, plan.Error);
        Assert.Contains("a-1", plan.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void DeadAndShuttingDownBrokersTakeNoReplica()
    {
        var brokers = new LiveBrokers(new HashSet<int> { 1, 2, 3, 4 }, new HashSet<int> { 3 });

        var plan = Drains.Plan(1, Topics(("a", [[1, 2]])), brokers, _noRacks);

        Assert.Equal("4,2", string.Join(',', Assert.Single(plan.Moves).TargetReplicas));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, Drains.Plan(1, Topics(("a", [[1, 2]])), Alive(1, 2), _noRacks).Error);
    }

    [Fact]
    public void ABrokerOnARackTheOtherReplicasDoNotHoldComesFirst()
    {
        // Broker 2 (rack x, where 3 is) is less loaded than 4 (rack y), but 4 keeps the replicas on two racks.
        var racks = new Dictionary<int, string> { [1] = "y", [2] = "x", [3] = "x", [4] = "y" };
        var topics = Topics(("a", [[1, 3]]), ("b", [[4, 3]]));

        var plan = Drains.Plan(1, topics, Alive(1, 2, 3, 4), racks);

        Assert.Equal("4,3", string.Join(',', Assert.Single(plan.Moves).TargetReplicas));
    }

    [Fact]
    public void ARunningReassignmentOffTheBrokerIsKeptAndOneOntoItIsRedirected()
    {
        var topics = Topics(("a", [[1, 2], [1, 2]]));
        // a-0 moves from [1, 2] to [3, 2] already; a-1 moves from [1, 2] to [1, 3].
        topics["a"].Partitions[0] = Moving(0, [3, 2], [1]);
        topics["a"].Partitions[1] = Moving(1, [1, 3], [2]);

        var plan = Drains.Plan(1, topics, Alive(1, 2, 3, 4), _noRacks);

        Assert.Equal(
            [(0, "3,2", true), (1, "4,3", false)],
            plan.Moves.Select(m => (m.Partition, string.Join(',', m.TargetReplicas), m.AlreadyRunning)));
    }

    private static PartitionRecord Moving(int partition, List<int> target, List<int> removing) => new()
    {
        Partition = partition,
        Leader = 1,
        Replicas = [.. target, .. removing],
        Isr = [.. target.Where(b => b != 3), .. removing],
        TargetReplicas = target,
        AddingReplicas = [3],
        RemovingReplicas = removing,
    };

    private static LiveBrokers Alive(params int[] brokers) => new(brokers.ToHashSet());

    internal static Dictionary<string, TopicRecord> Topics(params (string Name, int[][] Replicas)[] topics) =>
        topics.ToDictionary(t => t.Name, t => new TopicRecord
        {
            TopicId = Guid.NewGuid(),
            Partitions = [.. t.Replicas.Select((r, i) => new PartitionRecord { Partition = i, Leader = r[0], Replicas = [.. r], Isr = [.. r] })],
        }, StringComparer.Ordinal);
}
