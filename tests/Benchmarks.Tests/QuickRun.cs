using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orlog.Benchmarks.Tests;

/// <summary>
/// One quick run of the load program as a user starts it (<c>dotnet Orlog.Benchmarks.dll command --quick ... --out file</c>),
/// killed and failed if it has not finished within 3 minutes; what a harness test checks afterwards.
/// </summary>
internal sealed partial class QuickRun
{
    private static readonly TimeSpan _deadline = TimeSpan.FromMinutes(3);

    private readonly string _output;

    private QuickRun(string output, int exitCode, string stdout, string stderr)
    {
        _output = output;
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
    }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    /// <summary>Runs <paramref name="command"/> with --quick, the program's own <paramref name="options"/> and --out <paramref name="output"/>.</summary>
    public static async Task<QuickRun> RunAsync(string command, string output, params string[] options)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Orlog.Benchmarks.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[program, command, "--quick", .. options, "--out", output])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(_deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{command} --quick did not finish within {_deadline.TotalMinutes} minutes. stderr so far: {await stderr}");
        }
        return new QuickRun(output, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The file the run wrote its section to (read only after the exit code was checked: a failed run may have written none).</summary>
    public string ReadSection() => File.ReadAllText(_output);

    /// <summary>The line in which a run that starts its own silo names its process id and data directory.</summary>
    [GeneratedRegex(@"silo pid (?<pid>\d+) on \S+, data in (?<data>\S+);")]
    private static partial Regex SiloLine();

    /// <summary>The silo the run named in its stderr is gone, and so is its data directory.</summary>
    public void AssertSiloStopped()
    {
        var silo = SiloLine().Match(Stderr);
        Assert.True(silo.Success, $"the run did not name its silo: {Stderr}");
        Assert.False(IsRunning(int.Parse(silo.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture)), "the silo process is still running");
        Assert.False(Directory.Exists(silo.Groups["data"].Value), "the silo's data directory was not removed");
    }

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
}
