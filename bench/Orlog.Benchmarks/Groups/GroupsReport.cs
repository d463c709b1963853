using System.Globalization;
using System.Text;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Groups;

/// <summary>The "groups" section of docs/benchmarks.md.</summary>
internal static class GroupsReport
{
    private static readonly (RebalanceMode Mode, string Label)[] _rows =
    [
        (RebalanceMode.ServerSide, "**server-side** (KIP-848), members at grain level"),
        (RebalanceMode.Sdk, "**server-side through the SDK** (9 `IConsumer.Subscribe` consumers)"),
        (RebalanceMode.ClassicCooperative, "**classic, cooperative** (KIP-429), members at grain level"),
        (RebalanceMode.ClassicEager, "**classic, eager**, members at grain level"),
    ];

    public static string Render(GroupsOptions options, GroupsResults results, string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{options.NotAResult}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        var brokerSettings = string.Join(' ', options.GroupBrokerSettings.Select(s => "--config " + s));
        text.AppendLine(invariant, $"Silo: `{brokerSettings}`, everything else at its default; client and silo on this machine. " +
            $"Median (min, max) of {options.Runs} runs{(options.Quick ? "" : ", after a warm-up run that is not counted")}.");
        if (results.Joins.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(invariant, $"Rebalance: {options.Members} members form a group on one {options.RebalancePartitions}-partition topic; then, {options.Cycles} times a run, " +
                $"a further member joins and the oldest member (not a classic group's leader) leaves: median (min, max) of {options.Runs * options.Cycles} joins and as many leaves. " +
                $"Members ask for session.timeout.ms={options.SessionTimeoutMs} and heartbeat every {options.HeartbeatIntervalMs} ms (server-side: the interval the group answers, " +
                $"a third of the session; classic: heartbeat.interval.ms), rebalance timeout {options.RebalanceTimeoutMs} ms; before each change the run waits half a heartbeat " +
                $"interval plus a random part of one. Timed from the first request of the member that joins (or the leave request) until every member holds its target, " +
                $"no partition is held twice and Describe() shows Stable with those holdings. Epochs: how far the group epoch (server-side) or the generation (classic) moved.");
            text.AppendLine();
            text.AppendLine(invariant, $"| members played as | a {Ordinal(options.Members + 1)} member joins, ms | epochs | one member leaves, ms | epochs |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var (mode, label) in _rows)
            {
                if (!results.Joins.TryGetValue(mode, out var joins))
                {
                    continue;
                }
                var leaves = results.Leaves[mode];
                text.AppendLine(invariant, $"| {label} | {Stats.Summary(Milliseconds(joins))} | {Stats.Summary(Epochs(joins))} | {Stats.Summary(Milliseconds(leaves))} | {Stats.Summary(Epochs(leaves))} |");
            }
        }
        if (results.Assigned.Count > 0 && results.Grouped.Count > 0)
        {
            var produced = results.Produced is { } p ? string.Create(invariant, $", {p.Rate.RecordsPerSecond:N0} records/s") : "";
            text.AppendLine();
            text.AppendLine(invariant, $"Throughput: {options.Records:N0} records of 100 B (null key) produced before the runs into a {options.Partitions}-partition topic " +
                $"({options.ProducerSettings}{produced}), read in every run by one consumer with Assign (every partition from the beginning) and by {options.Consumers} consumers " +
                $"in one group with Subscribe ({options.GroupConsumerSettings}), one thread each, in this process; which goes first alternates. Consumers: {options.ConsumerSettings}. " +
                $"Timed from the first record returned to the last record of the last partition to finish; the group forms before the clock starts (each consumer pauses what it is " +
                $"given until the group is Stable with every partition held, then all resume). CPU: the process' user + system time over the read (2.00 = both cores).");
            text.AppendLine();
            text.AppendLine("| readers | records/s | MB/s | client CPU, cores | silo CPU, cores |");
            text.AppendLine("|---|---|---|---|---|");
            text.AppendLine(invariant, $"| 1 consumer, Assign | {Rates(results.Assigned)} |");
            text.AppendLine(invariant, $"| {options.Consumers} consumers in one group, Subscribe | {Rates(results.Grouped)} |");
            var ratios = results.Grouped.Zip(results.Assigned, (g, a) => g.Rate.RecordsPerSecond / a.Rate.RecordsPerSecond).ToList();
            text.AppendLine(invariant, $"| **group / Assign**, run by run | {Stats.Summary(ratios, "F2")} | | | |");
        }
        return text.ToString();
    }

    private static string Rates(List<Measured> measured) =>
        $"{Stats.Summary(measured.ConvertAll(m => m.Rate.RecordsPerSecond), "N0")} | {Stats.Summary(measured.ConvertAll(m => m.Rate.MegabytesPerSecond))} | " +
        $"{Stats.Summary(measured.ConvertAll(m => m.ClientCores), "F2")} | {Stats.Summary(measured.ConvertAll(m => m.SiloCores), "F2")}";

    private static List<double> Milliseconds(List<Rebalance> values) => values.ConvertAll(v => v.Elapsed.TotalMilliseconds);

    private static List<double> Epochs(List<Rebalance> values) => values.ConvertAll(v => (double)v.Epochs);

    private static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => $"{n}th",
    };
}
