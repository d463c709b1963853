using System.Text;
using Orlog.Grains.Groups.Assignors;

namespace Orlog.Grains.Tests.Groups.Assignors;

/// <summary>Builders and the invariants every assignment must satisfy, shared by the assignor tests.</summary>
internal static class AssignmentChecks
{
    public static AssignmentMember Member(string id, IEnumerable<string> topics, IEnumerable<TopicPartition>? current = null, string? instanceId = null) =>
        new(id, instanceId, new HashSet<string>(topics), new HashSet<TopicPartition>(current ?? []));

    public static IEnumerable<TopicPartition> Parts(string topic, params int[] partitions) =>
        partitions.Select(p => new TopicPartition(topic, p));

    public static IEnumerable<TopicPartition> Range(string topic, int from, int count) =>
        Enumerable.Range(from, count).Select(p => new TopicPartition(topic, p));

    /// <summary>The same members, each owning what <paramref name="assignment"/> gave it (nothing if it has no entry).</summary>
    public static List<AssignmentMember> Owning(IEnumerable<AssignmentMember> members, IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> assignment) =>
        [.. members.Select(m => m with { Current = assignment.TryGetValue(m.MemberId, out var owned) ? owned : new HashSet<TopicPartition>() })];

    /// <summary>
    /// Every member is a key; every partition of every existing topic that someone subscribes to is
    /// assigned exactly once, to a subscriber; nothing else is assigned.
    /// </summary>
    public static void AssertComplete(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> counts, IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> result)
    {
        Assert.Equal(members.Select(m => m.MemberId).Order(StringComparer.Ordinal), result.Keys.Order(StringComparer.Ordinal));
        var owners = new Dictionary<TopicPartition, string>();
        foreach (var m in members)
        {
            foreach (var tp in result[m.MemberId])
            {
                Assert.True(m.Topics.Contains(tp.Topic), $"{m.MemberId} got {tp} without subscribing to {tp.Topic}");
                Assert.True(counts.TryGetValue(tp.Topic, out var count) && tp.Partition >= 0 && tp.Partition < count, $"{m.MemberId} got {tp}, which does not exist");
                Assert.True(owners.TryAdd(tp, m.MemberId), $"{tp} went to both {owners.GetValueOrDefault(tp)} and {m.MemberId}");
            }
        }
        var expected = counts
            .Where(c => members.Any(m => m.Topics.Contains(c.Key)))
            .Sum(c => Math.Max(c.Value, 0));
        Assert.Equal(expected, owners.Count);
    }

    /// <summary>No partition could go to a subscriber of its topic that holds at least two fewer than its owner.</summary>
    public static void AssertNoImprovingMove(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> result)
    {
        var lightest = new Dictionary<string, int>();
        foreach (var m in members)
        {
            foreach (var topic in m.Topics)
            {
                lightest[topic] = Math.Min(lightest.GetValueOrDefault(topic, int.MaxValue), result[m.MemberId].Count);
            }
        }
        foreach (var owner in members)
        {
            var held = result[owner.MemberId];
            foreach (var topic in held.Select(tp => tp.Topic).Distinct())
            {
                Assert.True(held.Count <= lightest[topic] + 1, $"{owner.MemberId} holds {held.Count}, but a subscriber of {topic} holds only {lightest[topic]}");
            }
        }
    }

    public static void AssertBalancedWithinOne(IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> result, int partitions)
    {
        var low = partitions / result.Count;
        var high = low + (partitions % result.Count == 0 ? 0 : 1);
        foreach (var assigned in result.Values)
        {
            Assert.InRange(assigned.Count, low, high);
        }
        Assert.Equal(partitions % result.Count, result.Values.Count(s => s.Count == low + 1));
    }

    /// <summary>How many partitions stayed with the member that owned them.</summary>
    public static int Retained(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> result) =>
        members.Sum(m => m.Current.Count(result[m.MemberId].Contains));

    /// <summary>
    /// The most partitions a balanced (floor/ceil) assignment can leave with their owners, when all
    /// members subscribe to the same topics and no two claim the same partition: each keeps up to the
    /// base quota, and the extra slots go to members that own more than that.
    /// </summary>
    public static int MaxRetained(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> counts)
    {
        var total = members[0].Topics.Where(counts.ContainsKey).Sum(t => counts[t]);
        var quota = total / members.Count;
        var extras = total % members.Count;
        var owned = members
            .Select(m => m.Current.Count(tp => m.Topics.Contains(tp.Topic) && counts.TryGetValue(tp.Topic, out var c) && tp.Partition < c))
            .ToList();
        return owned.Sum(c => Math.Min(c, quota)) + Math.Min(extras, owned.Count(c => c > quota));
    }

    /// <summary>A canonical text of an assignment, to compare two for equality.</summary>
    public static string Canonical(IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> result)
    {
        var text = new StringBuilder();
        foreach (var (member, assigned) in result.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(member).Append(':');
            foreach (var tp in assigned.OrderBy(tp => tp.Topic, StringComparer.Ordinal).ThenBy(tp => tp.Partition))
            {
                text.Append(' ').Append(tp);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed)
    {
        var list = items.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }
}
