using System.Globalization;
using System.Text;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>
/// The reassignment program: how fast a partition of --mib MiB (1 GiB by default) moves to another broker, unthrottled and with
/// leader.replication.throttled.rate, and what the move costs other writers. Each throttle setting gets its own
/// 3-broker local cluster (deploy/local-cluster.sh start 3, the setting given to every broker as
/// Orlog__Defaults__leader_replication_throttled_rate). The partition (replication factor 1, filled with
/// incompressible 1 KiB records) moves from broker to broker: each round moves it once alone and once while an
/// idempotent acks=all producer writes as fast as it can to another topic (6 partitions, RF=3,
/// min.insync.replicas=2); that producer's rate during the move is compared with its rate just before, over as long
/// a window. Writes the "reassign" section of docs/benchmarks.md (a full run without --out), else --out or a temp file.
/// </summary>
internal static class ReassignLoad
{
    private const string Section = "reassign";
    private const string MovingTopic = "moving";
    private const string LoadTopic = "load";
    private const int LoadRecordBytes = 100;
    private const int Brokers = 3;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var root = MarkdownSection.RepositoryRoot();
        var siloAssembly = SiloRunner.FindSilo(root);
        Log($"{Section}: a {options.Bytes / (double)(1 << 30):F2} GiB partition, {options.Rounds} round(s) per setting; throttle {options.ThrottleBytes:N0} B/s; silo {siloAssembly}");
        var loadBefore = MachineLoad.Average();
        var settings = new List<SettingResult>();
        LocalCluster? cluster = null;
        ConsoleCancelEventHandler onCancel = (_, _) => cluster?.StopNow();
        Console.CancelKeyPress += onCancel;
        try
        {
            foreach (var throttle in new long?[] { null, options.ThrottleBytes })
            {
                var environment = new Dictionary<string, string>();
                if (throttle is { } rate)
                {
                    environment["Orlog__Defaults__leader_replication_throttled_rate"] = rate.ToString(CultureInfo.InvariantCulture);
                }
                var label = throttle is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:N0} B/s ({r / 1e6:F0} MB/s)") : "unthrottled";
                Log($"{label}: starting a 3-broker local cluster");
                cluster = await LocalCluster.StartAsync(root, siloAssembly, Brokers, environment);
                Log($"cluster up in {cluster.StartDuration.TotalSeconds:F0} s, directory {cluster.Directory}");
                settings.Add(await MeasureAsync(options, cluster, label));
                await cluster.DisposeAsync();
                cluster = null;
            }

            var text = Render(options, settings, loadBefore, MachineLoad.Average());
            Console.Out.WriteLine(text);
            var path = options.Out ?? (options.IsResult ? Path.Combine(root, "docs", "benchmarks.md") : Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md"));
            MarkdownSection.Write(path, Section, text);
            Log($"wrote {path}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (cluster is not null)
            {
                Log("stopping the cluster");
                await cluster.DisposeAsync();
            }
        }
    }

    private static async Task<SettingResult> MeasureAsync(Options options, LocalCluster cluster, string label)
    {
        var result = new SettingResult(label);
        await using var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = cluster.Bootstrap, OrleansClusterId = cluster.ClusterId, ClientId = "orlog-bench-reassign" });
        await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync();

        await ClusterRuns.CreateTopicAsync(admin, MovingTopic, 1, 1, null);
        var records = options.Bytes / options.RecordBytes;
        var fill = await ClusterRuns.ProduceAsync(client, options.FillProducer(), MovingTopic, records, options.RecordBytes, () => TimeSpan.Zero);
        Log(string.Create(CultureInfo.InvariantCulture, $"filled {MovingTopic}-0 with {records:N0} records of {options.RecordBytes} B in {fill.Elapsed.TotalSeconds:F1} s"));
        await ClusterRuns.CreateTopicAsync(admin, LoadTopic, 6, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });

        for (var round = 1; round <= options.Rounds; round++)
        {
            var alone = await ReassignMove.RunAsync(admin, cluster, MovingTopic, Brokers, options.MoveTimeout);
            result.Alone.Add(alone);
            Report(round, "alone", alone);

            await using var load = await LoadProducer.StartAsync(client, options.LoadProducer(), LoadTopic, LoadRecordBytes);
            await Task.Delay(TimeSpan.FromSeconds(2)); // past the producer's start: connections, first batches
            var before = load.Mark();
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, alone.CompleteSeconds)));
            var rateBefore = load.RateSince(before);
            var during = load.Mark();
            var loaded = await ReassignMove.RunAsync(admin, cluster, MovingTopic, Brokers, options.MoveTimeout);
            var rateDuring = load.RateSince(during);
            result.Loaded.Add(loaded);
            result.ProduceBefore.Add(rateBefore);
            result.ProduceDuring.Add(rateDuring);
            Report(round, "under load", loaded);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: the load producer: {rateBefore:N0} records/s before, {rateDuring:N0} during the move ({rateDuring / rateBefore:F2}); failed sends {load.Failed:N0}"));
            if (load.Failed > 0)
            {
                throw new InvalidOperationException($"{load.Failed} of the load producer's sends failed while {MovingTopic}-0 moved");
            }
        }
        return result;
    }

    private static void Report(int round, string what, ReassignMove move) =>
        Log(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {what}: broker {move.From} -> {move.To}, {move.Bytes / 1e6:N0} MB: in the ISR after {move.JoinSeconds:F1} s, complete after {move.CompleteSeconds:F1} s " +
            $"({move.MegabytesPerSecond:F0} MB/s), old log deleted after {move.DeletedSeconds:F1} s"));


    private static string Render(Options options, List<SettingResult> settings, string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{options.NotAResult}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        text.AppendLine(invariant, $"Reproduce: `{options.Command}`.");
        text.AppendLine(invariant, $"For each setting of leader.replication.throttled.rate, a 3-broker local cluster (`deploy/local-cluster.sh start 3`, the setting given to every broker). " +
            $"A partition with one replica is filled with {options.Bytes / (double)(1 << 30):F2} GiB of incompressible {options.RecordBytes} B records, then moved to the next broker " +
            $"(`orlog partitions reassign moving --partition 0 --replicas TO`, through the admin client), {options.Rounds} round(s) of two moves: one alone, one while an idempotent acks=all producer " +
            $"writes {LoadRecordBytes} B records as fast as it can to another topic (6 partitions, RF=3, min.insync.replicas=2; {options.LoadProducerSettings}). " +
            $"MB/s is the replica's segment bytes (10^6 B per MB) over the time from the request until the reassignment completed (the new replica in the ISR and the leader, the old one removed). " +
            $"The brokers' CPU is their processes' user + system time over the move (/proc/PID/stat). The producer's rate during the move is compared with its rate over as long a window just before it. Median (min, max) over the rounds.");
        text.AppendLine();
        text.AppendLine("| leader.replication.throttled.rate | moved, MB | alone: MB/s | alone: brokers' CPU, cores | under load: MB/s | produce before, records/s | produce during, records/s | during / before |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var setting in settings)
        {
            var ratios = setting.ProduceDuring.Zip(setting.ProduceBefore, (during, before) => during / before).ToList();
            text.AppendLine(invariant, $"| {setting.Label} | {Stats.Median(setting.Alone.Select(m => m.Bytes / 1e6).ToList()):N0} | " +
                $"{Stats.Summary(setting.Alone.Select(m => m.MegabytesPerSecond).ToList())} | {Stats.Summary(setting.Alone.Select(m => m.BrokerCores).ToList(), "F2")} | " +
                $"{Stats.Summary(setting.Loaded.Select(m => m.MegabytesPerSecond).ToList())} | {Stats.Summary(setting.ProduceBefore, "N0")} | " +
                $"{Stats.Summary(setting.ProduceDuring, "N0")} | {Stats.Summary(ratios, "F2")} |");
        }
        text.AppendLine();
        var throttled = settings.FirstOrDefault(s => s.Label != "unthrottled");
        if (throttled is not null)
        {
            var rate = Stats.Median(throttled.Alone.Select(m => m.MegabytesPerSecond).ToList());
            text.AppendLine(invariant, $"The throttled move ran at {rate / (options.ThrottleBytes / 1e6):F2} × the throttle (median, alone).");
        }
        return text.ToString();
    }

    private sealed record SettingResult(string Label)
    {
        public List<ReassignMove> Alone { get; } = [];

        public List<ReassignMove> Loaded { get; } = [];

        public List<double> ProduceBefore { get; } = [];

        public List<double> ProduceDuring { get; } = [];
    }

    private sealed class Options
    {
        public required string[] Args { get; init; }

        public bool Quick { get; private init; }

        public string? Out { get; private init; }

        public int Rounds { get; private init; }

        /// <summary>The size of the partition that moves.</summary>
        public long Bytes { get; private init; }

        public int RecordBytes { get; private init; }

        /// <summary>leader.replication.throttled.rate of the throttled cluster, bytes per second.</summary>
        public long ThrottleBytes { get; private init; }

        public TimeSpan MoveTimeout { get; private init; }

        public bool IsResult => !Quick;

        public string NotAResult => Quick ? " (quick run: not a result)" : "";

        public string Command => "dotnet run -c Release --project bench/Orlog.Benchmarks -- reassign" + string.Concat(Args.Select(a => " " + a));

        public string LoadProducerSettings => "linger.ms=5, other settings at their defaults";

        public ProducerConfig FillProducer() => new()
        {
            Acks = Acks.Leader,
            LingerMs = 10,
            BatchSize = 262_144,
            ClientId = "orlog-bench-fill",
        };

        public ProducerConfig LoadProducer() => new()
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            ClientId = "orlog-bench-load",
        };

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            var megabytes = LoadArguments.Int(args, "--mib", quick ? 128 : 1024);
            return new Options
            {
                Args = args,
                Quick = quick,
                Out = LoadArguments.String(args, "--out"),
                Rounds = LoadArguments.Int(args, "--rounds", quick ? 1 : 3),
                Bytes = megabytes * (1L << 20),
                RecordBytes = LoadArguments.Int(args, "--record-bytes", 1024),
                ThrottleBytes = LoadArguments.Int(args, "--throttle-mb", 40) * 1_000_000L,
                MoveTimeout = TimeSpan.FromSeconds(LoadArguments.Int(args, "--move-timeout-seconds", 600)),
            };
        }
    }
}
