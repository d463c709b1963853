namespace Orlog.Client;

/// <summary>
/// Kafka's range assignor: topic by topic, the members subscribed to it (in member order) take consecutive ranges of
/// its partitions, the first members one more when the partitions do not divide evenly.
/// </summary>
internal sealed class RangeAssignor : IClassicAssignor
{
    public string Name => "range";

    public IReadOnlyDictionary<string, List<TopicPartition>> Assign(IReadOnlyList<AssignorMember> members, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var assignment = members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionCounts.TryGetValue(topic, out var count) || count <= 0)
            {
                continue;
            }
            var subscribed = members.Where(m => m.Topics.Contains(topic)).Order(AssignorMember.Order).ToList();
            var each = count / subscribed.Count;
            var extra = count % subscribed.Count;
            for (var i = 0; i < subscribed.Count; i++)
            {
                var start = (each * i) + Math.Min(i, extra);
                var length = each + (i < extra ? 1 : 0);
                for (var partition = start; partition < start + length; partition++)
                {
                    assignment[subscribed[i].MemberId].Add(new TopicPartition(topic, partition));
                }
            }
        }
        return assignment;
    }
}
