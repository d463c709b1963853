using Orlog.Grains.Groups.Assignors;
using static Orlog.Grains.Tests.Groups.Assignors.AssignmentChecks;

namespace Orlog.Grains.Tests.Groups.Assignors;

public sealed class RangeAssignorTests
{
    private static readonly IPartitionAssignor _range = PartitionAssignors.Range;

    [Fact]
    public void SevenPartitionsOverThreeMembersAreRangesOfThreeTwoTwo()
    {
        var counts = new Dictionary<string, int> { ["t"] = 7 };
        List<AssignmentMember> members = [Member("c", ["t"]), Member("a", ["t"]), Member("b", ["t"])];

        var result = _range.Assign(members, counts);

        Assert.Equal([.. Range("t", 0, 3)], result["a"].ToHashSet());
        Assert.Equal([.. Range("t", 3, 2)], result["b"].ToHashSet());
        Assert.Equal([.. Range("t", 5, 2)], result["c"].ToHashSet());
    }

    [Fact]
    public void SameSubscriptionsAreCoPartitioned()
    {
        // 2 members, topics of 5 and 3 partitions: a gets 0-2 of x and 0-1 of y, b gets 3-4 of x and 2 of y.
        var counts = new Dictionary<string, int> { ["x"] = 5, ["y"] = 3 };
        List<AssignmentMember> members = [Member("b", ["x", "y"]), Member("a", ["x", "y"])];

        var result = _range.Assign(members, counts);

        Assert.Equal([.. Range("x", 0, 3), .. Range("y", 0, 2)], result["a"].ToHashSet());
        Assert.Equal([.. Range("x", 3, 2), .. Range("y", 2, 1)], result["b"].ToHashSet());
    }

    [Fact]
    public void InstanceIdsOrderTheMembers()
    {
        // By member id "a" would come first; by instance id "z-static" it comes after "b".
        var counts = new Dictionary<string, int> { ["t"] = 4 };
        List<AssignmentMember> members = [Member("a", ["t"], instanceId: "z-static"), Member("b", ["t"])];

        var result = _range.Assign(members, counts);

        Assert.Equal([.. Range("t", 0, 2)], result["b"].ToHashSet());
        Assert.Equal([.. Range("t", 2, 2)], result["a"].ToHashSet());
    }

    [Fact]
    public void EachTopicIsSplitAmongItsOwnSubscribers()
    {
        // x: a,b,c share 4 (2,1,1); y: only b and c share 3 (2,1); z: nobody; gone does not exist.
        var counts = new Dictionary<string, int> { ["x"] = 4, ["y"] = 3, ["z"] = 2 };
        List<AssignmentMember> members =
        [
            Member("a", ["x", "gone"]),
            Member("b", ["x", "y"]),
            Member("c", ["x", "y"]),
            Member("d", []),
        ];

        var result = _range.Assign(members, counts);

        AssertComplete(members, counts, result);
        Assert.Equal([.. Range("x", 0, 2)], result["a"].ToHashSet());
        Assert.Equal([.. Range("x", 2, 1), .. Range("y", 0, 2)], result["b"].ToHashSet());
        Assert.Equal([.. Range("x", 3, 1), .. Range("y", 2, 1)], result["c"].ToHashSet());
        Assert.Empty(result["d"]);
    }

    [Fact]
    public void FewerPartitionsThanMembersGoOneEachToTheFirst()
    {
        var counts = new Dictionary<string, int> { ["t"] = 2 };
        List<AssignmentMember> members = [Member("m2", ["t"]), Member("m0", ["t"]), Member("m1", ["t"])];

        var result = _range.Assign(members, counts);

        Assert.Equal([new TopicPartition("t", 0)], result["m0"].ToHashSet());
        Assert.Equal([new TopicPartition("t", 1)], result["m1"].ToHashSet());
        Assert.Empty(result["m2"]);
    }

    [Fact]
    public void SameInputInAnyOrderGivesTheSameAssignment()
    {
        var counts = new Dictionary<string, int> { ["a"] = 9, ["b"] = 5 };
        List<AssignmentMember> members =
        [
            Member("x", ["a", "b"], Parts("a", 0)),
            Member("y", ["a"], instanceId: "i1"),
            Member("z", ["b"], instanceId: "i0"),
            Member("w", ["a", "b"]),
        ];

        var expected = Canonical(_range.Assign(members, counts));
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(expected, Canonical(_range.Assign(Shuffled(members, seed), counts)));
        }
    }

    [Fact]
    public void AnEmptyGroupOrNoTopicsAssignsNothing()
    {
        Assert.Empty(_range.Assign([], new Dictionary<string, int> { ["a"] = 3 }));
        var result = _range.Assign([Member("m0", ["gone"])], new Dictionary<string, int> { ["a"] = 3 });
        Assert.Empty(Assert.Single(result).Value);
    }
}
