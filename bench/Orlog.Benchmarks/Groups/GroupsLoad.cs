using System.Globalization;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// The consumer groups load program: starts the real silo in its own process (temporary data directory, free
/// ports, short group sessions allowed, no initial rebalance delay), then measures, over several runs: how long
/// a group of 8 members on a 64-partition topic takes to reach a stable assignment after a 9th member joins and
/// after one leaves, for server-side assignment (at grain level and through the SDK) and Kafka's classic protocol
/// (cooperative and eager, at grain level); and the read throughput of 4 consumers in one group against one
/// consumer with Assign, on the same records. Medians go to the "groups" section of docs/benchmarks.md (a full
/// run) or to a temp file (--quick). The silo is stopped and its data removed at the end.
/// </summary>
internal static class GroupsLoad
{
    private const string Section = "groups";
    private const string RebalanceTopic = "rebalance";
    private const string ThroughputTopic = "throughput";
    private const int RecordBytes = 100;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static Task<int> RunAsync(string[] args)
    {
        var options = GroupsOptions.Parse(args);
        string[] siloArguments = [.. options.GroupBrokerSettings.SelectMany(s => new[] { "--config", s }), .. options.SiloArguments];
        return SiloLoadProgram.RunAsync(Section, options.Describe(), siloArguments, options.Out, options.IsResult,
            (silo, client, admin) => MeasureAsync(options, silo, client, admin),
            (results, loadBefore, loadAfter) => GroupsReport.Render(options, results, loadBefore, loadAfter));
    }

    private static async Task<GroupsResults> MeasureAsync(GroupsOptions options, SiloRunner silo, OrlogClient client, IAdminClient admin)
    {
        var results = new GroupsResults();
        var random = new Random(17);
        await admin.CreateTopicAsync(RebalanceTopic, options.RebalancePartitions);
        RebalanceMode[] modes = [RebalanceMode.ServerSide, RebalanceMode.Sdk, RebalanceMode.ClassicCooperative, RebalanceMode.ClassicEager];
        var meter = new CpuMeter(silo);
        long[]? endOffsets = null;
        if (!options.Skips("throughput"))
        {
            await admin.CreateTopicAsync(ThroughputTopic, options.Partitions);
            results.Produced = await ClientRuns.ProduceAsync(client, options.Producer(), ThroughputTopic, options.Records, RecordBytes, meter);
            Log(string.Create(CultureInfo.InvariantCulture, $"produced {options.Records:N0} records into {options.Partitions} partitions at {results.Produced.Value.Rate.RecordsPerSecond:N0} records/s"));
            endOffsets = await GroupThroughput.EndOffsetsAsync(client, ThroughputTopic, options.Partitions);
        }

        // Run 0 warms both processes up and is not counted (a quick run has none).
        for (var run = options.Quick ? 1 : 0; run <= options.Runs; run++)
        {
            var counted = run > 0;
            Log(counted ? $"run {run} of {options.Runs}" : "run 0: warm-up, not counted");
            if (!options.Skips("rebalance"))
            {
                // The modes take turns at going first.
                for (var i = 0; i < modes.Length; i++)
                {
                    var mode = modes[(i + run) % modes.Length];
                    if (mode == RebalanceMode.Sdk && options.Skips("sdk"))
                    {
                        continue;
                    }
                    var rebalance = new RebalanceRun(client, mode, RebalanceTopic, options.RebalancePartitions, options.Members, options.Settings, random);
                    var (joins, leaves) = await rebalance.RunAsync($"rebalance-{mode}-r{run}", options.Cycles);
                    Log($"  {mode}: joins {Show(joins)}; leaves {Show(leaves)}");
                    if (counted)
                    {
                        results.Add(mode, joins, leaves);
                    }
                }
            }
            if (endOffsets is not null)
            {
                await ThroughputAsync(options, client, meter, endOffsets, run, counted ? results : new GroupsResults());
            }
        }
        return results;
    }

    /// <summary>The same records read by one consumer with Assign and by a group; which goes first alternates from run to run.</summary>
    private static async Task ThroughputAsync(GroupsOptions options, OrlogClient client, CpuMeter meter, long[] endOffsets, int run, GroupsResults results)
    {
        for (var turn = 0; turn < 2; turn++)
        {
            if ((turn + run) % 2 == 1)
            {
                var assigned = await GroupThroughput.AssignAsync(client, options.AssignConsumer(), ThroughputTopic, endOffsets, RecordBytes, meter);
                results.Assigned.Add(assigned);
                Report("1 consumer, Assign", assigned);
            }
            else
            {
                var grouped = await GroupThroughput.GroupAsync(client, i => options.GroupConsumer($"throughput-r{run}", i), ThroughputTopic, endOffsets, RecordBytes,
                    options.Consumers, meter);
                results.Grouped.Add(grouped);
                Report($"{options.Consumers} consumers in one group, Subscribe", grouped);
            }
        }
    }

    private static void Report(string what, Measured measured) =>
        Log(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {measured.Rate.RecordsPerSecond:N0} records/s, {measured.Rate.MegabytesPerSecond:F0} MB/s in {measured.Rate.Elapsed.TotalSeconds:F2} s; CPU client {measured.ClientCores:F2} cores, silo {measured.SiloCores:F2} cores"));

    private static string Show(List<Rebalance> changes) =>
        string.Join(", ", changes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Elapsed.TotalMilliseconds:F0} ms ({c.Epochs} epochs)")));

    private static void Log(string line) => Console.Error.WriteLine(line);
}
