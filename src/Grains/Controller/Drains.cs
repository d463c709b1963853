namespace Orlog.Grains.Controller;

/// <summary>
/// Plans a broker's drain (moving every replica off it, e.g. before it is retired) as plain functions of the
/// controller's state: each partition with a replica on the broker is reassigned to the same replicas with
/// that one replaced, at the same position, by an eligible broker (alive, not shutting down) that holds no
/// replica of it: the least loaded (fewest replicas, counting the targets of running reassignments and the
/// moves planned so far), the lowest id on a tie. When brokers declare racks, a broker on a rack the
/// partition's other replicas do not hold comes first (Kafka's rack-aware placement). The replication factor
/// is unchanged. A partition whose running reassignment already moves off the broker is kept as it is.
/// </summary>
public static class Drains
{
    /// <summary>
    /// The moves that drain <paramref name="brokerId"/>, or INVALID_REPLICATION_FACTOR naming the partitions
    /// that have a replica on every other eligible broker already (nothing is planned then: all or nothing).
    /// </summary>
    public static MovePlan Plan(int brokerId, IReadOnlyDictionary<string, TopicRecord> topics, LiveBrokers brokers, IReadOnlyDictionary<int, string> racks)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(brokers);
        var candidates = brokers.Eligible().Where(b => b != brokerId).Order().ToList();
        var load = candidates.ToDictionary(b => b, _ => 0);
        foreach (var partition in topics.Values.SelectMany(t => t.Partitions))
        {
            foreach (var broker in partition.FinalReplicas)
            {
                if (load.TryGetValue(broker, out var held))
                {
                    load[broker] = held + 1;
                }
            }
        }
        var moves = new List<PlannedMove>();
        var stuck = new List<string>();
        foreach (var (name, topic) in topics.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var partition in topic.Partitions)
            {
                var final = partition.FinalReplicas;
                if (!final.Contains(brokerId))
                {
                    if (partition.Replicas.Contains(brokerId))
                    {
                        moves.Add(new PlannedMove(name, partition.Partition, [.. partition.Replicas], [.. final], AlreadyRunning: true));
                    }
                    continue;
                }
                var others = final.Where(b => b != brokerId).ToList();
                if (Choose(candidates.Where(c => !final.Contains(c)).ToList(), others, load, racks) is not { } choice)
                {
                    stuck.Add($"{name}-{partition.Partition}");
                    continue;
                }
                load[choice]++;
                moves.Add(new PlannedMove(name, partition.Partition, [.. partition.Replicas], [.. final.Select(b => b == brokerId ? choice : b)]));
            }
        }
        if (stuck.Count > 0)
        {
            return MovePlan.Failed(ErrorCode.InvalidReplicationFactor,
                $"Broker {brokerId} cannot be drained: {string.Join(", ", stuck.Take(10))}{(stuck.Count > 10 ? $" and {stuck.Count - 10} more" : "")} " +
                $"already have a replica on every other live broker ({(candidates.Count == 0 ? "there is none" : string.Join(',', candidates))}). " +
                "Add a broker (deploy/local-cluster.sh add-broker) or lower those partitions' replication factor (orlog partitions reassign) first.");
        }
        return new MovePlan(ErrorCode.None, null, moves);
    }

    // The least-loaded option, preferring one on a rack the other replicas do not hold; null when there is no option.
    private static int? Choose(List<int> options, List<int> others, Dictionary<int, int> load, IReadOnlyDictionary<int, string> racks)
    {
        if (options.Count == 0)
        {
            return null;
        }
        if (racks.Count > 0)
        {
            var held = others.Select(b => RackAwareness.RackOf(b, racks)).ToHashSet(StringComparer.Ordinal);
            var elsewhere = options.Where(b => !held.Contains(RackAwareness.RackOf(b, racks))).ToList();
            if (elsewhere.Count > 0)
            {
                options = elsewhere;
            }
        }
        return options.OrderBy(b => load[b]).ThenBy(b => b).First();
    }
}
