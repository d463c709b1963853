using CsCheck;
using Orlog.Grains.Groups.Assignors;
using static Orlog.Grains.Tests.Groups.Assignors.AssignmentChecks;

namespace Orlog.Grains.Tests.Groups.Assignors;

/// <summary>Random groups: up to 10 members, 6 topics (some deleted), random and conflicting current ownership.</summary>
public sealed class AssignorPropertyTests
{
    private const int TopicNames = 6;

    private sealed record Group(Dictionary<string, int> Counts, List<AssignmentMember> Members, int Seed)
    {
        public override string ToString() =>
            $"counts [{string.Join(", ", Counts.Select(c => $"{c.Key}={c.Value}"))}] members [{string.Join("; ", Members.Select(m => $"{m.MemberId}/{m.InstanceId} {{{string.Join(",", m.Topics)}}} owns {{{string.Join(",", m.Current)}}}"))}] seed {Seed}";
    }

    // A count of 0 means the topic does not exist (absent from the counts).
    private static readonly Gen<Dictionary<string, int>> _counts = Gen.Int[0, 9].Array[1, TopicNames].Select(array =>
        array.Select((count, t) => (Topic: $"t{t}", Count: count)).Where(e => e.Count > 0).ToDictionary(e => e.Topic, e => e.Count));

    private static readonly Gen<Group> _groups = Gen.Select(
        _counts,
        Gen.Select(Gen.Int[0, (1 << TopicNames) - 1], Gen.Int[0, 4095].Array[0, 8], Gen.Int[0, 2]).Array[0, 10],
        Gen.Bool,
        Gen.Int,
        (counts, specs, sameTopics, seed) =>
        {
            var members = specs.Select((spec, i) =>
            {
                var (mask, claims, kind) = spec;
                var topics = TopicsOf(sameTopics ? specs[0].Item1 : mask);
                // Claims may name deleted topics, partitions past the end, and partitions others claim too.
                var current = claims.Select(v => new TopicPartition($"t{v % (TopicNames + 1)}", v / (TopicNames + 1) % 10));
                return Member($"m{i}", topics, current, kind == 0 ? null : $"i{specs.Length - i}");
            }).ToList();
            return new Group(counts, members, seed);
        });

    private static IEnumerable<string> TopicsOf(int mask) =>
        Enumerable.Range(0, TopicNames).Where(t => (mask & (1 << t)) != 0).Select(t => $"t{t}");

    [Fact]
    public void UniformAssignsEverythingOnceBalancedAndDeterministically()
    {
        _groups.Sample(group =>
        {
            var result = PartitionAssignors.Uniform.Assign(group.Members, group.Counts);

            AssertComplete(group.Members, group.Counts, result);
            AssertNoImprovingMove(group.Members, result);
            var effective = group.Members.Select(m => string.Join(",", m.Topics.Where(group.Counts.ContainsKey).Order())).Distinct().ToList();
            if (effective.Count == 1)
            {
                AssertBalancedWithinOne(result, result.Values.Sum(s => s.Count));
            }
            Assert.Equal(Canonical(result), Canonical(PartitionAssignors.Uniform.Assign(Shuffled(group.Members, group.Seed), group.Counts)));
        }, iter: 2000);
    }

    [Fact]
    public void RangeGivesEachSubscriberAContiguousFairShareDeterministically()
    {
        _groups.Sample(group =>
        {
            var result = PartitionAssignors.Range.Assign(group.Members, group.Counts);

            AssertComplete(group.Members, group.Counts, result);
            foreach (var (topic, count) in group.Counts)
            {
                var subscribers = group.Members
                    .Where(m => m.Topics.Contains(topic))
                    .OrderBy(m => m.InstanceId ?? m.MemberId, StringComparer.Ordinal)
                    .ThenBy(m => m.MemberId, StringComparer.Ordinal)
                    .ToList();
                var next = 0;
                for (var k = 0; k < subscribers.Count; k++)
                {
                    var share = result[subscribers[k].MemberId].Where(tp => tp.Topic == topic).Select(tp => tp.Partition).Order().ToList();
                    var expected = count / subscribers.Count + (k < count % subscribers.Count ? 1 : 0);
                    Assert.Equal(Enumerable.Range(next, expected), share);
                    next += expected;
                }
            }
            Assert.Equal(Canonical(result), Canonical(PartitionAssignors.Range.Assign(Shuffled(group.Members, group.Seed), group.Counts)));
        }, iter: 2000);
    }

    [Fact]
    public void UniformKeepsOwnedPartitionsUnlessAMembersShareOfTheirTopicShrinks()
    {
        // Any subscriptions: the second assignment starts from the first (with members gone and joined,
        // topics resized). A member loses a partition of a topic only if it ends with fewer of that topic.
        var changes = Gen.Select(_groups, _counts, Gen.Int[0, 5], Gen.Int[0, (1 << TopicNames) - 1].Array[0, 4]);
        changes.Sample((group, after, leaving, joiners) =>
        {
            var members = group.Members.Select(m => m with { Current = new HashSet<TopicPartition>() }).ToList();
            var first = PartitionAssignors.Uniform.Assign(members, group.Counts);

            var next = Shuffled(Owning(members, first), group.Seed).Skip(leaving).ToList();
            next.AddRange(joiners.Select((mask, i) => Member($"n{i}", TopicsOf(mask))));
            var second = PartitionAssignors.Uniform.Assign(next, after);

            AssertComplete(next, after, second);
            AssertNoImprovingMove(next, second);
            foreach (var m in next)
            {
                foreach (var topic in m.Topics.Where(after.ContainsKey))
                {
                    var owned = m.Current.Count(tp => tp.Topic == topic && tp.Partition < after[topic]);
                    var now = second[m.MemberId].Count(tp => tp.Topic == topic);
                    var kept = second[m.MemberId].Count(tp => tp.Topic == topic && m.Current.Contains(tp));
                    Assert.Equal(Math.Min(owned, now), kept);
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void UniformMovesTheFewestPartitionsAfterMembersOrTopicsChange()
    {
        var changes = Gen.Select(_counts, _counts, Gen.Int[1, 12], Gen.Int[0, 12], Gen.Int[0, 6], Gen.Int);
        changes.Sample((before, after, size, leaving, joining, seed) =>
        {
            string[] topics = [.. Enumerable.Range(0, TopicNames).Select(t => $"t{t}")];
            var members = Enumerable.Range(0, size).Select(i => Member($"m{i}", topics)).ToList();
            var first = PartitionAssignors.Uniform.Assign(members, before);

            var next = Shuffled(Owning(members, first), seed).Skip(leaving).ToList();
            next.AddRange(Enumerable.Range(0, joining).Select(i => Member($"n{i}", topics)));
            if (next.Count == 0)
            {
                return;
            }
            var second = PartitionAssignors.Uniform.Assign(next, after);

            AssertComplete(next, after, second);
            AssertBalancedWithinOne(second, after.Values.Sum());
            Assert.Equal(MaxRetained(next, after), Retained(next, second));
        }, iter: 2000);
    }
}
