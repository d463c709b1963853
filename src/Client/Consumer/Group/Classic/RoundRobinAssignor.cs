namespace Orlog.Client;

/// <summary>
/// Kafka's round-robin assignor: every partition of every subscribed topic (by topic, then partition) goes to the
/// next member in member order that subscribes to its topic.
/// </summary>
internal sealed class RoundRobinAssignor : IClassicAssignor
{
    public string Name => "roundrobin";

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var assignment = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var ordered = members.Order(AssignorMember.Order).ToList();
        if (ordered.Count == 0)
        {
            return assignment;
        }
        var next = 0;
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var count = partitionCounts.GetValueOrDefault(topic);
            for (var partition = 0; partition < count; partition++)
            {
                // Some member subscribes to every topic listed here, so the search ends within one turn.
                while (!ordered[next].Topics.Contains(topic))
                {
                    next = (next + 1) % ordered.Count;
                }
                assignment[ordered[next].MemberId].Add(new TopicPartition(topic, partition));
                next = (next + 1) % ordered.Count;
            }
        }
        return assignment;
    }
}
