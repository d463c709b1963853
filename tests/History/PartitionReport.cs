namespace Orlog.Testing;

/// <summary>One partition's counts of each anomaly, with the first few examples of each.</summary>
public sealed class PartitionReport
{
    private readonly long[] _counts = new long[AnomalyKinds.All.Count];
    private readonly List<Anomaly>[] _examples = AnomalyKinds.All.Select(_ => new List<Anomaly>()).ToArray();
    private readonly int _maxExamples;

    internal PartitionReport(int partition, int maxExamples)
    {
        Partition = partition;
        _maxExamples = maxExamples;
    }

    public int Partition { get; }

    /// <summary>Sends acknowledged at this partition.</summary>
    public long Acknowledged { get; internal set; }

    /// <summary>Records the final read found in this partition.</summary>
    public long FinalRead { get; internal set; }

    /// <summary>How many records, sends or offsets show the anomaly (skipped counts the records jumped over).</summary>
    public long Count(AnomalyKind kind) => _counts[(int)kind];

    /// <summary>The first examples of the anomaly, at most the number the checker was asked for.</summary>
    public IReadOnlyList<Anomaly> Examples(AnomalyKind kind) => _examples[(int)kind];

    internal void Add(Anomaly anomaly, long count)
    {
        _counts[(int)anomaly.Kind] += count;
        var examples = _examples[(int)anomaly.Kind];
        if (examples.Count < _maxExamples)
        {
            examples.Add(anomaly);
        }
    }
}
