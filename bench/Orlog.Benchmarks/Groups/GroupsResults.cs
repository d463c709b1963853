using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Groups;

/// <summary>Everything a groups run measured, per counted run.</summary>
internal sealed class GroupsResults
{
    public Dictionary<RebalanceMode, List<Rebalance>> Joins { get; } = [];

    public Dictionary<RebalanceMode, List<Rebalance>> Leaves { get; } = [];

    /// <summary>The produce that filled the throughput topic (once, before the runs).</summary>
    public Measured? Produced { get; set; }

    public List<Measured> Assigned { get; } = [];

    public List<Measured> Grouped { get; } = [];

    public void Add(RebalanceMode mode, IEnumerable<Rebalance> joins, IEnumerable<Rebalance> leaves)
    {
        if (!Joins.TryGetValue(mode, out var joined))
        {
            Joins[mode] = joined = [];
            Leaves[mode] = [];
        }
        joined.AddRange(joins);
        Leaves[mode].AddRange(leaves);
    }
}
