using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks.Cli;

/// <summary>
/// The cli load program: the built `orlog` tool beside the SDK in one run, against the real silo. A file of lines
/// of 100 bytes is written once; every run produces it with `orlog produce --file` (a new process, timed from its
/// start to its exit, as a user times it) and the same number of 100-byte records through the SDK with the CLI's
/// producer settings, then reads each topic back: `orlog consume ... > file` against the SDK's consumer. Which goes
/// first alternates from run to run. Medians and the CLI ÷ SDK ratios go to the "cli" section of docs/benchmarks.md
/// (a full run) or to a temp file (--quick).
/// </summary>
internal static class CliLoad
{
    private const string Section = "cli";
    private const int RecordBytes = 100;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var cli = FindCli(options.Quick);
        var description = $"{options.Records:N0} lines of {RecordBytes} B, {options.Runs} runs; cli {cli}";
        return SiloLoadProgram.RunAsync(Section, description, [], options.Out, !options.Quick,
            (silo, client, admin) => MeasureAsync(options, cli, silo, client, admin),
            (results, loadBefore, loadAfter) => Render(options, results, loadBefore, loadAfter));
    }

    /// <summary>
    /// The built tool, as the README's commands leave it: src/Cli in Release (a result), else in Debug (what the test
    /// suite builds; fine for a quick run).
    /// </summary>
    private static string FindCli(bool quick)
    {
        var root = MarkdownSection.RepositoryRoot();
        foreach (var configuration in quick ? new[] { "Release", "Debug" } : ["Release"])
        {
            var built = Path.Combine(root, "src", "Cli", "bin", configuration, "net10.0", "orlog.dll");
            if (File.Exists(built))
            {
                return built;
            }
        }
        throw new FileNotFoundException("The CLI is not built: dotnet build -c Release src/Cli first.");
    }

    private static async Task<Results> MeasureAsync(Options options, string cli, SiloRunner silo, OrlogClient client, IAdminClient admin)
    {
        var work = Path.Combine(Path.GetTempPath(), "orlog-cli-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var lines = Path.Combine(work, "lines.txt");
            await WriteLinesAsync(lines, options.Records);
            var results = new Results();
            var meter = new CpuMeter(silo);
            // Run 0 warms the silo up (JIT tiers, its buffers) and is not counted.
            for (var run = 0; run <= options.Runs; run++)
            {
                var sink = run > 0 ? results : new Results();
                Log(run > 0 ? $"run {run} of {options.Runs}" : "run 0: warm-up, not counted");
                var steps = new Func<Task>[]
                {
                    () => CliRunAsync(options, cli, silo, admin, lines, work, run, sink),
                    () => SdkRunAsync(options, client, admin, meter, run, sink),
                };
                foreach (var step in run % 2 == 0 ? steps : steps.Reverse())
                {
                    await step();
                }
            }
            return results;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task CliRunAsync(Options options, string cli, SiloRunner silo, IAdminClient admin, string lines, string work, int run, Results sink)
    {
        var topic = $"cli-r{run}";
        await admin.CreateTopicAsync(topic, 1);
        var produced = await TimeAsync(cli, ["produce", topic, "--file", lines, "--bootstrap", silo.Bootstrap], null);
        sink.Add("cli produce", produced);
        Report("orlog produce --file", produced);
        var output = Path.Combine(work, "out.txt");
        var consumed = await TimeAsync(cli, ["consume", topic, "--partition", "0", "--offset", "0", "--max-messages",
            options.Records.ToString(CultureInfo.InvariantCulture), "--bootstrap", silo.Bootstrap], output);
        var written = new FileInfo(output).Length;
        File.Delete(output);
        if (written != options.Records * (RecordBytes + 1))
        {
            throw new InvalidOperationException($"orlog consume wrote {written} bytes, expected {options.Records * (RecordBytes + 1)} ({options.Records} lines).");
        }
        sink.Add("cli consume", consumed);
        Report("orlog consume > file", consumed);
        await admin.DeleteTopicAsync(topic);
    }

    private static async Task SdkRunAsync(Options options, OrlogClient client, IAdminClient admin, CpuMeter meter, int run, Results sink)
    {
        foreach (var reportEach in new[] { true, false })
        {
            var topic = $"sdk-{(reportEach ? "each" : "batch")}-r{run}";
            await admin.CreateTopicAsync(topic, 1);
            var produced = (await ClientRuns.ProduceAsync(client, options.Producer(), topic, options.Records, RecordBytes, meter, reportEach)).Rate;
            sink.Add(reportEach ? "sdk produce" : "sdk produce by batch", produced);
            Report(reportEach ? "SDK produce, a delivery handler per record" : "SDK produce, counted by batch", produced);
            if (reportEach)
            {
                var consumed = (await ClientRuns.ConsumeAsync(client, new ConsumerConfig { ClientId = "orlog-bench" }, topic, 1, options.Records, RecordBytes, meter)).Rate;
                sink.Add("sdk consume", consumed);
                Report("SDK consume", consumed);
            }
            await admin.DeleteTopicAsync(topic);
        }
    }

    /// <summary>Runs the CLI to its exit, timed from its start; its stdout goes to <paramref name="stdoutFile"/> (through the shell, as a user's redirection) or is dropped.</summary>
    private static async Task<Rate> TimeAsync(string cli, string[] arguments, string? stdoutFile)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" > \"$OUT\"");
        start.ArgumentList.Add("orlog");
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OUT"] = stdoutFile ?? "/dev/null";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orlog {string.Join(' ', arguments)} did not finish within 10 minutes: {await stderr}");
        }
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"orlog {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        }
        return new Rate(0, 0, watch.Elapsed);
    }

    private static async Task WriteLinesAsync(string path, long records)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var line = new byte[RecordBytes + 1];
        line.AsSpan(8, RecordBytes - 8).Fill((byte)'x');
        line[RecordBytes] = (byte)'\n';
        for (long i = 0; i < records; i++)
        {
            Encoding.ASCII.GetBytes((i % 100_000_000).ToString("D8", CultureInfo.InvariantCulture), line.AsSpan());
            file.Write(line);
        }
    }

    private static void Report(string what, Rate rate) =>
        Log(string.Create(CultureInfo.InvariantCulture, $"  {what}: {rate.Elapsed.TotalSeconds:F2} s"));

    private static void Log(string line) => Console.Error.WriteLine(line);

    private static string Render(Options options, Results results, string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        double Rate(TimeSpan elapsed) => options.Records / elapsed.TotalSeconds;
        List<double> Rates(string key) => [.. results.Times[key].Select(t => Rate(t.Elapsed))];
        List<double> Ratios(string cli, string sdk) => [.. results.Times[cli].Zip(results.Times[sdk], (c, s) => s.Elapsed / c.Elapsed)];
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}{(options.Quick ? " (quick run: not a result)" : "")}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        text.AppendLine(invariant, $"{options.Records:N0} lines of {RecordBytes} B into a topic of one partition per measurement, the silo on its defaults, median (min, max) of {options.Runs} runs after a warm-up run; " +
            $"the CLI and the SDK alternate which goes first. The CLI is timed from its process' start to its exit (the Orleans client's connection included), on its own defaults " +
            $"(acks=all, idempotent, linger.ms=10, batch.size=262144; its produce counts acknowledgements with the batch delivery handler); `orlog consume --partition 0 --offset 0 --max-messages {options.Records} > file`. " +
            $"The SDK runs in this process with a connected client, with the CLI's producer settings: one thread calling Produce, timed until Flush returns, with a delivery handler per record " +
            $"(kafka-producer-perf-test's way), and with one message object reused and deliveries counted by batch; its consumer is assigned from the beginning, values as byte[].");
        text.AppendLine();
        text.AppendLine("| measure | records/s | CLI ÷ SDK | target |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine(invariant, $"| `orlog produce --file` | {Stats.Summary(Rates("cli produce"), "N0")} | | |");
        text.AppendLine(invariant, $"| SDK produce, a delivery handler per record | {Stats.Summary(Rates("sdk produce"), "N0")} | {Stats.Summary(Ratios("cli produce", "sdk produce"), "F2")} | ≥ 0.5 |");
        text.AppendLine(invariant, $"| SDK produce, one message reused, counted by batch | {Stats.Summary(Rates("sdk produce by batch"), "N0")} | {Stats.Summary(Ratios("cli produce", "sdk produce by batch"), "F2")} | |");
        text.AppendLine(invariant, $"| `orlog consume > file` | {Stats.Summary(Rates("cli consume"), "N0")} | | |");
        text.AppendLine(invariant, $"| SDK consume | {Stats.Summary(Rates("sdk consume"), "N0")} | {Stats.Summary(Ratios("cli consume", "sdk consume"), "F2")} | ≥ 0.5 |");
        return text.ToString();
    }

    private sealed class Results
    {
        public Dictionary<string, List<Rate>> Times { get; } = [];

        public void Add(string key, Rate rate)
        {
            if (!Times.TryGetValue(key, out var list))
            {
                Times[key] = list = [];
            }
            list.Add(rate);
        }
    }

    private sealed class Options
    {
        public bool Quick { get; private init; }

        public string? Out { get; private init; }

        public int Runs { get; private init; }

        public long Records { get; private init; }

        public ProducerConfig Producer() => new() { Acks = Acks.All, LingerMs = 10, BatchSize = 256 * 1024, ClientId = "orlog-bench" };

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            return new Options
            {
                Quick = quick,
                Out = LoadArguments.String(args, "--out"),
                Runs = LoadArguments.Int(args, "--runs", quick ? 1 : 3),
                Records = LoadArguments.Int(args, "--records", quick ? 20_000 : 10_000_000),
            };
        }
    }
}
