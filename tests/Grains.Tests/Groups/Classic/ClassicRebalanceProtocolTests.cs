namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>
/// Eager and cooperative (KIP-429) consumers driving the classic group: at no moment does a partition have
/// two owners (the simulation checks after every step), and a cooperative rebalance moves only what balance needs.
/// </summary>
public sealed class ClassicRebalanceProtocolTests
{
    [Theory]
    [InlineData(RebalanceMode.Eager)]
    [InlineData(RebalanceMode.Cooperative)]
    public void ConsumersJoiningOneByOneEndBalancedWithEveryPartitionOwnedOnce(RebalanceMode mode)
    {
        var sim = new ClassicGroupSimulation(new() { ["orders"] = 12, ["payments"] = 5 });
        for (var count = 1; count <= 8; count++)
        {
            sim.Add(mode);
            sim.RunUntilSettled();
            AssertBalanced(sim);
        }
    }

    [Theory]
    [InlineData(RebalanceMode.Eager)]
    [InlineData(RebalanceMode.Cooperative)]
    public void ConsumersStartingTogetherSettleInOneGenerationWithTheInitialDelay(RebalanceMode mode)
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 9 }, initialDelayMs: 3000);
        for (var i = 0; i < 3; i++)
        {
            sim.Add(mode);
        }
        sim.RunUntilSettled();
        Assert.Equal(1, sim.Group.Epoch);
        Assert.All(sim.Consumers, c => Assert.Equal(3, c.Owned.Count));
    }

    [Theory]
    [InlineData(12, 3)]
    [InlineData(10, 3)]
    [InlineData(7, 2)]
    [InlineData(16, 5)]
    [InlineData(5, 1)]
    [InlineData(30, 7)]
    public void ACooperativeJoinMovesOnlyWhatBalanceNeedsInTwoRebalances(int partitions, int members)
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = partitions });
        for (var i = 0; i < members; i++)
        {
            sim.Add(RebalanceMode.Cooperative);
            sim.RunUntilSettled();
        }
        var before = sim.Ownership();
        var generation = sim.Group.Epoch;

        var newcomer = sim.Add(RebalanceMode.Cooperative);
        // In the first rebalance the newcomer gets nothing: what it will get is still owned by others.
        sim.Observer = () =>
        {
            if (sim.Group.Epoch == generation + 1)
            {
                Assert.Empty(newcomer.Owned);
            }
        };
        sim.RunUntilSettled();
        var after = sim.Ownership();

        Assert.Equal(generation + 2, sim.Group.Epoch);
        foreach (var (client, owned) in before)
        {
            Assert.Subset(owned, after[client]);
        }
        var moved = after[newcomer.ClientId].Count;
        Assert.Equal(MinimalMoves(before.Values.Select(o => o.Count).ToList(), partitions), moved);
        Assert.Equal(before.Values.Sum(o => o.Count) - after.Where(a => a.Key != newcomer.ClientId).Sum(a => a.Value.Count), moved);
        AssertBalanced(sim);
    }

    [Fact]
    public void AnEagerJoinRevokesEverythingFirst()
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 6 });
        var first = sim.Add(RebalanceMode.Eager);
        var second = sim.Add(RebalanceMode.Eager);
        sim.RunUntilSettled();
        var revoked = first.Revoked + second.Revoked;

        sim.Add(RebalanceMode.Eager);
        sim.RunUntilSettled();
        Assert.Equal(revoked + 6, first.Revoked + second.Revoked);
        AssertBalanced(sim);
    }

    [Fact]
    public void ACooperativeLeaveMovesOnlyTheLeaversPartitionsInOneRebalance()
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 12 });
        for (var i = 0; i < 4; i++)
        {
            sim.Add(RebalanceMode.Cooperative);
            sim.RunUntilSettled();
        }
        var leaver = sim.Consumers[1];
        var before = sim.Ownership();
        var generation = sim.Group.Epoch;
        var revoked = sim.Consumers.Where(c => c != leaver).Sum(c => c.Revoked);

        sim.Close(leaver);
        sim.RunUntilSettled();

        Assert.Equal(generation + 1, sim.Group.Epoch);
        var after = sim.Ownership();
        foreach (var (client, owned) in after)
        {
            Assert.Superset(before[client], owned);
        }
        Assert.Equal(revoked, sim.Consumers.Where(c => c != leaver).Sum(c => c.Revoked));
        AssertBalanced(sim);
    }

    [Theory]
    [InlineData(RebalanceMode.Eager)]
    [InlineData(RebalanceMode.Cooperative)]
    public void AStalledConsumerIsEvictedAndItsPartitionsGoToOthersWithoutTwoOwnersInAGeneration(RebalanceMode mode)
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 8 });
        for (var i = 0; i < 3; i++)
        {
            sim.Add(mode);
        }
        sim.RunUntilSettled();
        var stalled = sim.Consumers[2];
        var stalledOwned = stalled.Owned.ToHashSet();
        Assert.NotEmpty(stalledOwned);

        stalled.Stalled = true;
        sim.RunUntilSettled();
        // The zombie still believes it owns its partitions; the others own them in a later generation.
        Assert.Equal(stalledOwned, stalled.Owned);
        Assert.Equal(8, sim.Active.Sum(c => c.Owned.Count));

        stalled.Stalled = false;
        sim.RunUntilSettled();
        Assert.Equal(3, sim.Group.DescribeMembers().Count);
        AssertBalanced(sim);
    }

    [Theory]
    [InlineData(RebalanceMode.Eager)]
    [InlineData(RebalanceMode.Cooperative)]
    public void MorePartitionsRebalanceTheGroup(RebalanceMode mode)
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 4 });
        sim.Add(mode);
        sim.Add(mode);
        sim.RunUntilSettled();

        sim.ChangeMetadata("t", 10);
        sim.RunUntilSettled();
        Assert.All(sim.Consumers, c => Assert.Equal(5, c.Owned.Count));
    }

    [Fact]
    public void ARestartedStaticConsumerGetsItsPartitionsBackWithoutARebalance()
    {
        var sim = new ClassicGroupSimulation(new() { ["t"] = 6 });
        sim.Add(RebalanceMode.Cooperative, "static-0");
        sim.Add(RebalanceMode.Cooperative, "static-1");
        sim.RunUntilSettled();
        var generation = sim.Group.Epoch;
        var old = sim.Consumers[1];
        var owned = old.Owned.ToHashSet();

        // A restart: the process is gone (no LeaveGroup for a static member) and a new one comes up.
        old.Stalled = true;
        sim.Advance(2000);
        var restarted = sim.Add(RebalanceMode.Cooperative, "static-1");
        sim.Consumers.Remove(old);
        sim.RunUntilSettled();

        Assert.Equal(generation, sim.Group.Epoch);
        Assert.Equal(owned, restarted.Owned);
        Assert.NotEqual(old.MemberId, restarted.MemberId);
    }

    [Theory]
    [InlineData(RebalanceMode.Eager, 1)]
    [InlineData(RebalanceMode.Cooperative, 1)]
    [InlineData(RebalanceMode.Eager, 2)]
    [InlineData(RebalanceMode.Cooperative, 2)]
    public void RandomChurnNeverGivesAPartitionTwoOwners(RebalanceMode mode, int seed)
    {
        var random = new Random(seed);
        var sim = new ClassicGroupSimulation(new() { ["a"] = 7, ["b"] = 5 });
        sim.Add(mode);
        for (var round = 0; round < 25; round++)
        {
            var active = sim.Active.ToList();
            switch (random.Next(5))
            {
                case 0 or 1 when active.Count < 8:
                    sim.Add(mode);
                    break;
                case 2 when active.Count > 1:
                    sim.Close(active[random.Next(active.Count)]);
                    break;
                case 3 when active.Count > 1:
                    var stalled = active[random.Next(active.Count)];
                    stalled.Stalled = true;
                    sim.Advance(random.Next(1, 15) * 1000);
                    stalled.Stalled = false;
                    break;
                case 4:
                    sim.ChangeMetadata("b", sim.Metadata["b"] + 1);
                    break;
            }
            // Sometimes the next event comes before the group settled.
            if (random.Next(3) > 0)
            {
                sim.RunUntilSettled();
                AssertBalanced(sim);
            }
            else
            {
                sim.Advance(random.Next(1, 20) * 100);
            }
        }
        sim.RunUntilSettled();
        AssertBalanced(sim);
    }

    /// <summary>Every partition owned once by an active consumer; counts differ by at most one.</summary>
    private static void AssertBalanced(ClassicGroupSimulation sim)
    {
        var counts = sim.Active.Select(c => c.Owned.Count).ToList();
        var every = sim.Metadata.Sum(t => t.Value);
        Assert.Equal(every, sim.Active.SelectMany(c => c.Owned).Distinct().Count());
        Assert.Equal(every, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, sim.Dump());
    }

    /// <summary>
    /// The fewest partitions a newcomer can take for the group to be balanced within one: each old member
    /// keeps min(owned, quota), with the larger quotas going to those that own the most.
    /// </summary>
    private static int MinimalMoves(List<int> ownedCounts, int partitions)
    {
        var members = ownedCounts.Count + 1;
        var quota = partitions / members;
        var extras = partitions % members;
        var kept = 0;
        foreach (var owned in ownedCounts.OrderDescending())
        {
            var q = quota + (extras-- > 0 ? 1 : 0);
            kept += Math.Min(owned, q);
        }
        return partitions - kept;
    }
}
