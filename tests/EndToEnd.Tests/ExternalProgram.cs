using System.Diagnostics;

namespace Orlog.EndToEnd.Tests;

/// <summary>
/// Runs a program the tests drive (kcat, Node, Python) to its end: the input given on stdin (stdin closed
/// either way), stdout and stderr collected; past the deadline it is killed and the test fails, and so does a
/// non-zero exit, with its stderr in the message. Returns stdout.
/// </summary>
internal static class ExternalProgram
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, string? input = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var command = $"{Path.GetFileName(program)} {string.Join(' ', info.ArgumentList)}";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using (var deadline = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{command} did not finish within {limit.TotalSeconds} s: {await error}");
            }
        }
        Assert.True(process.ExitCode == 0, $"{command} exited {process.ExitCode}:\n{await error}\n{await output}");
        return await output;
    }
}
