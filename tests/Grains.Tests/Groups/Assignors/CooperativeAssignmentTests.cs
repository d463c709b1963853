using Orlog.Grains.Groups.Assignors;
using static Orlog.Grains.Tests.Groups.Assignors.AssignmentChecks;

namespace Orlog.Grains.Tests.Groups.Assignors;

public sealed class CooperativeAssignmentTests
{
    private static Dictionary<string, IReadOnlySet<TopicPartition>> Sets(params (string Member, IEnumerable<TopicPartition> Partitions)[] entries) =>
        entries.ToDictionary(e => e.Member, e => (IReadOnlySet<TopicPartition>)e.Partitions.ToHashSet());

    [Fact]
    public void AMovedPartitionIsWithheldUntilItsOwnerLetsGo()
    {
        var owned = Sets(("m0", Range("t", 0, 4)), ("m1", []));
        var target = Sets(("m0", Range("t", 0, 2)), ("m1", Range("t", 2, 2)));

        var first = CooperativeAssignment.WithholdMoved(owned, target);

        // m0 revokes t-2 and t-3; m1 gets nothing yet.
        Assert.Equal([.. Range("t", 0, 2)], first["m0"].ToHashSet());
        Assert.Empty(first["m1"]);

        // Next generation: m0 owns only what it kept, so m1 gets the rest.
        var second = CooperativeAssignment.WithholdMoved(first, target);
        Assert.Equal([.. Range("t", 0, 2)], second["m0"].ToHashSet());
        Assert.Equal([.. Range("t", 2, 2)], second["m1"].ToHashSet());
    }

    [Fact]
    public void PartitionsNobodyOwnsAreHandedOutAtOnce()
    {
        var owned = Sets(("m0", Parts("t", 0)));
        var target = Sets(("m0", Parts("t", 0, 1)), ("m1", Parts("t", 2, 3)));

        var result = CooperativeAssignment.WithholdMoved(owned, target);

        Assert.Equal([.. Parts("t", 0, 1)], result["m0"].ToHashSet());
        Assert.Equal([.. Parts("t", 2, 3)], result["m1"].ToHashSet());
    }

    [Fact]
    public void APartitionTwoMembersClaimIsWithheldFromBoth()
    {
        var owned = Sets(("m0", Parts("t", 0, 1)), ("m1", Parts("t", 1)));
        var target = Sets(("m0", Parts("t", 0, 1)), ("m1", []));

        var result = CooperativeAssignment.WithholdMoved(owned, target);

        Assert.Equal([.. Parts("t", 0)], result["m0"].ToHashSet());
        Assert.Empty(result["m1"]);
    }

    [Fact]
    public void NothingIsEverAssignedToTwoMembersAtOnce()
    {
        // A group of 5 grows to 8 then shrinks to 3, rebalancing cooperatively until stable each time;
        // at every generation, what is handed out plus what others still own never overlaps.
        var counts = new Dictionary<string, int> { ["a"] = 17, ["b"] = 6 };
        var owned = new Dictionary<string, IReadOnlySet<TopicPartition>>();
        foreach (var size in new[] { 5, 8, 3 })
        {
            var ids = Enumerable.Range(0, size).Select(i => $"m{i}").ToList();
            owned = ids.ToDictionary(id => id, id => owned.GetValueOrDefault(id) ?? new HashSet<TopicPartition>());
            var members = ids.Select(id => Member(id, ["a", "b"], owned[id])).ToList();
            var target = PartitionAssignors.Uniform.Assign(members, counts);

            for (var generation = 0; ; generation++)
            {
                Assert.True(generation < 3, "a cooperative rebalance takes at most two generations");
                var handedOut = CooperativeAssignment.WithholdMoved(owned, target);
                var holders = new Dictionary<TopicPartition, string>();
                foreach (var (member, partitions) in handedOut)
                {
                    foreach (var tp in partitions)
                    {
                        Assert.True(holders.TryAdd(tp, member), $"{tp} handed to two members");
                        Assert.All(owned.Where(o => o.Key != member), o => Assert.DoesNotContain(tp, o.Value));
                    }
                }
                if (handedOut.All(e => e.Value.SetEquals(target[e.Key])))
                {
                    break;
                }
                owned = handedOut.ToDictionary(e => e.Key, e => e.Value);
            }
            owned = target.ToDictionary(e => e.Key, e => e.Value);
        }
    }
}
