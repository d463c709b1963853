using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps bench/compare.sh from rotting: a quick run must measure every peer on every workload, write its section
/// and its chart to the directory it was given, stop every server it started (found afterwards by a marker in their
/// environment, which children inherit), remove its run directory, and never touch docs/benchmarks.md or
/// docs/compare.png. The numbers are not checked.
/// </summary>
public sealed partial class CompareHarnessTests : IDisposable
{
    private const string Marker = "ORLOG_COMPARE_TEST_RUN";

    private static readonly string[] _peers = ["Orlog, flush.ms=1000", "Orlog, flush.messages=1", "Redis", "NATS", "Orleans streams (memory)", "Orleans streams (Orlog)", "PostgreSQL"];
    private static readonly string[] _workloads = ["**W1 produce**", "**W1 consume**", "**W2 produce**", "**W2 consume**", "**W3 produce**", "**W4 latency**"];

    private static readonly string _root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DocsFile.Path)!, ".."));

    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));
    private readonly string _run = Guid.NewGuid().ToString("N");

    public CompareHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunMeasuresEveryPeerAndLeavesNothingBehind()
    {
        var before = DocsFile.Hash();
        var chartBefore = ChartHash();
        var script = Path.Combine(_root, "bench", "compare.sh");

        using var process = Process.Start(new ProcessStartInfo("bash")
        {
            ArgumentList = { script, "--quick", "--out", _temp },
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [Marker] = _run },
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            KillMarked();
            Assert.Fail($"compare.sh --quick did not finish within 5 minutes. stderr so far: {await stderr}");
        }

        var log = await stderr;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {log}");
        var section = File.ReadAllText(Path.Combine(_temp, "benchmarks.md"));
        Assert.Contains("<!-- BEGIN compare", section);
        Assert.Contains("<!-- END compare -->", section);
        Assert.Contains("quick run: not a result", await stdout);
        foreach (var peer in _peers)
        {
            Assert.Contains($"| {peer}", section);
        }
        foreach (var workload in _workloads)
        {
            Assert.Contains(workload, section);
        }
        Assert.Contains("The machine's limits", section);
        // compare.json: a row per system, mode, workload and metric, with median, min and max, for programs to read.
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, "compare.json"))))
        {
            var rows = json.RootElement.EnumerateArray().ToList();
            foreach (var peer in _peers)
            {
                Assert.Contains(rows, r => r.GetProperty("System").GetString()!.StartsWith(peer, StringComparison.Ordinal)
                    && r.GetProperty("Metric").GetString() == "records/s"
                    && r.GetProperty("Min").GetDouble() <= r.GetProperty("Median").GetDouble()
                    && r.GetProperty("Median").GetDouble() <= r.GetProperty("Max").GetDouble());
            }
        }
        var chart = File.ReadAllBytes(Path.Combine(_temp, "compare.png"));
        Assert.True(chart.Length > 1000 && chart.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "compare.png is not a PNG");

        // Every server it started (redis-server, nats-server, postgres, the silo) is gone, and so is the run directory.
        var left = Marked();
        Assert.True(left.Count == 0, $"still running after the script exited: {string.Join(", ", left)}");
        var run = RunLine().Match(log);
        Assert.True(run.Success, $"the run did not name its run directory: {log}");
        Assert.False(Directory.Exists(run.Groups["dir"].Value), "the run directory was not removed");

        Assert.Equal(before, DocsFile.Hash());
        Assert.Equal(chartBefore, ChartHash());
    }

    [GeneratedRegex(@"run directory (?<dir>\S+);")]
    private static partial Regex RunLine();

    private static byte[] ChartHash()
    {
        var path = Path.Combine(_root, "docs", "compare.png");
        return File.Exists(path) ? SHA256.HashData(File.ReadAllBytes(path)) : [];
    }

    /// <summary>Processes that carry this run's marker in their environment: whatever the script started, however deep.</summary>
    private List<string> Marked()
    {
        var marked = new List<string>();
        var needle = System.Text.Encoding.ASCII.GetBytes($"{Marker}={_run}\0");
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environment.AsSpan().IndexOf(needle) >= 0)
                {
                    marked.Add($"{pid} {File.ReadAllText(Path.Combine(directory, "comm")).Trim()}");
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return marked;
    }

    private void KillMarked()
    {
        foreach (var entry in Marked())
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(entry.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    public void Dispose()
    {
        KillMarked();
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
