using System.Globalization;
using System.Text;

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
            text.AppendLine(invariant, $"Rebalance: {options.Members} members on one {options.RebalancePartitions}-partition topic; members ask for session.timeout.ms={options.SessionTimeoutMs} " +
                $"and heartbeat every {options.HeartbeatIntervalMs} ms (server-side: the interval the group answers, a third of the session; classic: heartbeat.interval.ms), " +
                $"rebalance timeout {options.RebalanceTimeoutMs} ms. Time from the first request of the member that joins (or the leave request) until every member holds its target, " +
                $"no partition is held twice and Describe() shows Stable with those holdings; epochs: how far the group epoch (server-side) or generation (classic) moved.");
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
        return text.ToString();
    }

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
