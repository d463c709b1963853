namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the cli load program from rotting: a quick run starts its own silo, runs the built `orlog` tool beside the
/// SDK, writes its section to the file it was given (checking that the CLI's consume wrote every line), leaves no
/// silo, data directory or lines file behind, and never touches docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed class CliHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public CliHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var leftBefore = Directory.GetDirectories(Path.GetTempPath(), "orlog-cli-bench-*").ToHashSet();
        var output = Path.Combine(_temp, "benchmarks.md");
        var run = await QuickRun.RunAsync("cli", output);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        var section = run.ReadSection();
        Assert.Contains("<!-- BEGIN cli", section);
        Assert.Contains("`orlog produce --file`", section);
        Assert.Contains("`orlog consume > file`", section);
        Assert.Contains("CLI ÷ SDK", section);
        Assert.Contains("quick run: not a result", run.Stdout);

        run.AssertSiloStopped();
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "orlog-cli-bench-*"), d => !leftBefore.Contains(d));
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
