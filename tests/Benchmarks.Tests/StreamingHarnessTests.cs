using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the streaming load program from rotting: a quick run must start its own silo, complete, write its
/// section to the file it was given, leave no silo process or data directory behind, and never touch
/// docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed partial class StreamingHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public StreamingHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var output = Path.Combine(_temp, "benchmarks.md");
        var program = Path.Combine(AppContext.BaseDirectory, "Orlog.Benchmarks.dll");

        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { program, "streaming", "--quick", "--out", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"streaming --quick did not finish within 3 minutes. stderr so far: {await stderr}");
        }

        var log = await stderr;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {log}");
        var section = File.ReadAllText(output);
        Assert.Contains("<!-- BEGIN streaming", section);
        Assert.Contains("<!-- END streaming -->", section);
        Assert.Contains("transport ceiling", section);
        Assert.Contains("**produce**", section);
        Assert.Contains("**consume**", section);
        Assert.Contains("flush.messages=1", section);
        Assert.Contains("p99.9", section);
        Assert.Contains("quick run: not a result", await stdout);

        // The silo it started is gone, and so is its data directory.
        var silo = SiloLine().Match(log);
        Assert.True(silo.Success, $"the run did not name its silo: {log}");
        Assert.False(IsRunning(int.Parse(silo.Groups["pid"].Value)), "the silo process is still running");
        Assert.False(Directory.Exists(silo.Groups["data"].Value), "the silo's data directory was not removed");

        Assert.Equal(before, DocsFile.Hash());
    }

    [GeneratedRegex(@"silo pid (?<pid>\d+) on \S+, data in (?<data>\S+);")]
    private static partial Regex SiloLine();

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
