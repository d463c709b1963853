using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// The compare program (issue #6): in one run on this machine, the same workloads on Orlog (at two durability
/// settings) and on what people would pick instead (Redis Streams, NATS JetStream, Orleans streams, PostgreSQL as a
/// reference line), beside the machine's own limits. Each peer is started in its own directory under one run
/// directory, measured for every round (W1 produce + consume, W2 produce + consume, W3 produce, W4 latency, each into a
/// fresh stream), and stopped before the next starts; the run directory goes at the end, and Ctrl-C or SIGTERM stops
/// everything. A full run writes the "compare" section of docs/benchmarks.md, docs/compare.png and docs/compare.json (every
/// median, min and max, for programs); --quick or --out
/// writes to a temporary directory only.
/// </summary>
internal static class CompareLoad
{
    public const string Section = "compare";

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var options = CompareOptions.Parse(args);
        var root = MarkdownSection.RepositoryRoot();
        var runDirectory = Path.Combine(Path.GetTempPath(), "orlog-compare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(runDirectory);
        var outDirectory = options.Out ?? (options.IsResult ? Path.Combine(root, "docs") : Path.Combine(Path.GetTempPath(), "orlog-compare-out"));
        Directory.CreateDirectory(outDirectory);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Keep the process: cancelling lets every peer stop its server and the run directory be removed.
            e.Cancel = true;
            Log("interrupted: stopping the peers");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Log("SIGTERM: stopping the peers");
            stop.Cancel();
        });
        var results = new CompareResults { LoadBefore = MachineLoad.Average() };
        var clock = Stopwatch.StartNew();
        Log($"compare: peers {string.Join(",", options.Peers)}, {options.Rounds} round(s){options.NotAResult}; run directory {runDirectory}; this process pid {Environment.ProcessId}");
        try
        {
            await MeasureLimitsAsync(options, runDirectory, results, stop.Token);
            var index = 0;
            foreach (var name in options.Peers)
            {
                IReadOnlyList<IPeer> peers;
                try
                {
                    peers = Peers.Peers.Create(name);
                }
                catch (ArgumentException error)
                {
                    Log($"{name}: {error.Message}");
                    results.Peers.Add(new PeerResult(name, "") { Error = error.Message });
                    continue;
                }
                foreach (var peer in peers)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    var directory = Path.Combine(runDirectory, $"{++index}-{name}");
                    Directory.CreateDirectory(directory);
                    results.Peers.Add(await MeasurePeerAsync(peer, options, new PeerEnvironment(directory, root, Log), results, stop.Token));
                }
            }
            results.LoadAfter = MachineLoad.Average();
            results.Elapsed = clock.Elapsed;

            var chart = Path.Combine(outDirectory, "compare.png");
            CompareChart.Write(chart, results, options);
            var section = CompareReport.Render(options, results, chart, outDirectory);
            Console.Out.WriteLine(section);
            var output = Path.Combine(outDirectory, "benchmarks.md");
            MarkdownSection.Write(output, Section, section);
            var json = Path.Combine(outDirectory, "compare.json");
            CompareJson.Write(json, results);
            Log($"wrote {output}, {json} and {chart} in {clock.Elapsed.TotalSeconds:F0} s");
            var failed = results.Peers.Where(p => p.Error is not null).ToArray();
            if (failed.Length > 0)
            {
                Log($"failed: {string.Join("; ", failed.Select(p => $"{p.Name}: {p.Error}"))}");
                return 1;
            }
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log("stopped before the end: nothing written");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            RemoveRunDirectory(runDirectory);
        }
    }

    private static async Task MeasureLimitsAsync(CompareOptions options, string runDirectory, CompareResults results, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(runDirectory, "limits");
        Directory.CreateDirectory(directory);
        Log("machine limits");
        try
        {
            results.Limits = await MachineLimits.MeasureAsync(directory, options.Quick, cancellationToken);
            foreach (var limit in results.Limits)
            {
                Log(string.Create(CultureInfo.InvariantCulture, $"  {limit.Name}: {limit.Value:N1} {limit.Unit} ({limit.How})"));
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            results.LimitsError = error.Message;
            Log($"  machine limits failed: {error}");
        }
    }

    private static async Task<PeerResult> MeasurePeerAsync(IPeer peer, CompareOptions options, PeerEnvironment environment, CompareResults results, CancellationToken cancellationToken)
    {
        var result = new PeerResult(peer.Name, peer.AckPromise);
        Log($"{peer.Name}: starting in {environment.Directory}");
        try
        {
            await using (peer)
            {
                await peer.StartAsync(environment, cancellationToken);
                result.Description = peer.Description;
                // The Orleans transport's ceiling needs a silo with its no-op grain: the first Orlog silo measures it.
                if (peer is Peers.OrlogPeer orlog && !results.Limits.Any(l => l.Name == "Orleans transport ceiling"))
                {
                    var ceiling = await orlog.TransportCeilingAsync(options.Quick ? 20_000 : 1_000_000, options.Quick ? 1 : 3, cancellationToken);
                    results.Limits = [.. results.Limits, ceiling];
                    Log(string.Create(CultureInfo.InvariantCulture, $"  {ceiling.Name}: {ceiling.Value:N0} {ceiling.Unit}"));
                }
                if (peer.Supports(WorkloadKind.Produce) && peer.Supports(WorkloadKind.Consume))
                {
                    var warmUp = options.WarmUp;
                    await peer.ProduceAsync("warm-up", warmUp, new RecordGenerator(warmUp.RecordBytes), cancellationToken);
                    await peer.ConsumeAsync("warm-up", warmUp, cancellationToken);
                    Log($"  warm-up: {warmUp.TotalRecords:N0} records written and read, not counted");
                }
                for (var round = 1; round <= options.Rounds; round++)
                {
                    Log($"{peer.Name}: round {round} of {options.Rounds}");
                    foreach (var (workload, records) in new[] { (options.W1, new RecordGenerator(options.W1.RecordBytes)), (options.W2, new RecordGenerator(options.W2.RecordBytes)), (options.W3, new RecordGenerator(options.W3.RecordBytes)) })
                    {
                        var stream = $"{workload.Id.ToLowerInvariant()}-r{round}";
                        if (!peer.Supports(WorkloadKind.Produce) || !options.Runs(workload.Id))
                        {
                            continue;
                        }
                        var produced = await peer.ProduceAsync(stream, workload, records, cancellationToken);
                        Check(peer, workload, produced);
                        result.Add($"{workload.Id} produce", produced);
                        Report(peer, $"{workload.Id} produce", produced);
                        // W3 measures the write side of larger records only.
                        if (workload.Id == "W3" || !peer.Supports(WorkloadKind.Consume))
                        {
                            continue;
                        }
                        var consumed = await peer.ConsumeAsync(stream, workload, cancellationToken);
                        Check(peer, workload, consumed);
                        result.Add($"{workload.Id} consume", consumed);
                        Report(peer, $"{workload.Id} consume", consumed);
                    }
                    if (peer.Supports(WorkloadKind.Latency) && options.Runs("W4"))
                    {
                        var latency = await peer.LatencyAsync($"w4-r{round}", options.LatencyRate, options.LatencyDuration, new RecordGenerator(100), cancellationToken);
                        result.Latencies.Add(latency);
                        Log(string.Create(CultureInfo.InvariantCulture,
                            $"  W4 latency at {options.LatencyRate:N0}/s over {latency.Count:N0} records: p50 {latency.P50Ms:F2} ms, p99 {latency.P99Ms:F2} ms, p99.9 {latency.P999Ms:F2} ms"));
                    }
                }
            }
            Log($"{peer.Name}: stopped");
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            result.Error = error.Message;
            Log($"{peer.Name}: FAILED: {error}");
        }
        return result;
    }

    /// <summary>A peer's rate must count exactly the records of the workload: anything else is a lost or invented record.</summary>
    private static void Check(IPeer peer, Workload workload, Rate rate)
    {
        if (rate.Records != workload.TotalRecords)
        {
            throw new InvalidOperationException($"{peer.Name} reported {rate.Records} records for {workload.Id}, expected {workload.TotalRecords}.");
        }
    }

    private static void Report(IPeer peer, string what, Rate rate) =>
        Log(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {rate.RecordsPerSecond:N0} records/s, {rate.MegabytesPerSecond:F1} MB/s ({rate.Records:N0} records in {rate.Elapsed.TotalSeconds:F2} s)"));

    private static void RemoveRunDirectory(string runDirectory)
    {
        try
        {
            Directory.Delete(runDirectory, recursive: true);
            Log($"removed {runDirectory}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log($"could not remove {runDirectory}: {error.Message}");
        }
    }


    private static void Log(string line) => Console.Error.WriteLine(line);
}
