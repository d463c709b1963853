namespace Orlog.Grains.Controller;

/// <summary>
/// Kafka's partition reassignment (KIP-455) as plain functions of the controller's state (no I/O). A
/// reassignment of a partition from its replicas O to a target T:
/// <list type="number">
/// <item>starts: adding = T − O, removing = O − T, replicas = T followed by the removing ones (so T's first is
/// the preferred leader), ISR unchanged; the adding brokers open the partition as followers and copy the leader;</item>
/// <item>runs: the leader proposes each adding replica for the ISR once it has caught up (AlterPartition);</item>
/// <item>completes in the change that puts the last target replica in the ISR: replicas = T, ISR = ISR ∩ T,
/// and a leader outside T hands over to the first in-sync target replica (with auto.leader.rebalance.enable,
/// T's first leads when it is in sync). The removed brokers delete their logs when that change reaches them.</item>
/// </list>
/// A new target replaces a running reassignment: O stays the reference, and replicas it added that the new
/// target drops go at once. A cancel goes back to O, in the order O's replicas hold in the replica list (as
/// Kafka). A target that only reorders O completes at once. Every change bumps the partition epoch, a change of
/// leader the leader epoch too.
/// </summary>
public static class Reassignments
{
    private const int NoLeader = PartitionMetadata.NoLeader;

    /// <summary>
    /// Decides one request: starts, replaces or (a null target) cancels the reassignment of a partition in
    /// <paramref name="topics"/>, changing it in memory when accepted. Targets name brokers in
    /// <paramref name="registered"/>, each once, at least <paramref name="minInsyncReplicas"/> of the topic; a
    /// broker a target adds must be alive and not shutting down (<paramref name="brokers"/>).
    /// </summary>
    public static ReassignmentDecision Alter(ReassignmentRequest request, IReadOnlyDictionary<string, TopicRecord> topics, IReadOnlySet<int> registered,
        LiveBrokers brokers, Func<TopicRecord, int> minInsyncReplicas, bool preferredLeaderLeads)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(minInsyncReplicas);
        var name = $"{request.Topic}-{request.Partition}";
        if (!topics.TryGetValue(request.Topic, out var topic) || request.Partition < 0 || request.Partition >= topic.Partitions.Count)
        {
            return ReassignmentDecision.Refused(ErrorCode.UnknownTopicOrPartition, $"Partition {name} does not exist.");
        }
        var partition = topic.Partitions[request.Partition];
        if (request.TargetReplicas is not { } target)
        {
            return Cancel(name, partition, brokers);
        }
        if (InvalidTarget(target, registered, minInsyncReplicas(topic)) is { } invalid)
        {
            return ReassignmentDecision.Refused(ErrorCode.InvalidReplicaAssignment, $"The target replicas [{Ids(target)}] of {name} {invalid}.");
        }
        if (partition.IsReassigning && !request.ReplaceRunning)
        {
            return ReassignmentDecision.Refused(ErrorCode.ReassignmentInProgress,
                $"{name} is being reassigned to [{Ids(partition.TargetReplicas)}] already: cancel that first, or replace it.");
        }
        if (!partition.IsReassigning && target.SequenceEqual(partition.Replicas))
        {
            return ReassignmentDecision.Unchanged(partition);
        }
        var original = Original(partition);
        var adding = target.Where(b => !original.Contains(b)).ToList();
        foreach (var broker in adding)
        {
            if (!brokers.IsEligible(broker))
            {
                var why = brokers.IsAlive(broker) ? "is shutting down" : "is not alive";
                return ReassignmentDecision.Refused(ErrorCode.InvalidReplicaAssignment, $"Broker {broker} cannot take a replica of {name}: it {why}.");
            }
        }
        var removing = original.Where(b => !target.Contains(b)).ToList();
        List<int> replicas = [.. target, .. removing];
        var isr = replicas.Where(partition.Isr.Contains).ToList();
        // Replaced: the leader may be a replica the running reassignment added and the new target drops.
        var leader = LeaderAmong(partition, replicas, isr, brokers);
        if (!CanLead(partition, isr, leader))
        {
            return ReassignmentDecision.Refused(ErrorCode.InvalidReplicaAssignment,
                $"The target [{Ids(target)}] drops every in-sync replica of {name} that could lead (ISR [{Ids(partition.Isr)}]).");
        }
        var before = partition.ToMetadata();
        Move(partition, replicas, isr, leader);
        partition.TargetReplicas = [.. target];
        partition.AddingReplicas = adding;
        partition.RemovingReplicas = removing;
        if (adding.Count == 0 && removing.Count == 0)
        {
            Finish(partition, brokers, preferredLeaderLeads);
        }
        else
        {
            TryComplete(partition, brokers, preferredLeaderLeads);
        }
        return ReassignmentDecision.Accepted(partition, before);
    }

    /// <summary>
    /// Completes the partition's running reassignment when every target replica is in the ISR (and one of them
    /// can lead): replicas = target, ISR = ISR ∩ target; the leader moves to the target's first when
    /// <paramref name="preferredLeaderLeads"/> and it is in sync and eligible, otherwise only when it is not in
    /// the target, to the first in-sync eligible target replica. Returns true when it completed.
    /// </summary>
    public static bool TryComplete(PartitionRecord partition, LiveBrokers brokers, bool preferredLeaderLeads)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return partition.IsReassigning && partition.TargetReplicas.All(partition.Isr.Contains) && Finish(partition, brokers, preferredLeaderLeads);
    }

    /// <summary>Brings a partition read from a version-2 state to version 3: no reassignment runs.</summary>
    public static void Upgrade(PartitionRecord partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.TargetReplicas ??= [];
        partition.AddingReplicas ??= [];
        partition.RemovingReplicas ??= [];
    }

    /// <summary>The replicas the partition had before its running reassignment (its replicas when none runs).</summary>
    public static List<int> Original(PartitionRecord partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return partition.Replicas.Where(b => !partition.AddingReplicas.Contains(b)).ToList();
    }

    private static ReassignmentDecision Cancel(string name, PartitionRecord partition, LiveBrokers brokers)
    {
        if (!partition.IsReassigning)
        {
            return ReassignmentDecision.Refused(ErrorCode.NoReassignmentInProgress, $"No reassignment of {name} is in progress.");
        }
        var original = Original(partition);
        var isr = original.Where(partition.Isr.Contains).ToList();
        var leader = LeaderAmong(partition, original, isr, brokers);
        if (!CanLead(partition, isr, leader))
        {
            return ReassignmentDecision.Refused(ErrorCode.InvalidReplicaAssignment,
                $"The original replicas [{Ids(original)}] of {name} have no in-sync replica that could lead (ISR [{Ids(partition.Isr)}]): let the reassignment complete, or replace it with a new target.");
        }
        var before = partition.ToMetadata();
        Move(partition, original, isr, leader);
        ClearReassignment(partition);
        return ReassignmentDecision.Accepted(partition, before);
    }

    private static bool Finish(PartitionRecord partition, LiveBrokers brokers, bool preferredLeaderLeads)
    {
        var target = partition.TargetReplicas;
        var isr = target.Where(partition.Isr.Contains).ToList();
        var leader = preferredLeaderLeads && isr.Contains(target[0]) && brokers.IsEligible(target[0])
            ? target[0]
            : LeaderAmong(partition, target, isr, brokers);
        if (!CanLead(partition, isr, leader))
        {
            // No target replica can lead yet (shutting down): the next ISR or membership change tries again.
            return false;
        }
        Move(partition, [.. target], isr, leader);
        ClearReassignment(partition);
        return true;
    }

    // The leader once the replicas are these: the current one while it stays among them, else the first of them
    // in sync and eligible (NoLeader when none is).
    private static int LeaderAmong(PartitionRecord partition, IReadOnlyList<int> replicas, List<int> isr, LiveBrokers brokers) =>
        partition.Leader == NoLeader || replicas.Contains(partition.Leader)
            ? partition.Leader
            : replicas.FirstOrDefault(b => isr.Contains(b) && brokers.IsEligible(b), NoLeader);

    // A change may not leave the partition without an in-sync replica, nor take away the leader it has.
    private static bool CanLead(PartitionRecord partition, List<int> isr, int leader) =>
        isr.Count > 0 && (leader != NoLeader || partition.Leader == NoLeader);

    // The new replicas, ISR and leader, at the next partition epoch (and the next leader epoch when the leader changes).
    private static void Move(PartitionRecord partition, List<int> replicas, List<int> isr, int leader)
    {
        partition.Replicas = replicas;
        partition.Isr = isr;
        partition.PartitionEpoch++;
        if (leader != partition.Leader)
        {
            partition.Leader = leader;
            partition.LeaderEpoch++;
        }
    }

    private static void ClearReassignment(PartitionRecord partition)
    {
        partition.TargetReplicas = [];
        partition.AddingReplicas = [];
        partition.RemovingReplicas = [];
    }

    // Why a target is not a valid replica list, or null.
    private static string? InvalidTarget(IReadOnlyList<int> target, IReadOnlySet<int> registered, int minInsyncReplicas)
    {
        if (target.Count == 0)
        {
            return "name no broker: a partition needs at least one replica";
        }
        if (target.GroupBy(b => b).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"name broker {twice.Key} twice";
        }
        foreach (var broker in target)
        {
            if (!registered.Contains(broker))
            {
                return $"name broker {broker}, which is not registered (orlog brokers list shows the brokers)";
            }
        }
        if (target.Count < minInsyncReplicas)
        {
            return $"are {target.Count}, fewer than the topic's min.insync.replicas={minInsyncReplicas}: acks=all writes would be refused";
        }
        return null;
    }

    private static string Ids(IEnumerable<int> brokers) => string.Join(',', brokers);
}
