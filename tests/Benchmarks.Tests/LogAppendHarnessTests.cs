using System.Diagnostics;

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
        var program = Path.Combine(AppContext.BaseDirectory, "Orlog.Benchmarks.dll");

        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { program, "log-append", "--quick", "--mib", "8", "--runs", "1", "--dir", Path.Combine(_temp, "data"), "--out", output },
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
            Assert.Fail($"log-append --quick did not finish within 3 minutes. stderr so far: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {await stderr}");
        var section = File.ReadAllText(output);
        Assert.Contains("<!-- BEGIN log-append", section);
        Assert.Contains("Orlog append / dd", section);
        Assert.Contains("quick run: not a result", await stdout);
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
