namespace Orlog.Grains.Controller;

/// <summary>
/// Plans how to spread partitions' replicas evenly over the eligible brokers (alive, not shutting down), e.g.
/// onto a broker just added, as plain functions of the controller's state, moving as few replicas as it can:
/// <list type="number">
/// <item>replicas: while the most loaded broker holds at least two more replicas than the least loaded, one
/// replica of a partition moves from the one to the other, in place (same position in the replica list), on a
/// partition that does not hold the other already and where the move keeps as many distinct racks; when the
/// first broker leads (is the preferred leader of) at least two more partitions than the second, a partition
/// it leads moves first, otherwise one it follows;</item>
/// <item>preferred leaders: while one broker is the preferred leader of at least two more partitions than
/// another, a partition led by the first that has a replica on the second swaps the two in its replica list.</item>
/// </list>
/// Each step lowers the sum of squared loads, so the plan ends; then every broker holds within one replica
/// (and one preferred leadership) of every other, as far as the partitions allow. Partitions being reassigned
/// are left alone, and replicas on brokers that are not eligible are neither counted nor moved (drain those).
/// </summary>
public static class Rebalancing
{
    /// <summary>The moves that even out the replicas of <paramref name="topics"/>; none when they are even already.</summary>
    public static MovePlan Plan(IReadOnlyDictionary<string, TopicRecord> topics, LiveBrokers brokers, IReadOnlyDictionary<int, string> racks)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(brokers);
        var eligible = brokers.Eligible().Order().ToList();
        var plans = new List<Assignment>();
        foreach (var (name, topic) in topics.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            plans.AddRange(topic.Partitions.Where(p => !p.IsReassigning).Select(p => new Assignment(name, p, [.. p.Replicas])));
        }
        var loads = new Loads(eligible, plans);
        while (MoveReplica(eligible, plans, loads, racks))
        {
        }
        while (MoveLeader(eligible, plans, loads))
        {
        }
        var moves = plans
            .Where(a => !a.Target.SequenceEqual(a.Partition.Replicas))
            .Select(a => new PlannedMove(a.Topic, a.Partition.Partition, [.. a.Partition.Replicas], [.. a.Target]))
            .ToList();
        return new MovePlan(ErrorCode.None, null, moves);
    }

    private static bool MoveReplica(List<int> eligible, List<Assignment> plans, Loads loads, IReadOnlyDictionary<int, string> racks)
    {
        foreach (var from in eligible.OrderByDescending(b => loads.Replicas[b]).ThenBy(b => b))
        {
            foreach (var to in eligible.OrderBy(b => loads.Replicas[b]).ThenBy(b => b))
            {
                if (loads.Replicas[from] - loads.Replicas[to] < 2)
                {
                    break;
                }
                var moveALeader = loads.Leaders[from] - loads.Leaders[to] >= 2;
                var candidates = plans.Where(a => a.Target.Contains(from) && !a.Target.Contains(to) && KeepsRacks(a.Target, from, to, racks)).ToList();
                var chosen = candidates.FirstOrDefault(a => (a.Target[0] == from) == moveALeader) ?? candidates.FirstOrDefault();
                if (chosen is null)
                {
                    continue;
                }
                var at = chosen.Target.IndexOf(from);
                chosen.Target[at] = to;
                loads.Replicas[from]--;
                loads.Replicas[to]++;
                if (at == 0)
                {
                    loads.Leaders[from]--;
                    loads.Leaders[to]++;
                }
                return true;
            }
        }
        return false;
    }

    private static bool MoveLeader(List<int> eligible, List<Assignment> plans, Loads loads)
    {
        foreach (var from in eligible.OrderByDescending(b => loads.Leaders[b]).ThenBy(b => b))
        {
            foreach (var to in eligible.OrderBy(b => loads.Leaders[b]).ThenBy(b => b))
            {
                if (loads.Leaders[from] - loads.Leaders[to] < 2)
                {
                    break;
                }
                if (plans.FirstOrDefault(a => a.Target[0] == from && a.Target.Contains(to)) is not { } chosen)
                {
                    continue;
                }
                var at = chosen.Target.IndexOf(to);
                (chosen.Target[0], chosen.Target[at]) = (to, from);
                loads.Leaders[from]--;
                loads.Leaders[to]++;
                return true;
            }
        }
        return false;
    }

    // With racks declared, a move must not lower how many distinct racks the partition's replicas are on.
    private static bool KeepsRacks(List<int> replicas, int from, int to, IReadOnlyDictionary<int, string> racks) =>
        racks.Count == 0 || RackAwareness.RackCount(replicas.Select(b => b == from ? to : b), racks) >= RackAwareness.RackCount(replicas, racks);

    private sealed record Assignment(string Topic, PartitionRecord Partition, List<int> Target);

    // Replicas and preferred leaderships per eligible broker, as planned so far.
    private sealed class Loads
    {
        public Loads(List<int> eligible, List<Assignment> plans)
        {
            Replicas = eligible.ToDictionary(b => b, _ => 0);
            Leaders = eligible.ToDictionary(b => b, _ => 0);
            foreach (var plan in plans)
            {
                foreach (var broker in plan.Target.Where(Replicas.ContainsKey))
                {
                    Replicas[broker]++;
                }
                if (plan.Target.Count > 0 && Leaders.ContainsKey(plan.Target[0]))
                {
                    Leaders[plan.Target[0]]++;
                }
            }
        }

        public Dictionary<int, int> Replicas { get; }

        public Dictionary<int, int> Leaders { get; }
    }
}
