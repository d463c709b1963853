namespace Orlog.Grains.Groups.Assignors;

/// <summary>
/// The input of an assignment in indexed form, so the assignors work on int arrays instead of hashing
/// topic names per partition. Members are sorted by member id and topics by name (ordinal), which makes
/// every result independent of the order the members came in. A partition has a global index: the
/// partitions of topic t are <c>Offsets[t] .. Offsets[t + 1] - 1</c>, in partition order.
/// </summary>
internal sealed class AssignmentSpec
{
    private readonly Dictionary<string, int> _topicIndex;

    private AssignmentSpec(AssignmentMember[] members, string[] topics, int[] offsets, int[] topicOf, int[][] memberTopics, int[][] subscribers, Dictionary<string, int> topicIndex)
    {
        Members = members;
        Topics = topics;
        Offsets = offsets;
        TopicOf = topicOf;
        MemberTopics = memberTopics;
        Subscribers = subscribers;
        _topicIndex = topicIndex;
    }

    /// <summary>The members, sorted by member id.</summary>
    public AssignmentMember[] Members { get; }

    /// <summary>The existing topics that some member subscribes to, sorted by name.</summary>
    public string[] Topics { get; }

    /// <summary>The global index of each topic's partition 0; the last entry is the partition total.</summary>
    public int[] Offsets { get; }

    /// <summary>The topic index of each global partition index.</summary>
    public int[] TopicOf { get; }

    /// <summary>Per member, the indexes of the existing topics it subscribes to, ascending.</summary>
    public int[][] MemberTopics { get; }

    /// <summary>Per topic, the indexes of the members that subscribe to it, ascending.</summary>
    public int[][] Subscribers { get; }

    public int PartitionCount => Offsets[^1];

    public TopicPartition Partition(int global)
    {
        var topic = TopicOf[global];
        return new TopicPartition(Topics[topic], global - Offsets[topic]);
    }

    /// <summary>
    /// The global indexes of the member's current partitions that still exist and that it still
    /// subscribes to, ascending (so which ones a member keeps never depends on hash-set order).
    /// </summary>
    public List<int> ValidCurrent(int member)
    {
        var m = Members[member];
        var valid = new List<int>(m.Current.Count);
        foreach (var tp in m.Current)
        {
            if (_topicIndex.TryGetValue(tp.Topic, out var topic)
                && tp.Partition >= 0
                && tp.Partition < Offsets[topic + 1] - Offsets[topic]
                && m.Topics.Contains(tp.Topic))
            {
                valid.Add(Offsets[topic] + tp.Partition);
            }
        }
        valid.Sort();
        return valid;
    }

    /// <summary>The result from an owner per global partition (-1 = nobody): every member is a key.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> ToAssignment(int[] owner)
    {
        var sets = new HashSet<TopicPartition>[Members.Length];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = [];
        }
        for (var g = 0; g < owner.Length; g++)
        {
            if (owner[g] >= 0)
            {
                sets[owner[g]].Add(Partition(g));
            }
        }
        var result = new Dictionary<string, IReadOnlySet<TopicPartition>>(Members.Length, StringComparer.Ordinal);
        for (var i = 0; i < sets.Length; i++)
        {
            result.Add(Members[i].MemberId, sets[i]);
        }
        return result;
    }

    public static AssignmentSpec Create(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var sorted = new AssignmentMember[members.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = members[i];
        }
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].MemberId == sorted[i - 1].MemberId)
            {
                throw new ArgumentException($"Member id '{sorted[i].MemberId}' appears twice.", nameof(members));
            }
        }

        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in sorted)
        {
            foreach (var topic in m.Topics)
            {
                if (partitionCounts.TryGetValue(topic, out var count) && count > 0)
                {
                    subscribed.Add(topic);
                }
            }
        }
        var topics = new string[subscribed.Count];
        subscribed.CopyTo(topics);
        Array.Sort(topics, StringComparer.Ordinal);

        var topicIndex = new Dictionary<string, int>(topics.Length, StringComparer.Ordinal);
        var offsets = new int[topics.Length + 1];
        for (var t = 0; t < topics.Length; t++)
        {
            topicIndex.Add(topics[t], t);
            offsets[t + 1] = checked(offsets[t] + partitionCounts[topics[t]]);
        }
        var topicOf = new int[offsets[^1]];
        for (var t = 0; t < topics.Length; t++)
        {
            Array.Fill(topicOf, t, offsets[t], offsets[t + 1] - offsets[t]);
        }

        var memberTopics = new int[sorted.Length][];
        var subscriberCounts = new int[topics.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var own = new List<int>(sorted[i].Topics.Count);
            foreach (var topic in sorted[i].Topics)
            {
                if (topicIndex.TryGetValue(topic, out var t))
                {
                    own.Add(t);
                    subscriberCounts[t]++;
                }
            }
            own.Sort();
            memberTopics[i] = [.. own];
        }
        var subscribers = new int[topics.Length][];
        for (var t = 0; t < topics.Length; t++)
        {
            subscribers[t] = new int[subscriberCounts[t]];
            subscriberCounts[t] = 0;
        }
        // Members in ascending order, so each topic's subscriber list comes out sorted.
        for (var i = 0; i < sorted.Length; i++)
        {
            foreach (var t in memberTopics[i])
            {
                subscribers[t][subscriberCounts[t]++] = i;
            }
        }
        return new AssignmentSpec(sorted, topics, offsets, topicOf, memberTopics, subscribers, topicIndex);
    }
}
