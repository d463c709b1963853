namespace Orlog.Grains.Controller;

/// <summary>
/// The controller's decisions about replicas and leaders, as plain functions of the topics and the brokers
/// alive (no I/O): where a new partition's replicas go, and how leaders and ISRs follow brokers that die and
/// return. Only an in-sync replica ever becomes leader (no unclean election), so a partition whose in-sync
/// replicas are all down has no leader until one of them returns.
/// </summary>
public static class Leadership
{
    /// <summary>
    /// The replicas of <paramref name="count"/> new partitions numbered from <paramref name="firstPartition"/>:
    /// <paramref name="replicationFactor"/> distinct brokers each, spread round-robin over
    /// <paramref name="brokers"/> (sorted), starting at <paramref name="start"/> so that topics do not all
    /// put their first leader on the same broker.
    /// </summary>
    public static List<List<int>> AssignReplicas(int firstPartition, int count, int replicationFactor, IReadOnlyCollection<int> brokers, int start)
    {
        var sorted = brokers.Order().ToArray();
        if (replicationFactor < 1 || replicationFactor > sorted.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor, $"needs between 1 and {sorted.Length} brokers");
        }
        var assignments = new List<List<int>>(count);
        for (var p = firstPartition; p < firstPartition + count; p++)
        {
            var replicas = new List<int>(replicationFactor);
            for (var r = 0; r < replicationFactor; r++)
            {
                replicas.Add(sorted[(start + p + r) % sorted.Length]);
            }
            assignments.Add(replicas);
        }
        return assignments;
    }

    /// <summary>A new partition: led by its first replica, which is alone in the ISR until followers catch up.</summary>
    public static PartitionRecord NewPartition(int partition, List<int> replicas, IReadOnlySet<int> alive)
    {
        var record = new PartitionRecord { Partition = partition, Replicas = replicas, Leader = replicas[0], Isr = [replicas[0]] };
        // A replica assigned while its broker is down (not in practice: replicas go to live brokers) starts offline.
        if (!alive.Contains(record.Leader))
        {
            record.Leader = PartitionMetadata.NoLeader;
        }
        return record;
    }

    /// <summary>
    /// Follows the brokers alive now: a partition whose leader died gets an alive in-sync replica as leader
    /// (or none), dead brokers leave the ISR in the same change (the last in-sync replica stays, so that it
    /// alone may lead again), and a leaderless partition whose in-sync replica returned is led by it again.
    /// Every change of leader bumps the leader epoch; every change bumps the partition epoch.
    /// </summary>
    /// <returns>True when the partition changed.</returns>
    public static bool FollowBrokers(PartitionRecord partition, IReadOnlySet<int> alive)
    {
        var leader = partition.Leader;
        if (leader == PartitionMetadata.NoLeader || !alive.Contains(leader))
        {
            var next = partition.Isr.FirstOrDefault(alive.Contains, PartitionMetadata.NoLeader);
            if (next == PartitionMetadata.NoLeader)
            {
                if (leader == PartitionMetadata.NoLeader)
                {
                    return false;
                }
                // Every in-sync replica is down: no leader; the ISR keeps the last leader only.
                partition.Leader = PartitionMetadata.NoLeader;
                partition.Isr = [leader];
            }
            else
            {
                partition.Leader = next;
                partition.Isr = partition.Isr.Where(alive.Contains).ToList();
            }
            partition.LeaderEpoch++;
            partition.PartitionEpoch++;
            return true;
        }
        var isr = partition.Isr.Where(alive.Contains).ToList();
        if (isr.Count == partition.Isr.Count)
        {
            return false;
        }
        partition.Isr = isr;
        partition.PartitionEpoch++;
        return true;
    }

    /// <summary>Brings a partition read from a version-1 state to version 2: its ISR is its leader.</summary>
    public static void Upgrade(PartitionRecord partition)
    {
        if (partition.Isr.Count == 0)
        {
            partition.Isr = partition.Leader == PartitionMetadata.NoLeader ? [partition.Replicas[0]] : [partition.Leader];
        }
    }
}
