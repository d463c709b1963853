using System.Globalization;
using System.Text;
using Orlog.Client;

namespace Orlog.Benchmarks.Streaming;

/// <summary>
/// The streaming load program: starts the real silo in its own process (temporary data directory, free
/// ports), then from this process through the SDK measures, repeated over several runs: the Orleans transport
/// ceiling (the same bytes through a grain that does nothing), produce of 100-byte records with acks=1 into
/// topics of one and of several partitions, consume of them from the beginning, produce with acks=all (with and
/// without flush.messages=1), and end-to-end latency at a steady rate. Medians go to the "streaming" section of
/// docs/benchmarks.md (a full run) or to a temp file (--quick). The silo is stopped and its data removed at the end.
/// </summary>
internal static class StreamingLoad
{
    private const string Section = "streaming";
    private const int RecordBytes = 100;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var description = $"{options.Records:N0} records of {RecordBytes} B, {options.Runs} runs, 1 and {options.Partitions} partitions, " +
            $"latency {options.LatencySeconds} s at {options.LatencyRate:N0}/s";
        return SiloLoadProgram.RunAsync(Section, description, options.SiloArguments, options.Out, options.IsResult,
            (silo, client, admin) => MeasureAsync(options, silo, client, admin),
            (results, loadBefore, loadAfter) => Render(options, results, loadBefore, loadAfter));
    }

    private static async Task<Results> MeasureAsync(Options options, SiloRunner silo, OrlogClient client, IAdminClient admin)
    {
        var meter = new CpuMeter(silo);
        var grains = client.GrainFactory ?? throw new InvalidOperationException("The client has no grain factory.");
        var ceilings = options.CallSizes.Select(size => new TransportCeiling(grains, size, options.Records, RecordBytes)).ToArray();
        var results = new Results(options);

        // Run 0 warms both processes up and is not counted: the JIT's tiers and PGO, Orleans' connections and
        // buffers. The silo in particular keeps compiling (tier-1) for several seconds after its first traffic.
        for (var run = 0; run <= options.Runs; run++)
        {
            var counted = run > 0;
            var sink = counted ? results : new Results(options);
            Log(counted ? $"run {run} of {options.Runs}" : "run 0: warm-up, not counted");
            // The transport ceiling and Orlog's produce alternate in order from run to run.
            if (run % 2 == 1 && !options.Skips("ceiling"))
            {
                await CeilingsAsync(ceilings, sink);
            }
            foreach (var partitions in options.PartitionCounts)
            {
                var topic = $"produce-{partitions}p-r{run}";
                await CreateTopicAsync(admin, topic, partitions);
                var produced = await ClientRuns.ProduceAsync(client, options.Producer(Acks.Leader), topic, options.Records, RecordBytes, meter);
                sink.Add($"produce acks=1|{partitions}", produced);
                Report($"produce acks=1, {partitions} partition(s)", produced);
                if (partitions == 1)
                {
                    var batchTopic = $"produce-by-batch-r{run}";
                    await CreateTopicAsync(admin, batchTopic, 1);
                    var byBatch = await ClientRuns.ProduceAsync(client, options.Producer(Acks.Leader), batchTopic, options.Records, RecordBytes, meter, reportEach: false);
                    sink.Add($"produce acks=1 by batch|{partitions}", byBatch);
                    Report("produce acks=1, counted by batch, 1 partition", byBatch);
                    await admin.DeleteTopicAsync(batchTopic);
                }
                if (options.Skips("consume"))
                {
                    await admin.DeleteTopicAsync(topic);
                    continue;
                }
                var consumed = await ClientRuns.ConsumeAsync(client, options.Consumer(), topic, partitions, options.Records, RecordBytes, meter);
                sink.Add($"consume|{partitions}", consumed);
                Report($"consume, {partitions} partition(s)", consumed);
                await admin.DeleteTopicAsync(topic);
            }
            if (run % 2 == 0 && !options.Skips("ceiling"))
            {
                await CeilingsAsync(ceilings, sink);
            }
            foreach (var partitions in options.Skips("acks-all") ? Array.Empty<int>() : options.PartitionCounts)
            {
                foreach (var fsync in new[] { false, true })
                {
                    var topic = $"acks-all-{(fsync ? "fsync" : "interval")}-{partitions}p-r{run}";
                    await CreateTopicAsync(admin, topic, partitions, fsync ? new Dictionary<string, string> { ["flush.messages"] = "1" } : null);
                    var produced = await ClientRuns.ProduceAsync(client, options.Producer(Acks.All), topic, options.Records, RecordBytes, meter);
                    sink.Add($"produce acks=all{(fsync ? " fsync" : "")}|{partitions}", produced);
                    Report($"produce acks=all{(fsync ? ", flush.messages=1" : "")}, {partitions} partition(s)", produced);
                    await admin.DeleteTopicAsync(topic);
                }
            }
            if (options.LatencySeconds > 0 && !options.Skips("latency"))
            {
                var topic = $"latency-r{run}";
                await CreateTopicAsync(admin, topic, 1);
                var latency = await LatencyRun.RunAsync(client, options.LatencyProducer(), options.Consumer(), topic, options.LatencyRate,
                    TimeSpan.FromSeconds(counted ? options.LatencyWarmupSeconds : 0), TimeSpan.FromSeconds(counted ? options.LatencySeconds : Math.Min(options.LatencySeconds, 3)), RecordBytes);
                sink.Latencies.Add(latency);
                Log(string.Create(CultureInfo.InvariantCulture,
                    $"  latency at {latency.RecordsPerSecond:N0}/s over {latency.Records:N0} records: p50 {latency.P50:F2} ms, p99 {latency.P99:F2} ms, p99.9 {latency.P999:F2} ms, max {latency.Max:F2} ms"));
                await admin.DeleteTopicAsync(topic);
            }
        }
        return results;
    }

    private static async Task CeilingsAsync(TransportCeiling[] ceilings, Results results)
    {
        foreach (var ceiling in ceilings)
        {
            var rate = await ceiling.RunAsync();
            results.Ceilings[ceiling.CallBytes].Add(rate);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"  transport ceiling, {ceiling.CallBytes / 1024} KiB calls x {ceiling.Calls:N0}: {rate.RecordsPerSecond:N0} records/s, {rate.Bytes / rate.Elapsed.TotalSeconds / 1e6:F0} MB/s of batches"));
        }
    }

    private static async Task CreateTopicAsync(IAdminClient admin, string topic, int partitions, IReadOnlyDictionary<string, string>? configs = null)
    {
        await admin.CreateTopicAsync(topic, partitions, configs: configs);
    }

    private static void Report(string what, Measured measured) =>
        Log(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {measured.Rate.RecordsPerSecond:N0} records/s, {measured.Rate.MegabytesPerSecond:F0} MB/s in {measured.Rate.Elapsed.TotalSeconds:F2} s; CPU client {measured.ClientCores:F2} cores, silo {measured.SiloCores:F2} cores; client GCs gen0 {measured.ClientGen0}, gen2 {measured.ClientGen2}"));

    private static void Log(string line) => Console.Error.WriteLine(line);

    private static string Render(Options options, Results results, string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{options.NotAResult}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        text.AppendLine(invariant, $"{options.Records:N0} records of {RecordBytes} B (null key, no headers) per measurement, client and silo on this machine, median (min, max) of {options.Runs} runs. " +
            $"MB/s counts record values (records/s x {RecordBytes} B). CPU is the process' user + system time over the measurement's wall time (2.00 = both cores).");
        text.AppendLine(invariant, $"Producer: {options.ProducerSettings}, compression.type=none, null keys (the sticky partitioner spreads batches over partitions); acks=1 leaves idempotence off (Kafka 3's rule), acks=all keeps it on; " +
            $"one thread calling Produce with a new message and a delivery handler per record (or, where the row says so, one message reused and a batch delivery handler), timed until Flush returns (every record acknowledged). " +
            $"Consumer: {options.ConsumerSettings}; assigned from the beginning, values as byte[].");
        text.AppendLine();
        text.AppendLine("| measure | partitions | records/s | MB/s | client CPU, cores | silo CPU, cores | target |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (size, rates) in results.Ceilings.Where(c => c.Value.Count > 0))
        {
            text.AppendLine(invariant, $"| transport ceiling: {size / 1024} KiB calls to a no-op grain, {TransportCeiling.InFlight} in flight | - | {Stats.Summary(rates.Select(r => r.RecordsPerSecond).ToList(), "N0")} | " +
                $"{Stats.Summary(rates.Select(r => r.MegabytesPerSecond).ToList())} | | | |");
        }
        var rows = new (string Key, string Label, string Target)[]
        {
            ("produce acks=1", "**produce**, acks=1", "≥ 1,000,000"),
            ("produce acks=1 by batch", "produce, acks=1, one message object reused and no report per record (the batch delivery handler counts)", ""),
            ("consume", "**consume** from the beginning", "≥ 2,000,000"),
            ("produce acks=all", "produce, acks=all (idempotent), flush.ms=1000", ""),
            ("produce acks=all fsync", "produce, acks=all (idempotent), **flush.messages=1** (fsync before the ack)", ""),
        };
        foreach (var (key, label, target) in rows)
        {
            foreach (var partitions in options.PartitionCounts)
            {
                if (!results.Runs.TryGetValue($"{key}|{partitions}", out var measured))
                {
                    continue;
                }
                text.AppendLine(invariant, $"| {label} | {partitions} | {Stats.Summary(measured.Select(m => m.Rate.RecordsPerSecond).ToList(), "N0")} | {Stats.Summary(measured.Select(m => m.Rate.MegabytesPerSecond).ToList())} | " +
                    $"{Stats.Summary(measured.Select(m => m.ClientCores).ToList(), "F2")} | {Stats.Summary(measured.Select(m => m.SiloCores).ToList(), "F2")} | {target} |");
            }
        }
        if (results.Latencies.Count > 0)
        {
            var latencies = results.Latencies;
            text.AppendLine();
            text.AppendLine(invariant, $"End-to-end latency, produce call to Consume returning the record (one process, monotonic clock stamped into the value), " +
                $"{options.LatencyRate:N0} records/s for {options.LatencySeconds} s after {options.LatencyWarmupSeconds} s of warm-up, 1 partition. Producer: {options.LatencyProducerSettings}.");
            text.AppendLine();
            text.AppendLine("| rate kept, records/s | p50, ms | p99, ms | p99.9, ms | max, ms | target |");
            text.AppendLine("|---|---|---|---|---|---|");
            text.AppendLine(invariant, $"| {Stats.Summary(latencies.Select(l => l.RecordsPerSecond).ToList(), "N0")} | {Stats.Summary(latencies.Select(l => l.P50).ToList(), "F2")} | " +
                $"{Stats.Summary(latencies.Select(l => l.P99).ToList(), "F2")} | {Stats.Summary(latencies.Select(l => l.P999).ToList(), "F2")} | {Stats.Summary(latencies.Select(l => l.Max).ToList(), "F1")} | p99 ≤ 10 |");
        }
        return text.ToString();
    }

    private sealed class Results(Options options)
    {
        public SortedDictionary<int, List<Rate>> Ceilings { get; } = new(options.CallSizes.ToDictionary(size => size, _ => new List<Rate>()));

        public Dictionary<string, List<Measured>> Runs { get; } = [];

        public List<Latency> Latencies { get; } = [];

        public void Add(string key, Measured measured)
        {
            if (!Runs.TryGetValue(key, out var list))
            {
                Runs[key] = list = [];
            }
            list.Add(measured);
        }
    }

    private sealed class Options
    {
        public bool Quick { get; private init; }

        public string? Out { get; private init; }

        public int Runs { get; private init; }

        public long Records { get; private init; }

        public int Partitions { get; private init; }

        public int[] PartitionCounts => [1, Partitions];

        public int[] CallSizes { get; } = [16 * 1024, 256 * 1024];

        public int LingerMs { get; private init; }

        public int BatchSize { get; private init; }

        public int MaxPartitionFetchBytes { get; private init; }

        public int LatencyRate { get; private init; }

        public int LatencySeconds { get; private init; }

        public int LatencyWarmupSeconds { get; private init; }

        public int LatencyLingerMs { get; private init; }

        public string[] SiloArguments { get; private init; } = [];

        /// <summary>Parts left out (--skip ceiling,consume,acks-all,latency): for profiling one part, never in a result.</summary>
        public string[] Skipped { get; private init; } = [];

        public bool Skips(string part) => Skipped.Contains(part);

        /// <summary>Whether this run may rewrite docs/benchmarks.md: a full run of every part.</summary>
        public bool IsResult => !Quick && Skipped.Length == 0;

        public string NotAResult => Quick ? " (quick run: not a result)" : Skipped.Length > 0 ? $" (partial run, --skip {string.Join(',', Skipped)}: not a result)" : "";

        public string ProducerSettings => string.Create(CultureInfo.InvariantCulture, $"linger.ms={LingerMs}, batch.size={BatchSize}");

        public string ConsumerSettings => string.Create(CultureInfo.InvariantCulture, $"max.partition.fetch.bytes={MaxPartitionFetchBytes}, other settings at their defaults");

        public string LatencyProducerSettings => string.Create(CultureInfo.InvariantCulture, $"acks=1, linger.ms={LatencyLingerMs}, batch.size=16384 (the default)");

        public ProducerConfig Producer(Acks acks) => new()
        {
            Acks = acks,
            LingerMs = LingerMs,
            BatchSize = BatchSize,
            ClientId = "orlog-bench",
        };

        public ProducerConfig LatencyProducer() => new()
        {
            Acks = Acks.Leader,
            LingerMs = LatencyLingerMs,
            ClientId = "orlog-bench-latency",
        };

        public ConsumerConfig Consumer() => new()
        {
            MaxPartitionFetchBytes = MaxPartitionFetchBytes,
            ClientId = "orlog-bench",
        };

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            return new Options
            {
                Quick = quick,
                Out = LoadArguments.String(args, "--out"),
                Runs = LoadArguments.Int(args, "--runs", quick ? 3 : 5),
                Records = LoadArguments.Int(args, "--records", quick ? 20_000 : 1_000_000),
                Partitions = LoadArguments.Int(args, "--partitions", 4),
                LingerMs = LoadArguments.Int(args, "--linger-ms", 5),
                BatchSize = LoadArguments.Int(args, "--batch-size", 262_144),
                MaxPartitionFetchBytes = LoadArguments.Int(args, "--max-partition-fetch-bytes", 1_048_576),
                LatencyRate = LoadArguments.Int(args, "--latency-rate", 100_000),
                LatencySeconds = LoadArguments.Int(args, "--latency-seconds", quick ? 1 : 10),
                LatencyWarmupSeconds = LoadArguments.Int(args, "--latency-warmup-seconds", quick ? 0 : 1),
                LatencyLingerMs = LoadArguments.Int(args, "--latency-linger-ms", 5),
                Skipped = LoadArguments.String(args, "--skip")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                SiloArguments = [.. args.Where(a => a.StartsWith("--silo:", StringComparison.Ordinal)).Select(a => "--" + a["--silo:".Length..])],
            };
        }
    }
}
