namespace Orlog.Grains.Controller;

/// <summary>
/// The controller's decisions about replicas and leaders, as plain functions of the topics and the brokers
/// (no I/O): where a new partition's replicas go, and how leaders and ISRs follow brokers that die and
/// return. Only an in-sync replica becomes leader unless the topic enables unclean leader election, so a
/// partition whose in-sync replicas are all down has no leader until one of them returns.
/// </summary>
public static class Leadership
{
    /// <summary>
    /// The replicas of <paramref name="count"/> new partitions numbered from <paramref name="firstPartition"/>:
    /// <paramref name="replicationFactor"/> distinct brokers each, spread round-robin over
    /// <paramref name="brokers"/> (sorted), starting at <paramref name="start"/> so that topics do not all
    /// put their first leader on the same broker. When a broker has a rack in <paramref name="racks"/>, the
    /// round-robin runs over the brokers ordered by alternating racks (as Kafka does) and a partition's
    /// replicas take distinct racks while there are racks left (<see cref="RackAwareness"/>).
    /// </summary>
    public static List<List<int>> AssignReplicas(int firstPartition, int count, int replicationFactor, IReadOnlyCollection<int> brokers, int start,
        IReadOnlyDictionary<int, string>? racks = null)
    {
        var sorted = brokers.Order().ToArray();
        if (replicationFactor < 1 || replicationFactor > sorted.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor, $"needs between 1 and {sorted.Length} brokers");
        }
        if (racks is not null && sorted.Any(racks.ContainsKey))
        {
            return RackAwareness.AssignReplicas(firstPartition, count, replicationFactor, sorted, start, racks);
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

    /// <summary>
    /// A new partition: its empty replicas are all in sync, so the ISR is every replica on an eligible broker
    /// (<paramref name="eligible"/>: alive and not shutting down); led by the first replica, or the first
    /// eligible one after it. With none eligible (not in practice: replicas go to eligible brokers) it has no
    /// leader and the first replica stands in the ISR, as for a partition whose brokers all died.
    /// </summary>
    public static PartitionRecord NewPartition(int partition, List<int> replicas, IReadOnlySet<int> eligible)
    {
        var isr = replicas.Where(eligible.Contains).ToList();
        return isr.Count == 0
            ? new PartitionRecord { Partition = partition, Replicas = replicas, Leader = PartitionMetadata.NoLeader, Isr = [replicas[0]] }
            : new PartitionRecord { Partition = partition, Replicas = replicas, Leader = isr[0], Isr = isr };
    }

    /// <summary>
    /// Follows the brokers alive now: a partition whose leader died gets the first in-sync replica (in replica
    /// order) that is alive and not shutting down as leader, dead brokers leave the ISR in the same change,
    /// and a leaderless partition whose in-sync replica returned is led by it again. When no in-sync replica
    /// can lead: with <paramref name="uncleanElection"/> the first eligible replica leads, alone in the ISR;
    /// without it the partition has no leader and the ISR keeps the last leader only, so that it alone may
    /// lead again. A leader alive but shutting down keeps leading. Every change of leader bumps the leader
    /// epoch; every change bumps the partition epoch.
    /// </summary>
    public static FollowResult FollowBrokers(PartitionRecord partition, LiveBrokers brokers, bool uncleanElection = false)
    {
        var leader = partition.Leader;
        if (leader != PartitionMetadata.NoLeader && brokers.IsAlive(leader))
        {
            var isr = partition.Isr.Where(brokers.IsAlive).ToList();
            if (isr.Count == partition.Isr.Count)
            {
                return FollowResult.Unchanged;
            }
            partition.Isr = isr;
            partition.PartitionEpoch++;
            return FollowResult.Changed;
        }
        var result = FollowResult.Changed;
        var next = partition.Replicas.FirstOrDefault(r => partition.Isr.Contains(r) && brokers.IsEligible(r), PartitionMetadata.NoLeader);
        if (next != PartitionMetadata.NoLeader)
        {
            partition.Leader = next;
            partition.Isr = partition.Isr.Where(brokers.IsAlive).ToList();
        }
        else if (uncleanElection && partition.Replicas.FirstOrDefault(brokers.IsEligible, PartitionMetadata.NoLeader) is var unclean
            && unclean != PartitionMetadata.NoLeader)
        {
            partition.Leader = unclean;
            partition.Isr = [unclean];
            result = FollowResult.UncleanElection;
        }
        else if (leader == PartitionMetadata.NoLeader)
        {
            return FollowResult.Unchanged;
        }
        else
        {
            // Every in-sync replica is down: no leader; the ISR keeps the last leader only.
            partition.Leader = PartitionMetadata.NoLeader;
            partition.Isr = [leader];
        }
        partition.LeaderEpoch++;
        partition.PartitionEpoch++;
        return result;
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
