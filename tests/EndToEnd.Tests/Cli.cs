using System.Diagnostics;

namespace Orlog.EndToEnd.Tests;

/// <summary>Runs the real `orlog` CLI (orlog.dll) and collects its exit code, stdout and stderr.</summary>
internal static class Cli
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string bootstrap, params string[] args) => RunWithInputAsync(bootstrap, null, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="input"/> on the CLI's stdin.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string bootstrap, string? input, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "orlog.dll"));
        info.ArgumentList.Add("-b");
        info.ArgumentList.Add(bootstrap);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
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
        return (process.ExitCode, await stdout, await stderr);
    }
}
