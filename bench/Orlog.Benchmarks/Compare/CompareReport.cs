using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// The "compare" section: the machine, every peer's versions, settings and what its ack promises, then one table per
/// workload (median (min, max) over the rounds, and Orlog's ratio to each peer at both durability settings), the
/// latency table, and the machine's limits with Orlog's share of each.
/// </summary>
internal static class CompareReport
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static string Render(CompareOptions options, CompareResults results, string chartPath, string outDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine(_invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC{options.NotAResult} on {Environment.ProcessorCount} cores ({CpuModel()}), " +
            $"Linux {Kernel()}, .NET {Environment.Version}; load average (1, 5, 15 min) {results.LoadBefore} before, {results.LoadAfter} after; the run took {results.Elapsed.TotalMinutes:F1} min.");
        text.AppendLine(_invariant, $"Every system ran on this machine alone, one after the other, its server on loopback with its data in a temp directory on the same disk, driven from this .NET process " +
            $"(the same record generator, the same clock). Median (min, max) of {options.Rounds} round(s) after an uncounted warm-up ({options.WarmUp.TotalRecords:N0} records written and read); MB/s counts record values only; a fresh stream per round and workload.");
        text.AppendLine();
        text.AppendLine(_invariant, $"- **W1**: {options.W1.TotalRecords:N0} records of {options.W1.RecordBytes} B, one producer into one partition, then one consumer reads them all.");
        text.AppendLine(_invariant, $"- **W2**: {options.W2.Producers} producers × {options.W2.RecordsPerProducer:N0} keyed records of {options.W2.RecordBytes} B into {options.W2.Partitions} partitions (or the closest equivalent), then {options.W2.Consumers} consumers in one group.");
        text.AppendLine(_invariant, $"- **W3**: {options.W3.TotalRecords:N0} records of {options.W3.RecordBytes} B, one producer.");
        text.AppendLine(_invariant, $"- **W4**: a steady {options.LatencyRate:N0} records/s of 100 B for {options.LatencyDuration.TotalSeconds:F0} s while one consumer reads; end-to-end latency from the send time stamped in the value to its arrival.");
        text.AppendLine();
        text.AppendLine("| system | an acknowledged write is | versions and settings |");
        text.AppendLine("|---|---|---|");
        foreach (var peer in results.Peers)
        {
            var description = peer.Error is null ? peer.Description : $"**failed**: {peer.Error}";
            text.AppendLine(_invariant, $"| {peer.Name} | {peer.AckPromise} | {Cell(description)} |");
        }
        text.AppendLine();
        text.AppendLine(_invariant, $"![W1 produce and consume, records/s]({ChartLink(options, chartPath, outDirectory)})");

        var orlog = results.Peers.Where(p => p.Name.StartsWith("Orlog", StringComparison.Ordinal) && p.Error is null).ToArray();
        foreach (var (key, title) in Measures(options))
        {
            var rows = results.Peers.Where(p => p.Rates.ContainsKey(key)).ToArray();
            if (rows.Length == 0)
            {
                continue;
            }
            text.AppendLine();
            text.AppendLine(_invariant, $"**{key}**: {title}");
            text.AppendLine();
            text.Append("| system | records/s | MB/s |");
            foreach (var mode in orlog)
            {
                text.Append(_invariant, $" {mode.Name} ÷ this |");
            }
            text.AppendLine();
            text.AppendLine("|---|---|---|" + string.Concat(orlog.Select(_ => "---|")));
            foreach (var peer in rows)
            {
                var rates = peer.Rates[key];
                text.Append(_invariant, $"| {peer.Name} | {Stats.Summary(rates.Select(r => r.RecordsPerSecond).ToList(), "N0")} | {Stats.Summary(rates.Select(r => r.MegabytesPerSecond).ToList(), "F1")} |");
                foreach (var mode in orlog)
                {
                    text.Append(_invariant, $" {Ratio(mode.MedianRecordsPerSecond(key), peer.MedianRecordsPerSecond(key))} |");
                }
                text.AppendLine();
            }
        }

        var latencies = results.Peers.Where(p => p.Latencies.Count > 0).ToArray();
        if (latencies.Length > 0)
        {
            text.AppendLine();
            text.AppendLine(_invariant, $"**W4 latency**: {options.LatencyRate:N0} records/s for {options.LatencyDuration.TotalSeconds:F0} s, end to end, in ms (lower is better; the ratio is Orlog's p99 ÷ this system's p99)");
            text.AppendLine();
            text.Append("| system | p50, ms | p99, ms | p99.9, ms |");
            foreach (var mode in orlog)
            {
                text.Append(_invariant, $" {mode.Name} p99 ÷ this |");
            }
            text.AppendLine();
            text.AppendLine("|---|---|---|---|" + string.Concat(orlog.Select(_ => "---|")));
            foreach (var peer in latencies)
            {
                var l = peer.Latencies;
                text.Append(_invariant, $"| {peer.Name} | {Stats.Summary(l.Select(x => x.P50Ms).ToList(), "F2")} | {Stats.Summary(l.Select(x => x.P99Ms).ToList(), "F2")} | {Stats.Summary(l.Select(x => x.P999Ms).ToList(), "F2")} |");
                foreach (var mode in orlog)
                {
                    text.Append(_invariant, $" {Ratio(MedianP99(mode), MedianP99(peer))} |");
                }
                text.AppendLine();
            }
        }

        text.AppendLine();
        text.AppendLine("**The machine's limits** (measured in the same run; the disk is the one the peers wrote to):");
        text.AppendLine();
        if (results.LimitsError is not null)
        {
            text.AppendLine(_invariant, $"Measuring them failed: {Cell(results.LimitsError)}");
        }
        else if (results.Limits.Count == 0)
        {
            text.AppendLine("None were measured.");
        }
        else
        {
            text.Append("| limit | value | how | Orlog compared |");
            foreach (var mode in orlog)
            {
                text.Append(_invariant, $" {mode.Name} |");
            }
            text.AppendLine();
            text.AppendLine("|---|---|---|---|" + string.Concat(orlog.Select(_ => "---|")));
            foreach (var limit in results.Limits)
            {
                var (compared, share) = Against(limit);
                text.Append(_invariant, $"| {limit.Name} | {limit.Value:N1} {limit.Unit} | {Cell(limit.How)} | {compared} |");
                foreach (var mode in orlog)
                {
                    text.Append(_invariant, $" {share(mode)} |");
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    /// <summary>The throughput measures in the order of the report, with what each is.</summary>
    public static IEnumerable<(string Key, string Title)> Measures(CompareOptions options)
    {
        yield return ("W1 produce", string.Create(_invariant, $"{options.W1.TotalRecords:N0} × {options.W1.RecordBytes} B, one producer, one partition, timed until every write is acknowledged"));
        yield return ("W1 consume", string.Create(_invariant, $"the same {options.W1.TotalRecords:N0} records read by one consumer"));
        yield return ("W2 produce", string.Create(_invariant, $"{options.W2.Producers} producers × {options.W2.RecordsPerProducer:N0} keyed × {options.W2.RecordBytes} B, {options.W2.Partitions} partitions"));
        yield return ("W2 consume", string.Create(_invariant, $"{options.W2.TotalRecords:N0} records read by {options.W2.Consumers} consumers in one group"));
        yield return ("W3 produce", string.Create(_invariant, $"{options.W3.TotalRecords:N0} × {options.W3.RecordBytes} B, one producer"));
    }

    /// <summary>What Orlog is set against a limit, by its unit: bandwidths against Orlog's best produce MB/s, fsyncs/s against W1's records/s (records per fsync).</summary>
    private static (string Compared, Func<PeerResult, string> Share) Against(MachineLimit limit)
    {
        const string produce = "best produce MB/s (W1, W2, W3) ÷ limit";
        return limit.Unit switch
        {
            "MB/s" => (produce, mode => Ratio(BestProduceMegabytes(mode), limit.Value)),
            "MiB/s" => (produce, mode => Ratio(BestProduceMegabytes(mode) * 1e6 / (1024 * 1024), limit.Value)),
            "records/s" => ("W1 produce records/s ÷ limit", mode => Ratio(mode.MedianRecordsPerSecond("W1 produce"), limit.Value)),
            "fsyncs/s" => ("W1 produce records/s ÷ fsyncs/s (records per fsync)", mode => Ratio(mode.MedianRecordsPerSecond("W1 produce"), limit.Value)),
            _ => ("-", _ => "-"),
        };
    }

    private static double? BestProduceMegabytes(PeerResult mode) =>
        new[] { "W1 produce", "W2 produce", "W3 produce" }.Select(mode.MedianMegabytesPerSecond).Where(v => v is not null).DefaultIfEmpty(null).Max();

    private static double? MedianP99(PeerResult peer) => peer.Latencies.Count > 0 ? Stats.Median(peer.Latencies.Select(l => l.P99Ms).ToList()) : null;

    private static string Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? string.Create(_invariant, $"{n / d:F2}") : "-";

    private static string ChartLink(CompareOptions options, string chartPath, string outDirectory) =>
        options.IsResult ? "compare.png" : Path.GetRelativePath(outDirectory, chartPath);

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);

    private static string Kernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
