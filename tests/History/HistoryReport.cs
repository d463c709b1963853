using System.Globalization;
using System.Text;

namespace Orlog.Testing;

/// <summary><see cref="HistoryChecker"/>'s findings: per partition, how many of each anomaly, with examples.</summary>
public sealed class HistoryReport
{
    internal HistoryReport(HistoryTotals totals, IReadOnlyList<PartitionReport> partitions)
    {
        Totals = totals;
        Partitions = partitions;
    }

    public HistoryTotals Totals { get; }

    /// <summary>Every partition any event named, in partition order.</summary>
    public IReadOnlyList<PartitionReport> Partitions { get; }

    /// <summary>
    /// The anomalies that must never happen (<see cref="AnomalyKinds.IsError"/>): lost, duplicated,
    /// inconsistent offsets, non-monotonic polls, refused but written, phantom. Zero for a correct run.
    /// </summary>
    public long Errors => AnomalyKinds.All.Where(k => k.IsError()).Sum(Count);

    /// <summary>The anomaly's count over all partitions.</summary>
    public long Count(AnomalyKind kind) => Partitions.Sum(p => p.Count(kind));

    /// <summary>Examples of the anomaly from every partition, partition by partition.</summary>
    public IReadOnlyList<Anomaly> Examples(AnomalyKind kind) => Partitions.SelectMany(p => p.Examples(kind)).ToArray();

    /// <summary>
    /// A plain text table, a row a partition and a total row, then the totals, the error count and up to
    /// <paramref name="examplesPerKind"/> examples of each anomaly found.
    /// </summary>
    public string ToTable(int examplesPerKind = 5)
    {
        string[] headings = ["partition", "acked", "final", .. AnomalyKinds.All.Select(k => k.Label())];
        var rows = Partitions.Select(p => Row(p.Partition.ToString(CultureInfo.InvariantCulture), p.Acknowledged, p.FinalRead, p.Count)).ToList();
        rows.Add(Row("total", Partitions.Sum(p => p.Acknowledged), Partitions.Sum(p => p.FinalRead), Count));
        var widths = headings.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();

        var table = new StringBuilder();
        AppendLine(table, headings, widths);
        foreach (var row in rows)
        {
            AppendLine(table, row, widths);
        }
        table.Append(Totals).Append("; errors ").Append(Errors).AppendLine();
        foreach (var kind in AnomalyKinds.All)
        {
            foreach (var example in Examples(kind).Take(examplesPerKind))
            {
                table.Append("  ").Append(example).AppendLine();
            }
        }
        return table.ToString();
    }

    public override string ToString() => ToTable();

    private static string[] Row(string name, long acknowledged, long finalRead, Func<AnomalyKind, long> count) =>
        [name, Text(acknowledged), Text(finalRead), .. AnomalyKinds.All.Select(k => Text(count(k)))];

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static void AppendLine(StringBuilder table, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            table.Append(i == 0 ? "" : "  ").Append(cells[i].PadLeft(widths[i]));
        }
        table.AppendLine();
    }
}
