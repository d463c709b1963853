namespace Orlog.Grains.Groups.Assignors;

/// <summary>
/// Kafka's "range" server-side assignor: per topic, its subscribers sorted by instance id (member id
/// when a member has none), each given a contiguous range; the first <c>partitions % subscribers</c> get
/// one partition more. Members with the same subscriptions hold the same ranges of every topic they
/// share (co-partitioning), which is the point of it. Static members keep their place across restarts.
/// </summary>
internal sealed class RangeAssignor : IPartitionAssignor
{
    public const string AssignorName = "range";

    public string Name => AssignorName;

    public IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> Assign(IReadOnlyList<AssignmentMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var spec = AssignmentSpec.Create(members, partitionCounts);
        var ranked = new int[spec.Members.Length];
        for (var i = 0; i < ranked.Length; i++)
        {
            ranked[i] = i;
        }
        var sorted = spec.Members;
        Array.Sort(ranked, (a, b) =>
        {
            var byKey = string.CompareOrdinal(sorted[a].InstanceId ?? sorted[a].MemberId, sorted[b].InstanceId ?? sorted[b].MemberId);
            // Member ids are unique, and spec order is by member id, so index order breaks the tie.
            return byKey != 0 ? byKey : a.CompareTo(b);
        });

        // Each topic's subscribers in rank order.
        var subscribers = new List<int>[spec.Topics.Length];
        for (var t = 0; t < subscribers.Length; t++)
        {
            subscribers[t] = new List<int>(spec.Subscribers[t].Length);
        }
        foreach (var i in ranked)
        {
            foreach (var t in spec.MemberTopics[i])
            {
                subscribers[t].Add(i);
            }
        }

        var owner = new int[spec.PartitionCount];
        for (var t = 0; t < subscribers.Length; t++)
        {
            var count = spec.Offsets[t + 1] - spec.Offsets[t];
            var perMember = count / subscribers[t].Count;
            var extra = count % subscribers[t].Count;
            var g = spec.Offsets[t];
            for (var k = 0; k < subscribers[t].Count; k++)
            {
                var length = perMember + (k < extra ? 1 : 0);
                Array.Fill(owner, subscribers[t][k], g, length);
                g += length;
            }
        }
        return spec.ToAssignment(owner);
    }
}
