using System.Diagnostics;

namespace Orlog.Tests.Support;

/// <summary>Runs the real `orlog` CLI (orlog.dll) and collects its exit code, stdout and stderr.</summary>
internal static class OrlogCli
{
    /// <summary>
    /// orlog.dll in the CLI's own build output (src/Cli/bin/&lt;configuration&gt;/net10.0), not the copy beside the
    /// tests: the tests run with ASP.NET Core's shared framework (the silo is a web app), so the Microsoft.Extensions
    /// assemblies the CLI takes from NuGet are not copied here, and the CLI, on .NET's framework alone, needs them.
    /// </summary>
    public static string Dll { get; } = Find();

    private static string Find()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent?.Name ?? "Release";
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Cli", "bin", configuration, output.Name, "orlog.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"src/Cli/bin/{configuration}/{output.Name}/orlog.dll not found above {AppContext.BaseDirectory}: build the solution");
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string bootstrap, params string[] args) => RunWithInputAsync(bootstrap, null, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> on the CLI's stdin.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string bootstrap, string? input, params string[] args)
    {
        using var process = Start(bootstrap, args);
        // Read before writing: a CLI that logs much while it reads a large input would otherwise fill the stderr
        // pipe and stop reading stdin while this waits to write it.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        await WaitAsync(process, args, stderr);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>As <see cref="RunAsync"/> with bytes on stdin, and stdout as bytes (records are data, not text).</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunBytesAsync(string bootstrap, byte[] input, params string[] args)
    {
        using var process = Start(bootstrap, args);
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        await WaitAsync(process, args, stderr);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    /// <summary>Waits for the CLI to exit, killing it after 2 minutes.</summary>
    private static async Task WaitAsync(Process process, string[] args, Task<string> stderr)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orlog {string.Join(' ', args)} did not finish within 2 minutes; stderr: {await stderr}");
        }
    }

    /// <summary>Starts the CLI with every stream redirected, for a test that talks to it while it runs (signals, a stdin kept open).</summary>
    public static Process Start(string bootstrap, params string[] args)
    {
        // A suite started in the background by a non-interactive shell (CI) inherits SIGINT ignored, and .NET leaves an
        // ignored SIGINT ignored: the CLI gets it back as a terminal would give it, so that Ctrl-C can be tested.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Dll);
        info.ArgumentList.Add("-b");
        info.ArgumentList.Add(bootstrap);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    /// <summary>Sends a signal (INT, TERM) to a process, as a terminal or a service manager does.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }
}
