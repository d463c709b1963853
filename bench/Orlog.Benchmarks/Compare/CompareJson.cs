using System.Text.Json;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// compare.json beside the report: one object per system, mode, workload and metric with the median, min and max
/// over the rounds, so that a program (a regression check, a chart) reads a run without parsing the Markdown.
/// </summary>
internal static class CompareJson
{
    private static readonly JsonSerializerOptions _options = new() { WriteIndented = true };

    public static void Write(string path, CompareResults results)
    {
        var rows = new List<Row>();
        foreach (var peer in results.Peers)
        {
            foreach (var (workload, rates) in peer.Rates.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                rows.Add(Summarise(peer, workload, "records/s", rates.ConvertAll(r => r.RecordsPerSecond)));
                rows.Add(Summarise(peer, workload, "MB/s", rates.ConvertAll(r => r.MegabytesPerSecond)));
            }
            if (peer.Latencies.Count > 0)
            {
                rows.Add(Summarise(peer, "W4 latency", "p50 ms", peer.Latencies.ConvertAll(l => l.P50Ms)));
                rows.Add(Summarise(peer, "W4 latency", "p99 ms", peer.Latencies.ConvertAll(l => l.P99Ms)));
                rows.Add(Summarise(peer, "W4 latency", "p99.9 ms", peer.Latencies.ConvertAll(l => l.P999Ms)));
            }
        }
        foreach (var limit in results.Limits)
        {
            rows.Add(new Row("machine", "", limit.Name, limit.Unit, limit.Value, limit.Value, limit.Value, 1));
        }
        File.WriteAllText(path, JsonSerializer.Serialize(rows, _options));
    }

    private static Row Summarise(PeerResult peer, string workload, string metric, List<double> values) =>
        new(peer.Name, peer.AckPromise, workload, metric, Stats.Median(values), values.Min(), values.Max(), values.Count);

    private sealed record Row(string System, string Mode, string Workload, string Metric, double Median, double Min, double Max, int Rounds);
}
