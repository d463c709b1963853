using Orlog.Grains.Controller;

namespace Orlog.Grains.Tests.Controller;

/// <summary>Rack-aware replica assignment (broker.rack): a partition's replicas on distinct racks, leaders spread evenly.</summary>
public sealed class RackAwareAssignmentTests
{
    [Fact]
    public void BrokersAreOrderedByAlternatingRacks()
    {
        var racks = new Dictionary<int, string> { [1] = "a", [2] = "a", [3] = "b", [4] = "b", [5] = "c", [6] = "c", [7] = "a" };

        Assert.Equal([1, 3, 5, 2, 4, 6, 7], RackAwareness.RackAlternated([1, 2, 3, 4, 5, 6, 7], racks));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void SixBrokersOnThreeRacksPutEachPartitionOnThreeRacksAndLeadTwoEach(int start)
    {
        var racks = new Dictionary<int, string> { [1] = "a", [2] = "a", [3] = "b", [4] = "b", [5] = "c", [6] = "c" };

        var assignments = Leadership.AssignReplicas(0, 12, 3, new HashSet<int> { 1, 2, 3, 4, 5, 6 }, start, racks);

        Assert.Equal(12, assignments.Count);
        Assert.All(assignments, replicas => Assert.Equal(3, replicas.Select(b => racks[b]).Distinct().Count()));
        Assert.All(assignments.GroupBy(replicas => replicas[0]), leads => Assert.Equal(2, leads.Count()));
        Assert.Equal(6, assignments.Select(replicas => replicas[0]).Distinct().Count());
        // Every broker holds as many replicas.
        Assert.All(assignments.SelectMany(r => r).GroupBy(b => b), held => Assert.Equal(6, held.Count()));
    }

    [Fact]
    public void UnevenRacksStillGiveEachPartitionDistinctRacks()
    {
        var racks = new Dictionary<int, string> { [1] = "a", [2] = "a", [3] = "a", [4] = "b", [5] = "c" };

        var assignments = Leadership.AssignReplicas(0, 10, 3, new HashSet<int> { 1, 2, 3, 4, 5 }, 0, racks);

        Assert.All(assignments, replicas => Assert.Equal(3, replicas.Select(b => racks[b]).Distinct().Count()));
        Assert.All(assignments.GroupBy(replicas => replicas[0]), leads => Assert.Equal(2, leads.Count()));
    }

    [Fact]
    public void MoreReplicasThanRacksCoverEveryRackThenTakeDistinctBrokers()
    {
        var racks = new Dictionary<int, string> { [1] = "a", [2] = "a", [3] = "b", [4] = "b" };

        var assignments = Leadership.AssignReplicas(0, 4, 3, new HashSet<int> { 1, 2, 3, 4 }, 0, racks);

        Assert.All(assignments, replicas =>
        {
            Assert.Equal(3, replicas.Distinct().Count());
            Assert.Equal(2, replicas.Select(b => racks[b]).Distinct().Count());
        });
    }

    [Fact]
    public void WithoutRacksTheAssignmentIsPlainRoundRobin()
    {
        var brokers = new HashSet<int> { 3, 1, 2 };
        var plain = Leadership.AssignReplicas(0, 6, 2, brokers, start: 1);

        Assert.Equal(plain, Leadership.AssignReplicas(0, 6, 2, brokers, start: 1, new Dictionary<int, string>()));
        // Racks of brokers not taking part do not count.
        Assert.Equal(plain, Leadership.AssignReplicas(0, 6, 2, brokers, start: 1, new Dictionary<int, string> { [9] = "a" }));
    }
}
