using System.Diagnostics;
using System.Text;

namespace Orlog.Deploy.Tests;

/// <summary>
/// A program run by a test with a given environment (nothing inherited but PATH, HOME and the dotnet host's own
/// variables, as a service manager would), its stdout and stderr captured together. A line the test
/// waits for completes a task as it is read: no polling, and the wait ends at once if the process exits.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly string? _awaitedLine;
    private readonly TaskCompletionSource _lineSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string? awaitedLine)
    {
        _process = process;
        _awaitedLine = awaitedLine;
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/>; <paramref name="awaitedLine"/> is the text <see cref="WaitForLineAsync"/> waits for.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory, string? awaitedLine = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(name => name is not ("PATH" or "HOME") && !name.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var child = new ChildProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, awaitedLine);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.Exited += (_, _) => child._lineSeen.TrySetException(new InvalidOperationException("the process exited"));
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the process printed the awaited line; fails with its output if it exits first or the time runs out.</summary>
    public async Task WaitForLineAsync(TimeSpan timeout)
    {
        try
        {
            await _lineSeen.Task.WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"'{_awaitedLine}' was not printed ({e.Message}; waited {timeout.TotalSeconds} s). Output:\n{Output}");
        }
    }

    /// <summary>Waits for the process to end and its output to be read; returns the exit code, or fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
        if (_awaitedLine is not null && line.Contains(_awaitedLine, StringComparison.Ordinal))
        {
            _lineSeen.TrySetResult();
        }
    }
}
