namespace Orlog.Grains.Groups.Assignors;

/// <summary>
/// Kafka's classic cooperative protocol moves a partition in two rebalances: in the first its old
/// owner gives it up and nobody gets it, in the second (after the old owner has revoked it and rejoined)
/// the new owner does. So no partition is ever consumed by two members at once.
/// </summary>
public static class CooperativeAssignment
{
    /// <summary>
    /// The assignment to hand out this generation: <paramref name="target"/> (its keys, the members)
    /// without every partition that a member other than its target owner still owns in
    /// <paramref name="owned"/>. The owner's own target already lacks it, so it revokes it; the withheld
    /// partition is assigned in the next generation, when nobody owns it any more.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> WithholdMoved(IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> owned, IReadOnlyDictionary<string, IReadOnlySet<TopicPartition>> target)
    {
        // The owner of each owned partition; null when two members claim it (neither is the sole owner).
        var ownerOf = new Dictionary<TopicPartition, string?>();
        foreach (var (member, partitions) in owned)
        {
            foreach (var tp in partitions)
            {
                if (!ownerOf.TryAdd(tp, member) && ownerOf[tp] != member)
                {
                    ownerOf[tp] = null;
                }
            }
        }

        var result = new Dictionary<string, IReadOnlySet<TopicPartition>>(target.Count, StringComparer.Ordinal);
        foreach (var (member, partitions) in target)
        {
            var handedOut = new HashSet<TopicPartition>(partitions.Count);
            foreach (var tp in partitions)
            {
                if (!ownerOf.TryGetValue(tp, out var current) || current == member)
                {
                    handedOut.Add(tp);
                }
            }
            result.Add(member, handedOut);
        }
        return result;
    }
}
