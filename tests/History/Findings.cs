namespace Orlog.Testing;

/// <summary>The checks' findings as they gather them, a <see cref="PartitionReport"/> a partition.</summary>
internal sealed class Findings(int maxExamples)
{
    private readonly SortedDictionary<int, PartitionReport> _partitions = [];

    public PartitionReport For(int partition)
    {
        if (!_partitions.TryGetValue(partition, out var report))
        {
            report = new PartitionReport(partition, maxExamples);
            _partitions.Add(partition, report);
        }
        return report;
    }

    public void Add(AnomalyKind kind, int partition, long? offset, string? sendId, string detail, long count = 1) =>
        For(partition).Add(new Anomaly(kind, partition, offset, sendId, detail), count);

    public IReadOnlyList<PartitionReport> Partitions => _partitions.Values.ToArray();
}
