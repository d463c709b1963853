namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the storage engine's load program from rotting: a tiny quick run must complete and write its
/// section to the file it was given, and never touch docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed class LogAppendHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public LogAppendHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var output = Path.Combine(_temp, "benchmarks.md");
        var run = await QuickRun.RunAsync("log-append", output, "--mib", "8", "--runs", "1", "--dir", Path.Combine(_temp, "data"));

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        var section = run.ReadSection();
        Assert.Contains("<!-- BEGIN log-append", section);
        Assert.Contains("Orlog append / dd", section);
        Assert.Contains("quick run: not a result", run.Stdout);
        Assert.False(Directory.Exists(Path.Combine(_temp, "data")), "the run must remove its data directory");
        Assert.Equal(before, DocsFile.Hash());
    }

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
