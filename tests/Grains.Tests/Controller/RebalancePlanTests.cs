using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>Spreading replicas evenly over the brokers, e.g. onto one just added, with as few moves as it takes.</summary>
public sealed class RebalancePlanTests
{
    private static readonly Dictionary<int, string> _noRacks = [];

    [Fact]
    public void ANewBrokerGetsAnEvenShareOfReplicasAndLeadersWithFewMoves()
    {
        // Six partitions, replication factor 3, on brokers 1-3 (each leads two); broker 4 just joined.
        var topics = DrainPlanTests.Topics(("orders", [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]]));

        var plan = Rebalancing.Plan(topics, Alive(1, 2, 3, 4), _noRacks);

        Assert.Equal(ErrorCode.None, plan.Error);
        var after = Apply(topics, plan);
        var replicas = Count(after.SelectMany(r => r));
        var leaders = Count(after.Select(r => r[0]));
        Assert.Equal([1, 2, 3, 4], replicas.Keys.Order());
        Assert.True(replicas.Values.Max() - replicas.Values.Min() <= 1, $"replicas per broker: {Show(replicas)}");
        Assert.True(leaders.Values.Max() - leaders.Values.Min() <= 1, $"preferred leaders per broker: {Show(leaders)}");
        // 18 replicas over 4 brokers: broker 4 takes 4, and nothing else moves between brokers.
        Assert.Equal(4, plan.Moves.Sum(m => m.TargetReplicas.Count(b => !m.Replicas.Contains(b))));
        Assert.All(plan.Moves, m => Assert.Equal(3, m.TargetReplicas.Distinct().Count()));
    }

    [Fact]
    public void AnEvenClusterNeedsNoMove()
    {
        var topics = DrainPlanTests.Topics(("orders", [[1, 2], [2, 3], [3, 1]]));

        Assert.Empty(Rebalancing.Plan(topics, Alive(1, 2, 3), _noRacks).Moves);
    }

    [Fact]
    public void PartitionsBeingReassignedAndBrokersNotEligibleAreLeftAlone()
    {
        var topics = DrainPlanTests.Topics(("orders", [[1, 2], [1, 2], [1, 2], [1, 5]]));
        topics["orders"].Partitions[0].TargetReplicas = [1, 2];
        topics["orders"].Partitions[0].RemovingReplicas = [9];

        var plan = Rebalancing.Plan(topics, Alive(1, 2, 3, 4), _noRacks);

        Assert.DoesNotContain(plan.Moves, m => m.Partition == 0);
        Assert.DoesNotContain(plan.Moves, m => m.Replicas.Contains(5) && !m.TargetReplicas.Contains(5));
        var after = Apply(topics, plan);
        Assert.Contains(after, r => r.Contains(3));
        Assert.Contains(after, r => r.Contains(4));
    }

    [Fact]
    public void AMoveNeverPutsTwoReplicasOnOneRackWhereTheyWereOnTwo()
    {
        // Racks: x holds 1, 2 and 4; y holds 3. Every partition spans both racks, and broker 4 is empty.
        var racks = new Dictionary<int, string> { [1] = "x", [2] = "x", [3] = "y", [4] = "x" };
        var topics = DrainPlanTests.Topics(("orders", [[1, 3], [3, 2], [1, 3], [3, 2]]));

        var plan = Rebalancing.Plan(topics, Alive(1, 2, 3, 4), racks);

        Assert.NotEmpty(plan.Moves);
        Assert.All(Apply(topics, plan), r => Assert.Equal(2, r.Select(b => racks[b]).Distinct().Count()));
        Assert.Contains(Apply(topics, plan), r => r.Contains(4));
    }

    private static List<List<int>> Apply(Dictionary<string, TopicRecord> topics, MovePlan plan)
    {
        var after = topics.Values.SelectMany(t => t.Partitions).Select(p => p.Replicas.ToList()).ToList();
        foreach (var move in plan.Moves)
        {
            Assert.Equal<int>(after[move.Partition], move.Replicas);
            after[move.Partition] = [.. move.TargetReplicas];
        }
        return after;
    }

    private static Dictionary<int, int> Count(IEnumerable<int> brokers) => brokers.GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());

    private static string Show(Dictionary<int, int> counts) => string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"));

    private static LiveBrokers Alive(params int[] brokers) => new(brokers.ToHashSet());
}
