namespace Orlog.Grains.Metrics;

/// <summary>
/// What changed between two metadata versions, as one broker counts it: the ISR shrinks and expansions of the
/// partitions it leads (Kafka counts them on the leader) and, on the broker hosting the controller, the leader
/// elections (a partition given a leader it did not have). Versions skipped by a catch-up are not seen.
/// </summary>
public readonly record struct MetadataChanges(int IsrShrinks, int IsrExpansions, int LeaderElections)
{
    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/> for broker <paramref name="brokerId"/>.</summary>
    public static MetadataChanges Between(ClusterMetadata before, ClusterMetadata after, int brokerId)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        int shrinks = 0, expansions = 0, elections = 0;
        var countElections = after.ControllerBroker == brokerId;
        foreach (var topic in after.Topics.Values)
        {
            if (!before.Topics.TryGetValue(topic.Name, out var old) || old.TopicId != topic.TopicId)
            {
                continue; // a new topic: its first leaders are an assignment, not an election
            }
            foreach (var partition in topic.Partitions)
            {
                if (partition.Partition >= old.Partitions.Count)
                {
                    continue;
                }
                var previous = old.Partitions[partition.Partition];
                if (countElections && partition.Leader != PartitionMetadata.NoLeader && partition.Leader != previous.Leader)
                {
                    elections++;
                }
                if (partition.Leader == brokerId && previous.Leader == brokerId && partition.LeaderEpoch == previous.LeaderEpoch)
                {
                    if (partition.Isr.Any(b => !previous.Isr.Contains(b)))
                    {
                        expansions++;
                    }
                    if (previous.Isr.Any(b => !partition.Isr.Contains(b)))
                    {
                        shrinks++;
                    }
                }
            }
        }
        return new MetadataChanges(shrinks, expansions, elections);
    }
}
