using Orlog.Grains.Groups.Assignors;
using static Orlog.Grains.Tests.Groups.Assignors.AssignmentChecks;

namespace Orlog.Grains.Tests.Groups.Assignors;

/// <summary>1,000 members over 100 topics of 100 partitions: correct at that size (the timing is the benchmark's business).</summary>
public sealed class LargeGroupTests
{
    private const int MemberCount = 1000;
    private static readonly Dictionary<string, int> _counts = Enumerable.Range(0, 100).ToDictionary(t => $"topic-{t:D3}", _ => 100);

    [Fact]
    public void UniformBalancesAndStaysStickyForAThousandMembers()
    {
        var topics = _counts.Keys.ToList();
        var members = Enumerable.Range(0, MemberCount).Select(i => Member($"member-{i:D4}", topics)).ToList();

        var first = PartitionAssignors.Uniform.Assign(members, _counts);
        AssertComplete(members, _counts, first);
        Assert.All(first.Values, s => Assert.Equal(10, s.Count));

        // One leaves and three join: 10,000 over 1,002 members.
        var next = Owning(members, first).Where(m => m.MemberId != "member-0500").ToList();
        next.AddRange(Enumerable.Range(0, 3).Select(i => Member($"joiner-{i}", topics)));
        var second = PartitionAssignors.Uniform.Assign(next, _counts);

        AssertComplete(next, _counts, second);
        AssertBalancedWithinOne(second, 10_000);
        Assert.Equal(MaxRetained(next, _counts), Retained(next, second));
    }

    [Fact]
    public void UniformAssignsEverythingForAThousandMembersWithDifferentSubscriptions()
    {
        var topics = _counts.Keys.ToList();
        var random = new Random(42);
        var members = Enumerable.Range(0, MemberCount)
            .Select(i => Member($"member-{i:D4}", topics.Where(_ => random.Next(2) == 0)))
            .ToList();

        var result = PartitionAssignors.Uniform.Assign(members, _counts);

        AssertComplete(members, _counts, result);
        AssertNoImprovingMove(members, result);
    }

    [Fact]
    public void RangeAssignsEverythingForAThousandMembers()
    {
        var topics = _counts.Keys.ToList();
        var members = Enumerable.Range(0, MemberCount).Select(i => Member($"member-{i:D4}", topics)).ToList();

        var result = PartitionAssignors.Range.Assign(members, _counts);

        AssertComplete(members, _counts, result);
        // 100 partitions per topic over 1,000 members: the first 100 members get one of each topic.
        Assert.All(members.Take(100), m => Assert.Equal(100, result[m.MemberId].Count));
        Assert.All(members.Skip(100), m => Assert.Empty(result[m.MemberId]));
    }
}
