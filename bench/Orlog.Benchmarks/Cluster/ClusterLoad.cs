using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>
/// The cluster load program: replication on a real local cluster (deploy/local-cluster.sh start 3: three brokers and
/// their PostgreSQL, in a temporary directory). Measures, over several rounds: produce of 100-byte records into a
/// topic of 6 partitions, replication factor 3, min.insync.replicas=2, with acks=all and with acks=1, against the
/// single silo's acks=1 (one silo started as the streaming program starts it, replication factor 1); CPU per record
/// of the brokers and the client; failover (SIGKILL of the broker leading the most partitions under an idempotent
/// acks=all producer: time to the first ack on each partition it led); end-to-end latency at a paced rate with
/// acks=all. Writes the "cluster" section of docs/benchmarks.md (a full run without --out), else --out or a temp file.
/// The silo and the cluster are stopped, and their directories removed, on every exit path.
/// </summary>
internal static class ClusterLoad
{
    private const string Section = "cluster";
    private const int RecordBytes = 100;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var root = MarkdownSection.RepositoryRoot();
        var siloAssembly = SiloRunner.FindSilo(root);
        Log($"{Section}: {options.Records:N0} records of {RecordBytes} B, {options.Rounds} round(s){(options.WarmUp ? " after a warm-up round" : "")}, " +
            $"{options.Partitions} partitions; {options.Kills} kill(s) at {options.FailoverRate:N0}/s; latency {options.LatencySeconds} s at {options.LatencyRate:N0}/s; silo {siloAssembly}");
        var loadBefore = MachineLoad.Average();
        var results = new Results();

        SiloRunner? silo = null;
        LocalCluster? cluster = null;
        ConsoleCancelEventHandler onCancel = (_, _) =>
        {
            silo?.Dispose();
            cluster?.StopNow();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            // 1. The baseline: one silo, replication factor 1, acks=1.
            silo = await SiloRunner.StartAsync(siloAssembly, [], TimeSpan.FromSeconds(90));
            Log($"single silo pid {silo.ProcessId} on {silo.Bootstrap}; this process pid {Environment.ProcessId}");
            await using (var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = silo.Bootstrap, ClientId = "orlog-bench" }))
            await using (var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync())
            {
                var pid = silo.ProcessId;
                foreach (var round in options.RoundNumbers)
                {
                    var topic = $"single-r{round}";
                    await ClusterRuns.CreateTopicAsync(admin, topic, options.Partitions, -1, null);
                    var measured = await ClusterRuns.ProduceAsync(client, options.Producer(Acks.Leader), topic, options.RecordsOf(round), RecordBytes, () => LocalCluster.CpuTime([pid]));
                    Report(round, "single silo, RF=1, acks=1", measured);
                    if (round > 0)
                    {
                        results.Single.Add(measured);
                    }
                    await admin.DeleteTopicAsync(topic);
                }
            }
            silo.Dispose();
            silo = null;

            // 2. The cluster.
            Log("starting a 3-broker local cluster (deploy/local-cluster.sh start 3)");
            cluster = await LocalCluster.StartAsync(root, siloAssembly, 3);
            results.ClusterStart = cluster.StartDuration;
            Log($"cluster up in {cluster.StartDuration.TotalSeconds:F0} s: {cluster.Bootstrap} (cluster id {cluster.ClusterId}), directory {cluster.Directory}");
            // ORLOG_BENCH_CLIENT_DEBUG=1: the cluster client's own log (Orlog at Debug, the rest at Warning) on stderr, to read a slow failover.
            using var clientLog = Environment.GetEnvironmentVariable("ORLOG_BENCH_CLIENT_DEBUG") == "1"
                ? LoggerFactory.Create(logging => logging
                    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; console.UseUtcTimestamp = true; })
                    .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
                    .SetMinimumLevel(LogLevel.Warning).AddFilter("Orlog", LogLevel.Debug))
                : null;
            await using (var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = cluster.Bootstrap, OrleansClusterId = cluster.ClusterId, ClientId = "orlog-bench" }, clientLog))
            await using (var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync())
            {
                var replicated = new Dictionary<string, string> { ["min.insync.replicas"] = "2" };
                foreach (var round in options.RoundNumbers)
                {
                    // acks=all and acks=1 alternate in order from round to round.
                    var order = round % 2 == 1 ? new[] { Acks.All, Acks.Leader } : new[] { Acks.Leader, Acks.All };
                    foreach (var acks in order)
                    {
                        var name = acks == Acks.All ? "acks=all" : "acks=1";
                        var topic = $"cluster-{(acks == Acks.All ? "all" : "one")}-r{round}";
                        await ClusterRuns.CreateTopicAsync(admin, topic, options.Partitions, 3, replicated);
                        var pids = (await cluster.StatusAsync()).Select(b => int.Parse(b.Pid, CultureInfo.InvariantCulture)).ToArray();
                        var measured = await ClusterRuns.ProduceAsync(client, options.Producer(acks), topic, options.RecordsOf(round), RecordBytes, () => LocalCluster.CpuTime(pids));
                        Report(round, $"3 brokers, RF=3, {name}", measured);
                        if (round > 0)
                        {
                            (acks == Acks.All ? results.AcksAll : results.AcksOne).Add(measured);
                        }
                        await admin.DeleteTopicAsync(topic);
                    }
                }

                if (options.LatencySeconds > 0)
                {
                    for (var round = 1; round <= options.Rounds; round++)
                    {
                        // Each round measures the replicated topic and, on the same brokers, an unreplicated one
                        // (RF=1, acks=1), alternating which goes first: the difference is replication's share.
                        var kinds = options.LatencyReplicationFactor == 1 ? [false] : round % 2 == 1 ? new[] { true, false } : [false, true];
                        foreach (var replicatedRun in kinds)
                        {
                            var factor = replicatedRun ? options.LatencyReplicationFactor : (short)1;
                            var topic = $"latency-rf{factor}-r{round}";
                            await ClusterRuns.CreateTopicAsync(admin, topic, options.Partitions, factor, factor >= 2 ? replicated : null);
                            var latency = await LatencyRun.RunAsync(client, options.LatencyProducer(replicatedRun), options.Consumer(), topic, options.LatencyRate,
                                TimeSpan.FromSeconds(options.LatencyWarmupSeconds), TimeSpan.FromSeconds(options.LatencySeconds), RecordBytes, options.Partitions);
                            (replicatedRun || options.LatencyReplicationFactor == 1 ? results.Latencies : results.LatencyBaseline).Add(latency);
                            Log(string.Create(CultureInfo.InvariantCulture,
                                $"round {round}: latency RF={factor} at {latency.RecordsPerSecond:N0}/s over {latency.Records:N0} records: p50 {latency.P50:F2} ms, p99 {latency.P99:F2} ms, p99.9 {latency.P999:F2} ms, max {latency.Max:F2} ms"));
                            await admin.DeleteTopicAsync(topic);
                        }
                    }
                }

                if (options.Kills > 0)
                {
                    const string topic = "failover";
                    await ClusterRuns.CreateTopicAsync(admin, topic, options.Partitions, 3, replicated);
                    Log($"failover: {options.Kills} kill(s), producer at {options.FailoverRate:N0} records/s");
                    results.Failover = await FailoverRun.RunAsync(client, admin, cluster, topic, options.Partitions, options.Kills, options.FailoverRate, RecordBytes,
                        options.FailoverProducer(), TimeSpan.FromSeconds(options.AckTimeoutSeconds), Log);
                }
            }

            var text = Render(options, results, loadBefore, MachineLoad.Average());
            Console.Out.WriteLine(text);
            var path = options.Out ?? (options.IsResult ? Path.Combine(root, "docs", "benchmarks.md") : Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md"));
            MarkdownSection.Write(path, Section, text);
            Log($"wrote {path}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            silo?.Dispose();
            if (cluster is not null)
            {
                Log("stopping the cluster");
                await cluster.DisposeAsync();
            }
        }
    }

    private static void Report(int round, string what, Throughput measured) =>
        Log(string.Create(CultureInfo.InvariantCulture,
            $"round {round}{(round == 0 ? " (warm-up)" : "")}: {what}: {measured.RecordsPerSecond:N0} records/s in {measured.Elapsed.TotalSeconds:F2} s; " +
            $"CPU {measured.CpuMicrosPerRecord:F2} µs/record (client {measured.ClientCores:F2} cores, brokers {measured.BrokerCores:F2} cores)"));


    private static string Render(Options options, Results results, string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{options.NotAResult}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        text.AppendLine(invariant, $"Reproduce: `{options.Command}`.");
        text.AppendLine(invariant, $"A 3-broker local cluster (`deploy/local-cluster.sh start 3`: three silo processes and their PostgreSQL, started in {results.ClusterStart.TotalSeconds:F0} s), " +
            $"client and brokers on this machine. Topics of {options.Partitions} partitions, replication factor 3, min.insync.replicas=2. " +
            $"Baseline: one silo started as the streaming program starts it, replication factor 1.");
        text.AppendLine();

        text.AppendLine(invariant, $"Produce: {options.Records:N0} records of {RecordBytes} B (null key) per measurement, median (min, max) of {options.Rounds} round(s){(options.WarmUp ? " after a warm-up round that is not counted" : "")}; " +
            $"producer {options.ProducerSettings}, one thread calling Produce with a delivery handler, timed until Flush returns. " +
            $"CPU is user + system time of the broker processes (/proc/PID/stat) and of the client process over the measurement, per record.");
        text.AppendLine();
        text.AppendLine("| measure | records/s | MB/s | CPU, µs/record | client CPU, cores | broker CPU, cores |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var (label, list) in new[] { ("single silo, RF=1, acks=1", results.Single), ("3 brokers, RF=3, acks=1", results.AcksOne), ("3 brokers, RF=3, acks=all (idempotent)", results.AcksAll) })
        {
            if (list.Count == 0)
            {
                continue;
            }
            text.AppendLine(invariant, $"| {label} | {Stats.Summary(list.Select(m => m.RecordsPerSecond).ToList(), "N0")} | {Stats.Summary(list.Select(m => m.RecordsPerSecond * RecordBytes / 1e6).ToList())} | " +
                $"{Stats.Summary(list.Select(m => m.CpuMicrosPerRecord).ToList(), "F2")} | {Stats.Summary(list.Select(m => m.ClientCores).ToList(), "F2")} | {Stats.Summary(list.Select(m => m.BrokerCores).ToList(), "F2")} |");
        }
        text.AppendLine();

        var goals = new List<(string Goal, string Measured, bool? Met)>();
        if (results.AcksAll.Count > 0 && results.AcksOne.Count > 0)
        {
            var ratio = Stats.Median(results.AcksAll.Select(m => m.RecordsPerSecond).ToList()) / Stats.Median(results.AcksOne.Select(m => m.RecordsPerSecond).ToList());
            goals.Add(("produce RF=3: acks=all / acks=1 ≥ 0.5 (medians)", ratio.ToString("F2", invariant), ratio >= 0.5));
        }
        if (results.AcksOne.Count > 0 && results.Single.Count > 0)
        {
            var ratio = Stats.Median(results.AcksOne.Select(m => m.RecordsPerSecond).ToList()) / Stats.Median(results.Single.Select(m => m.RecordsPerSecond).ToList());
            goals.Add(("produce acks=1: RF=3 on 3 brokers / single silo ≥ 0.5 (medians)", ratio.ToString("F2", invariant), ratio >= 0.5));
        }

        if (results.Failover is { } failover)
        {
            var samples = failover.Samples();
            text.AppendLine(invariant, $"Failover: an idempotent acks=all producer ({options.FailoverProducerSettings}) writes {options.FailoverRate:N0} records/s round robin over the partitions " +
                $"(kept {failover.RecordsPerSecond:N0}/s); {failover.Kills.Count} time(s) the broker leading the most partitions is killed with SIGKILL (`local-cluster.sh kill ID`), " +
                $"then restarted (`restart ID`) and the ISRs let fill before the next kill. Measured per partition the killed broker led: from the moment the broker's process is seen gone " +
                $"(/proc/PID polled every millisecond while the script kills it) to the first acknowledgement of a record sent after that moment. The restart begins when every such partition has an ack or after {options.AckTimeoutSeconds} s; a partition still without one is watched until the ISRs are full again, " +
                $"its ack then marked \"after the restart\" (a partition with none at all counts as the time it was watched). " +
                $"Records sent {failover.Produced:N0}, acknowledged {failover.Acked:N0}, failed {failover.Failed:N0}{(failover.FirstError is null ? "" : $" (first error: {failover.FirstError})")}.");
            text.AppendLine();
            text.AppendLine("| kill | broker | partitions it led | kill → first ack, s | restart, s | restart → full ISR, s |");
            text.AppendLine("|---|---|---|---|---|---|");
            for (var i = 0; i < failover.Kills.Count; i++)
            {
                var kill = failover.Kills[i];
                text.AppendLine(invariant, $"| {i + 1} | {kill.Broker} | {string.Join(", ", kill.Partitions)} | " +
                    $"{kill.Describe()} | {kill.RestartSeconds:F1} | {kill.IsrSeconds:F1} |");
            }
            text.AppendLine();
            if (samples.Count > 0)
            {
                var median = Stats.Median(samples);
                var max = samples.Max();
                text.AppendLine(invariant, $"Kill → first ack over {samples.Count} partition failovers: median {median:F2} s, max {max:F2} s.");
                text.AppendLine();
                goals.Add(("failover: kill → first ack, median ≤ 3 s", $"{median:F2} s", median <= 3));
                goals.Add(("failover: kill → first ack, max ≤ 5 s", $"{max:F2} s", max <= 5));
            }
        }

        if (results.Latencies.Count > 0)
        {
            var latencies = results.Latencies;
            text.AppendLine(invariant, $"End-to-end latency: produce call to Consume returning the record (one process, monotonic clock stamped into the value), " +
                $"{options.LatencyRate:N0} records/s for {options.LatencySeconds} s after {options.LatencyWarmupSeconds} s of warm-up, {options.Partitions} partitions, consumer assigned to all of them; " +
                $"median (min, max) of {latencies.Count} round(s). Producer: {options.LatencyProducerSettings}.");
            text.AppendLine();
            text.AppendLine("| topic | rate kept, records/s | p50, ms | p99, ms | p99.9, ms | max, ms |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var (label, list) in new[] { ($"RF={options.LatencyReplicationFactor}, acks=all", latencies), ("RF=1, acks=1, same brokers (no replication)", results.LatencyBaseline) })
            {
                if (list.Count == 0)
                {
                    continue;
                }
                text.AppendLine(invariant, $"| {label} | {Stats.Summary(list.Select(l => l.RecordsPerSecond).ToList(), "N0")} | {Stats.Summary(list.Select(l => l.P50).ToList(), "F2")} | " +
                    $"{Stats.Summary(list.Select(l => l.P99).ToList(), "F2")} | {Stats.Summary(list.Select(l => l.P999).ToList(), "F2")} | {Stats.Summary(list.Select(l => l.Max).ToList(), "F1")} |");
            }
            text.AppendLine();
            if (results.LatencyBaseline.Count > 0)
            {
                var ratio = Stats.Median(latencies.Select(l => l.P99).ToList()) / Stats.Median(results.LatencyBaseline.Select(l => l.P99).ToList());
                text.AppendLine(invariant, $"p99 with replication ÷ p99 without, same run, same brokers: {ratio:F2}.");
                text.AppendLine();
            }
            var p99 = Stats.Median(latencies.Select(l => l.P99).ToList());
            goals.Add(($"latency at {options.LatencyRate:N0}/s, RF=3, acks=all: p99 ≤ 10 ms (median of rounds)", $"{p99:F2} ms", p99 <= 10));
        }

        text.AppendLine("| goal | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var (goal, measured, met) in goals)
        {
            text.AppendLine(invariant, $"| {goal} | {measured} | {(met == true ? "yes" : "**no**")} |");
        }
        return text.ToString();
    }

    private sealed class Results
    {
        public List<Throughput> Single { get; } = [];

        public List<Throughput> AcksOne { get; } = [];

        public List<Throughput> AcksAll { get; } = [];

        public List<Latency> Latencies { get; } = [];

        /// <summary>Latency of an unreplicated topic (RF=1, acks=1) on the same brokers, measured beside each round.</summary>
        public List<Latency> LatencyBaseline { get; } = [];

        public FailoverResult? Failover { get; set; }

        public TimeSpan ClusterStart { get; set; }
    }

    private sealed class Options
    {
        public required string[] Args { get; init; }

        public bool Quick { get; private init; }

        public string? Out { get; private init; }

        public int Rounds { get; private init; }

        /// <summary>Round 0 warms the processes up (JIT tiers, connections) and is not counted; a quick run has none.</summary>
        public bool WarmUp => !Quick;

        public IEnumerable<int> RoundNumbers => Enumerable.Range(WarmUp ? 0 : 1, Rounds + (WarmUp ? 1 : 0));

        public int Records { get; private init; }

        /// <summary>The warm-up round produces a fifth of a counted round.</summary>
        public long RecordsOf(int round) => round == 0 ? Math.Max(10_000, Records / 5) : Records;

        public int Partitions { get; private init; }

        public int LingerMs { get; private init; }

        public int BatchSize { get; private init; }

        public int Kills { get; private init; }

        public int FailoverRate { get; private init; }

        public int AckTimeoutSeconds { get; private init; }

        public int LatencyRate { get; private init; }

        public int LatencySeconds { get; private init; }

        public int LatencyWarmupSeconds { get; private init; }

        public int LatencyLingerMs { get; private init; }

        /// <summary>The latency topic's replication factor: 3 normally; 1 tells the replication path's share of the latency apart from the rest.</summary>
        public short LatencyReplicationFactor { get; private init; }

        /// <summary>Whether this run may rewrite docs/benchmarks.md (when no --out is given): a full run.</summary>
        public bool IsResult => !Quick;

        public string NotAResult => Quick ? " (quick run: not a result)" : "";

        public string Command => "dotnet run -c Release --project bench/Orlog.Benchmarks -- cluster" + string.Concat(Args.Select(a => " " + a));

        public string ProducerSettings => string.Create(CultureInfo.InvariantCulture, $"linger.ms={LingerMs}, batch.size={BatchSize}, compression.type=none; acks=1 leaves idempotence off, acks=all keeps it on");

        public string FailoverProducerSettings => string.Create(CultureInfo.InvariantCulture, $"enable.idempotence=true, acks=all, linger.ms={LingerMs}, other settings at their defaults");

        public string LatencyProducerSettings => string.Create(CultureInfo.InvariantCulture, $"acks=all (idempotent; acks=1 for the unreplicated topic), linger.ms={LatencyLingerMs}, batch.size=16384 (the default)");

        public ProducerConfig Producer(Acks acks) => new()
        {
            Acks = acks,
            LingerMs = LingerMs,
            BatchSize = BatchSize,
            ClientId = "orlog-bench",
        };

        public ProducerConfig FailoverProducer() => new()
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = LingerMs,
            ClientId = "orlog-bench-failover",
        };

        public ProducerConfig LatencyProducer(bool replicated) => new()
        {
            Acks = replicated ? Acks.All : Acks.Leader,
            LingerMs = LatencyLingerMs,
            ClientId = "orlog-bench-latency",
        };

        public ConsumerConfig Consumer() => new()
        {
            ClientId = "orlog-bench-latency",
        };

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            return new Options
            {
                Args = args,
                Quick = quick,
                Out = LoadArguments.String(args, "--out"),
                Rounds = LoadArguments.Int(args, "--rounds", quick ? 1 : 3),
                Records = LoadArguments.Int(args, "--records", quick ? 100_000 : 1_000_000),
                Partitions = LoadArguments.Int(args, "--partitions", 6),
                LingerMs = LoadArguments.Int(args, "--linger-ms", 5),
                BatchSize = LoadArguments.Int(args, "--batch-size", 262_144),
                Kills = LoadArguments.Int(args, "--kills", quick ? 1 : 5),
                FailoverRate = LoadArguments.Int(args, "--failover-rate", 2_000),
                AckTimeoutSeconds = LoadArguments.Int(args, "--ack-timeout-seconds", 60),
                LatencyRate = LoadArguments.Int(args, "--latency-rate", 50_000),
                LatencySeconds = LoadArguments.Int(args, "--latency-seconds", quick ? 3 : 10),
                LatencyWarmupSeconds = LoadArguments.Int(args, "--latency-warmup-seconds", 1),
                LatencyLingerMs = LoadArguments.Int(args, "--latency-linger-ms", 5),
                LatencyReplicationFactor = (short)LoadArguments.Int(args, "--latency-replication-factor", 3),
            };
        }
    }
}
