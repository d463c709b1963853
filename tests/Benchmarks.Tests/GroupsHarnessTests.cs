namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the groups load program from rotting: a quick run must start its own silo (with the group settings it
/// passes), play every kind of member through a join and a leave, read the same records with a group and with
/// Assign, write its section to the file it was given,
/// leave no silo process or data directory behind, and never touch docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed class GroupsHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public GroupsHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var output = Path.Combine(_temp, "benchmarks.md");
        var run = await QuickRun.RunAsync("groups", output);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        var section = run.ReadSection();
        Assert.Contains("<!-- BEGIN groups", section);
        Assert.Contains("<!-- END groups -->", section);
        Assert.Contains("--config group.min.session.timeout.ms=", section);
        Assert.Contains("--config group.initial.rebalance.delay.ms=0", section);
        Assert.Contains("**server-side** (KIP-848)", section);
        Assert.Contains("**classic, cooperative**", section);
        Assert.Contains("**classic, eager**", section);
        Assert.Contains("**server-side through the SDK**", section);
        Assert.Contains("| 1 consumer, Assign |", section);
        Assert.Contains("consumers in one group, Subscribe |", section);
        Assert.Contains("**group / Assign**", section);
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
