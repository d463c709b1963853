namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the streaming load program from rotting: a quick run must start its own silo, complete, write its
/// section to the file it was given, leave no silo process or data directory behind, and never touch
/// docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed class StreamingHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public StreamingHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var output = Path.Combine(_temp, "benchmarks.md");
        var run = await QuickRun.RunAsync("streaming", output);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        var section = run.ReadSection();
        Assert.Contains("<!-- BEGIN streaming", section);
        Assert.Contains("<!-- END streaming -->", section);
        Assert.Contains("transport ceiling", section);
        Assert.Contains("**produce**", section);
        Assert.Contains("**consume**", section);
        Assert.Contains("flush.messages=1", section);
        Assert.Contains("p99.9", section);
        Assert.Contains("quick run: not a result", run.Stdout);

        run.AssertSiloStopped();

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
