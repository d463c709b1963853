namespace Orlog.Client.Tests.Consumer;

/// <summary>The classic client-side assignors give what Kafka's give for the same members, so members of any client agree.</summary>
public sealed class ClassicAssignorTests
{
    [Fact]
    public void RangeGivesEachTopicsPartitionsInRangesTheFirstMembersTakingTheRemainder()
    {
        // Kafka's documented case: two members, two topics of three partitions each.
        var assignment = new RangeAssignor().Assign([Member("c1", "t0", "t1"), Member("c0", "t0", "t1")], Counts(("t0", 3), ("t1", 3)));
        Assert.Equal(["t0-0", "t0-1", "t1-0", "t1-1"], Names(assignment["c0"]));
        Assert.Equal(["t0-2", "t1-2"], Names(assignment["c1"]));
    }

    [Fact]
    public void RangeOnlyCountsTheMembersSubscribedToATopicAndSkipsUnknownTopics()
    {
        var assignment = new RangeAssignor().Assign([Member("a", "t0"), Member("b", "t0", "t1"), Member("c", "gone")], Counts(("t0", 5), ("t1", 2)));
        Assert.Equal(["t0-0", "t0-1", "t0-2"], Names(assignment["a"]));
        Assert.Equal(["t0-3", "t0-4", "t1-0", "t1-1"], Names(assignment["b"]));
        Assert.Empty(assignment["c"]);
    }

    [Fact]
    public void StaticMembersComeFirstInInstanceIdOrder()
    {
        var assignment = new RangeAssignor().Assign(
            [Member("a", "t0"), new AssignorMember("z", "host-2", ["t0"]), new AssignorMember("y", "host-1", ["t0"])], Counts(("t0", 3)));
        Assert.Equal(["t0-0"], Names(assignment["y"]));
        Assert.Equal(["t0-1"], Names(assignment["z"]));
        Assert.Equal(["t0-2"], Names(assignment["a"]));
    }

    [Fact]
    public void RoundRobinDealsPartitionsToTheNextMemberSubscribedToTheirTopic()
    {
        // Kafka's documented case: t0, t1, t2 with 1, 2 and 3 partitions; C0 reads t0, C1 t0 and t1, C2 all three.
        var assignment = new RoundRobinAssignor().Assign(
            [Member("C0", "t0"), Member("C1", "t0", "t1"), Member("C2", "t0", "t1", "t2")], Counts(("t0", 1), ("t1", 2), ("t2", 3)));
        Assert.Equal(["t0-0"], Names(assignment["C0"]));
        Assert.Equal(["t1-0"], Names(assignment["C1"]));
        Assert.Equal(["t1-1", "t2-0", "t2-1", "t2-2"], Names(assignment["C2"]));
    }

    [Fact]
    public void EveryPartitionGoesToExactlyOneMember()
    {
        IReadOnlyList<AssignorMember> members = [Member("m1", "a", "b"), Member("m2", "b"), Member("m3", "a", "b", "c")];
        var counts = Counts(("a", 7), ("b", 4), ("c", 1));
        foreach (IClassicAssignor assignor in new IClassicAssignor[] { new RangeAssignor(), new RoundRobinAssignor() })
        {
            var all = assignor.Assign(members, counts).Values.SelectMany(p => p).ToList();
            Assert.Equal(12, all.Count);
            Assert.Equal(12, all.Distinct().Count());
        }
    }

    private static AssignorMember Member(string id, params string[] topics) => new(id, null, topics);

    private static Dictionary<string, int> Counts(params (string Topic, int Count)[] counts) => counts.ToDictionary(c => c.Topic, c => c.Count);

    private static List<string> Names(List<TopicPartition> partitions) => partitions.ConvertAll(p => $"{p.Topic}-{p.Partition}");
}
