using Orlog.Grains.Groups.Assignors;
using static Orlog.Grains.Tests.Groups.Assignors.AssignmentChecks;

namespace Orlog.Grains.Tests.Groups.Assignors;

public sealed class UniformAssignorTests
{
    private static readonly IPartitionAssignor _uniform = PartitionAssignors.Uniform;

    [Fact]
    public void SameSubscriptionsGetFloorOrCeilingEach()
    {
        var counts = new Dictionary<string, int> { ["a"] = 7, ["b"] = 3 };
        var members = Enumerable.Range(0, 4).Select(i => Member($"m{i}", ["a", "b"])).ToList();

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        AssertBalancedWithinOne(result, 10);
        Assert.Equal([2, 2, 3, 3], result.Values.Select(s => s.Count).Order());
    }

    [Fact]
    public void MoreMembersThanPartitionsLeavesSomeEmpty()
    {
        var counts = new Dictionary<string, int> { ["a"] = 2 };
        var members = Enumerable.Range(0, 5).Select(i => Member($"m{i}", ["a"])).ToList();

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        Assert.Equal([0, 0, 0, 1, 1], result.Values.Select(s => s.Count).Order());
    }

    [Fact]
    public void AJoinMovesOnlyWhatTheNewcomerNeeds()
    {
        var counts = new Dictionary<string, int> { ["a"] = 10, ["b"] = 10 };
        var members = Enumerable.Range(0, 3).Select(i => Member($"m{i}", ["a", "b"])).ToList();
        var before = _uniform.Assign(members, counts);

        var joined = Owning(members, before);
        joined.Add(Member("m3", ["a", "b"]));
        var after = _uniform.Assign(joined, counts);

        AssertComplete(joined, counts, after);
        AssertBalancedWithinOne(after, 20);
        // 7,7,6 -> 5,5,5,5: the newcomer takes 5, all of them from the others, and nothing else moves.
        Assert.Equal(5, after["m3"].Count);
        Assert.Equal(15, Retained(joined, after));
        Assert.Equal(MaxRetained(joined, counts), Retained(joined, after));
        foreach (var m in joined.Where(m => m.MemberId != "m3"))
        {
            Assert.Subset(m.Current.ToHashSet(), after[m.MemberId].ToHashSet());
        }
    }

    [Fact]
    public void ALeaveMovesOnlyTheLeaversPartitions()
    {
        var counts = new Dictionary<string, int> { ["a"] = 12 };
        var members = Enumerable.Range(0, 4).Select(i => Member($"m{i}", ["a"])).ToList();
        var before = _uniform.Assign(members, counts);

        var remaining = Owning(members, before).Where(m => m.MemberId != "m2").ToList();
        var after = _uniform.Assign(remaining, counts);

        AssertComplete(remaining, counts, after);
        AssertBalancedWithinOne(after, 12);
        foreach (var m in remaining)
        {
            Assert.Subset(after[m.MemberId].ToHashSet(), m.Current.ToHashSet());
        }
        Assert.Equal(9, Retained(remaining, after));
    }

    [Fact]
    public void OwnersOfTheMostKeepTheExtraSlots()
    {
        // 5 partitions over 2 members: quotas 3 and 2. m1 owns 4, so it should keep 3, not 2.
        var counts = new Dictionary<string, int> { ["a"] = 5 };
        List<AssignmentMember> members =
        [
            Member("m0", ["a"], Parts("a", 0)),
            Member("m1", ["a"], Parts("a", 1, 2, 3, 4)),
        ];

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        Assert.Equal(3, result["m1"].Count);
        Assert.Equal(4, Retained(members, result));
    }

    [Fact]
    public void DeletedTopicsAndDroppedSubscriptionsAreNotKept()
    {
        // m0 owned b-0 but no longer subscribes to b; m1 owned gone-0 and a-9, which no longer exist.
        var counts = new Dictionary<string, int> { ["a"] = 4, ["b"] = 2 };
        List<AssignmentMember> members =
        [
            Member("m0", ["a"], [.. Parts("a", 0, 1), .. Parts("b", 0)]),
            Member("m1", ["a", "b", "gone"], [.. Parts("gone", 0), .. Parts("a", 9, 2)]),
        ];

        var result = _uniform.Assign(members, counts);

        // Each keeps its valid a partitions; b (only m1 subscribes) goes to m1 and a-3 to the lighter m0.
        AssertComplete(members, counts, result);
        Assert.Equal([.. Parts("a", 0, 1, 3)], result["m0"].ToHashSet());
        Assert.Equal([.. Parts("a", 2), .. Parts("b", 0, 1)], result["m1"].ToHashSet());
    }

    [Fact]
    public void APartitionClaimedTwiceGoesToOneMember()
    {
        var counts = new Dictionary<string, int> { ["a"] = 4 };
        List<AssignmentMember> members =
        [
            Member("m0", ["a"], Parts("a", 0, 1)),
            Member("m1", ["a"], Parts("a", 1, 2)),
        ];

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        AssertBalancedWithinOne(result, 4);
        Assert.Equal(3, Retained(members, result));
    }

    [Fact]
    public void DifferentSubscriptionsAssignEveryPartitionToASubscriber()
    {
        var counts = new Dictionary<string, int> { ["a"] = 6, ["b"] = 3, ["c"] = 4 };
        List<AssignmentMember> members =
        [
            Member("m0", ["a"]),
            Member("m1", ["a", "b"]),
            Member("m2", ["b", "c"]),
            Member("m3", ["c"]),
        ];

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        AssertNoImprovingMove(members, result);
        // 13 partitions; every member can reach 3 or 4 here.
        Assert.All(result.Values, s => Assert.InRange(s.Count, 3, 4));
    }

    [Fact]
    public void DifferentSubscriptionsStaySticky()
    {
        var counts = new Dictionary<string, int> { ["a"] = 6, ["b"] = 6 };
        List<AssignmentMember> members =
        [
            Member("m0", ["a"]),
            Member("m1", ["a", "b"]),
            Member("m2", ["b"]),
        ];
        var before = _uniform.Assign(members, counts);
        AssertComplete(members, counts, before);
        Assert.All(before.Values, s => Assert.Equal(4, s.Count));

        // A subscriber of b only joins: m2 and m1 give it b partitions; m0's a partitions stay put.
        var joined = Owning(members, before);
        joined.Add(Member("m3", ["b"]));
        var after = _uniform.Assign(joined, counts);

        AssertComplete(joined, counts, after);
        AssertNoImprovingMove(joined, after);
        Assert.Equal(before["m0"].ToHashSet(), after["m0"].ToHashSet());
        // Only the newcomer gains: everyone else keeps a subset of what it had.
        foreach (var m in joined.Where(m => m.MemberId != "m3"))
        {
            Assert.Subset(m.Current.ToHashSet(), after[m.MemberId].ToHashSet());
        }
        var moved = 12 - Retained(joined, after);
        Assert.Equal(after["m3"].Count, moved);
        Assert.InRange(after["m3"].Count, 2, 3);
    }

    [Fact]
    public void AHeavyMemberStillGivesAfterTheOthersLevelOut()
    {
        // Filling gives m0 4 (t2 only), m1 3, m2 1. m1 gives a t0 partition to m2 first; only then can m0
        // give to m1. m0 keeps t2-4, which it owned, and gives one it was just handed.
        var counts = new Dictionary<string, int> { ["t0"] = 3, ["t2"] = 5 };
        List<AssignmentMember> members =
        [
            Member("m0", ["t2"], Parts("t2", 4)),
            Member("m1", ["t0", "t2"]),
            Member("m2", ["t0"]),
        ];

        var result = _uniform.Assign(members, counts);

        AssertComplete(members, counts, result);
        AssertNoImprovingMove(members, result);
        Assert.Equal([.. Parts("t2", 0, 1, 4)], result["m0"].ToHashSet());
        Assert.Equal([.. Parts("t0", 0), .. Parts("t2", 2, 3)], result["m1"].ToHashSet());
        Assert.Equal([.. Parts("t0", 1, 2)], result["m2"].ToHashSet());
    }

    [Fact]
    public void SameInputInAnyOrderGivesTheSameAssignment()
    {
        var counts = new Dictionary<string, int> { ["a"] = 9, ["b"] = 5, ["c"] = 2 };
        List<AssignmentMember> members =
        [
            Member("x", ["a", "b"], Parts("a", 0, 1, 2)),
            Member("y", ["a", "b", "c"], Parts("a", 1, 3)),
            Member("z", ["c"]),
            Member("w", ["b"], Parts("b", 4)),
        ];

        var expected = Canonical(_uniform.Assign(members, counts));
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(expected, Canonical(_uniform.Assign(Shuffled(members, seed), counts)));
        }
    }

    [Fact]
    public void AnEmptyGroupOrNoTopicsAssignsNothing()
    {
        var counts = new Dictionary<string, int> { ["a"] = 3 };
        Assert.Empty(_uniform.Assign([], counts));

        List<AssignmentMember> members = [Member("m0", []), Member("m1", ["gone"], Parts("gone", 0))];
        var result = _uniform.Assign(members, counts);
        Assert.Equal(["m0", "m1"], result.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Values, Assert.Empty);

        Assert.All(_uniform.Assign(members, new Dictionary<string, int>()).Values, Assert.Empty);
    }

    [Fact]
    public void ADuplicateMemberIdIsRefused()
    {
        var counts = new Dictionary<string, int> { ["a"] = 3 };
        Assert.Throws<ArgumentException>(() => _uniform.Assign([Member("m", ["a"]), Member("m", ["a"])], counts));
    }
}
