using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orlog.Benchmarks.Tests;

/// <summary>
/// Keeps the groups load program from rotting: a quick run must start its own silo (with the group settings it
/// passes), play every kind of member through a join and a leave, read the same records with a group and with
/// Assign, write its section to the file it was given,
/// leave no silo process or data directory behind, and never touch docs/benchmarks.md. The numbers are not checked.
/// </summary>
public sealed partial class GroupsHarnessTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-bench-tests", Guid.NewGuid().ToString("N"));

    public GroupsHarnessTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task QuickRunCompletesAndWritesOnlyItsOwnOutput()
    {
        var before = DocsFile.Hash();
        var output = Path.Combine(_temp, "benchmarks.md");
        var program = Path.Combine(AppContext.BaseDirectory, "Orlog.Benchmarks.dll");

        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { program, "groups", "--quick", "--out", output },
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
            Assert.Fail($"groups --quick did not finish within 3 minutes. stderr so far: {await stderr}");
        }

        var log = await stderr;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {log}");
        var section = File.ReadAllText(output);
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
