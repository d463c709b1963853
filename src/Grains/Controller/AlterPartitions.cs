namespace Orlog.Grains.Controller;

/// <summary>
/// Kafka's AlterPartition rules: a leader's proposal of a new ISR is accepted only from the partition's
/// current leader at its current leader and partition epochs, and only when every broker it adds is alive
/// and not shutting down. The checks, in order, and their errors:
/// <list type="number">
/// <item>the topic exists (UNKNOWN_TOPIC_OR_PARTITION) with the proposal's topic id (UNKNOWN_TOPIC_ID);</item>
/// <item>the partition exists (UNKNOWN_TOPIC_OR_PARTITION);</item>
/// <item>the proposer leads it (NOT_LEADER_OR_FOLLOWER);</item>
/// <item>the leader epoch is the current one: older is FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH;</item>
/// <item>the partition epoch is the current one (INVALID_UPDATE_VERSION: the ISR changed meanwhile);</item>
/// <item>the new ISR holds the leader, no broker twice, only replicas (INVALID_REQUEST);</item>
/// <item>every broker it adds is alive, not shutting down, and at the broker epoch the leader saw it fetch
/// with: a broker that registered again since (it restarted) must catch up again first (INELIGIBLE_REPLICA).</item>
/// </list>
/// </summary>
public static class AlterPartitions
{
    /// <summary>
    /// Decides one proposal of broker <paramref name="brokerId"/>. An accepted one changes the partition in
    /// <paramref name="topics"/>: the ISR in replica order, the partition epoch bumped; and with
    /// <paramref name="restorePreferredLeader"/> (auto.leader.rebalance.enable), when the proposal brings the
    /// preferred replica (the first) back into the ISR and it is eligible, it becomes leader in the same
    /// change, at the next leader epoch. When the new ISR holds every target replica of a running
    /// reassignment, the reassignment completes in the same change (<see cref="Reassignments.TryComplete"/>).
    /// </summary>
    public static IsrDecision Decide(int brokerId, AlterPartitionItem item, IReadOnlyDictionary<string, TopicRecord> topics, LiveBrokers brokers,
        bool restorePreferredLeader)
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = $"{item.Topic}-{item.Partition}";
        if (!topics.TryGetValue(item.Topic, out var topic))
        {
            return IsrDecision.Refused(ErrorCode.UnknownTopicOrPartition, $"Topic '{item.Topic}' does not exist.");
        }
        if (topic.TopicId != item.TopicId)
        {
            return IsrDecision.Refused(ErrorCode.UnknownTopicId, $"Topic '{item.Topic}' has id {topic.TopicId}, not {item.TopicId}: it was deleted and created again.");
        }
        if (item.Partition < 0 || item.Partition >= topic.Partitions.Count)
        {
            return IsrDecision.Refused(ErrorCode.UnknownTopicOrPartition, $"Topic '{item.Topic}' has no partition {item.Partition}.");
        }
        var partition = topic.Partitions[item.Partition];
        if (partition.Leader != brokerId)
        {
            return IsrDecision.Refused(ErrorCode.NotLeaderOrFollower, $"Broker {brokerId} does not lead {name}; broker {partition.Leader} does.");
        }
        if (item.LeaderEpoch != partition.LeaderEpoch)
        {
            return IsrDecision.Refused(item.LeaderEpoch < partition.LeaderEpoch ? ErrorCode.FencedLeaderEpoch : ErrorCode.UnknownLeaderEpoch,
                $"{name} is at leader epoch {partition.LeaderEpoch}, not {item.LeaderEpoch}.");
        }
        if (item.PartitionEpoch != partition.PartitionEpoch)
        {
            return IsrDecision.Refused(ErrorCode.InvalidUpdateVersion, $"{name} is at partition epoch {partition.PartitionEpoch}, not {item.PartitionEpoch}: its ISR changed meanwhile.");
        }
        if (InvalidIsr(item.NewIsr, partition) is { } invalid)
        {
            return IsrDecision.Refused(ErrorCode.InvalidRequest, $"The new ISR [{string.Join(',', item.NewIsr)}] of {name} {invalid}.");
        }
        var added = item.NewIsr.Where(b => !partition.Isr.Contains(b)).ToList();
        if (added.FirstOrDefault(b => !brokers.IsEligible(b), PartitionMetadata.NoLeader) is var ineligible && ineligible != PartitionMetadata.NoLeader)
        {
            var why = brokers.IsAlive(ineligible) ? "is shutting down" : "is not alive";
            return IsrDecision.Refused(ErrorCode.IneligibleReplica, $"Broker {ineligible} cannot join the ISR of {name}: it {why}.");
        }
        if (added.FirstOrDefault(b => !brokers.IsCurrentEpoch(b, item.BrokerEpochOf(b)), PartitionMetadata.NoLeader) is var restarted && restarted != PartitionMetadata.NoLeader)
        {
            return IsrDecision.Refused(ErrorCode.IneligibleReplica, $"Broker {restarted} cannot join the ISR of {name}: the leader counted its fetches at broker epoch " +
                $"{item.BrokerEpochOf(restarted)}, but it is registered at epoch {brokers.EpochOf(restarted)} (it restarted since).");
        }
        if (added.Count == 0 && item.NewIsr.Count == partition.Isr.Count)
        {
            return IsrDecision.Unchanged(partition);
        }
        var before = partition.ToMetadata();
        partition.Isr = partition.Replicas.Where(item.NewIsr.Contains).ToList();
        partition.PartitionEpoch++;
        var preferred = partition.Replicas[0];
        if (restorePreferredLeader && added.Contains(preferred) && preferred != partition.Leader && brokers.IsEligible(preferred))
        {
            partition.Leader = preferred;
            partition.LeaderEpoch++;
        }
        Reassignments.TryComplete(partition, brokers, restorePreferredLeader);
        return IsrDecision.Accepted(partition, before);
    }

    // Why a proposed ISR is malformed, or null.
    private static string? InvalidIsr(IReadOnlyList<int> isr, PartitionRecord partition)
    {
        if (!isr.Contains(partition.Leader))
        {
            return $"lacks the leader {partition.Leader}";
        }
        if (isr.Distinct().Count() != isr.Count)
        {
            return "names a broker twice";
        }
        if (isr.FirstOrDefault(b => !partition.Replicas.Contains(b), PartitionMetadata.NoLeader) is var stranger && stranger != PartitionMetadata.NoLeader)
        {
            return $"names broker {stranger}, which holds no replica (replicas [{string.Join(',', partition.Replicas)}])";
        }
        return null;
    }
}
