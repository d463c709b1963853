namespace Orlog.Grains.Controller;

/// <summary>
/// Rack-aware replica assignment (Kafka's broker.rack): the brokers are ordered by alternating racks (rack
/// A's first, rack B's first, rack C's first, rack A's second, ...), each partition's leader is the next
/// broker round-robin in that order (so leaders spread evenly), and its followers are the brokers after it
/// whose racks it does not hold yet, until every rack holds one; then the next brokers in order.
/// A broker without a rack counts as in one unnamed rack.
/// </summary>
public static class RackAwareness
{
    /// <summary>See <see cref="Leadership.AssignReplicas"/>; <paramref name="sorted"/> are distinct and sorted.</summary>
    public static List<List<int>> AssignReplicas(int firstPartition, int count, int replicationFactor, IReadOnlyList<int> sorted, int start,
        IReadOnlyDictionary<int, string> racks)
    {
        var ordered = RackAlternated(sorted, racks);
        var rackCount = ordered.Select(b => RackOf(b, racks)).Distinct(StringComparer.Ordinal).Count();
        var assignments = new List<List<int>>(count);
        for (var p = firstPartition; p < firstPartition + count; p++)
        {
            var first = (start + p) % ordered.Count;
            var replicas = new List<int>(replicationFactor) { ordered[first] };
            var usedRacks = new HashSet<string>(StringComparer.Ordinal) { RackOf(ordered[first], racks) };
            // The first pass skips racks already held while some rack is not; the second fills any gap left.
            for (var pass = 0; pass < 2 && replicas.Count < replicationFactor; pass++)
            {
                for (var i = 1; i < ordered.Count && replicas.Count < replicationFactor; i++)
                {
                    var broker = ordered[(first + i) % ordered.Count];
                    var rack = RackOf(broker, racks);
                    if (replicas.Contains(broker) || (pass == 0 && usedRacks.Count < rackCount && usedRacks.Contains(rack)))
                    {
                        continue;
                    }
                    replicas.Add(broker);
                    usedRacks.Add(rack);
                }
            }
            assignments.Add(replicas);
        }
        return assignments;
    }

    /// <summary>The brokers by alternating racks: racks by name, brokers by id within a rack.</summary>
    public static List<int> RackAlternated(IReadOnlyList<int> sorted, IReadOnlyDictionary<int, string> racks)
    {
        var byRack = sorted
            .GroupBy(b => RackOf(b, racks), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Order().ToList())
            .ToList();
        var ordered = new List<int>(sorted.Count);
        for (var round = 0; ordered.Count < sorted.Count; round++)
        {
            foreach (var rack in byRack)
            {
                if (round < rack.Count)
                {
                    ordered.Add(rack[round]);
                }
            }
        }
        return ordered;
    }

    /// <summary>A broker's rack; "" (one unnamed rack) for a broker that declared none.</summary>
    public static string RackOf(int broker, IReadOnlyDictionary<int, string> racks)
    {
        ArgumentNullException.ThrowIfNull(racks);
        return racks.TryGetValue(broker, out var rack) ? rack : "";
    }

    /// <summary>How many distinct racks <paramref name="brokers"/> are on.</summary>
    public static int RackCount(IEnumerable<int> brokers, IReadOnlyDictionary<int, string> racks) =>
        brokers.Select(b => RackOf(b, racks)).Distinct(StringComparer.Ordinal).Count();
}
