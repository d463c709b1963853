using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Orlog.EndToEnd.Tests;

/// <summary>
/// A long-running `orlog consume ... --format json` whose stdout goes straight into a file (as a shell redirection
/// does), so that what it printed before a SIGKILL is exactly what is in the file.
/// </summary>
internal sealed class GroupConsumerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _outputFile;
    private readonly StringBuilder _stderr = new();

    private GroupConsumerProcess(Process process, string outputFile)
    {
        _process = process;
        _outputFile = outputFile;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static GroupConsumerProcess Start(string bootstrap, string outputFile, params string[] args)
    {
        // sh -c 'exec "$@" > "$0"' FILE dotnet orlog.dll ...: the shell becomes the CLI, its stdout the file.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardInput = true };
        string[] commandLine = ["-c", "exec \"$@\" > \"$0\"", outputFile, "dotnet", OrlogCli.Dll, "-b", bootstrap, .. args];
        foreach (var argument in commandLine)
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new GroupConsumerProcess(process, outputFile);
    }

    /// <summary>The records printed so far (complete lines only): partition, offset and value.</summary>
    public List<(int Partition, long Offset, string Value)> Records()
    {
        if (!File.Exists(_outputFile))
        {
            return [];
        }
        using var stream = new FileStream(_outputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        var records = new List<(int, long, string)>();
        foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            records.Add((root.GetProperty("partition").GetInt32(), root.GetProperty("offset").GetInt64(), root.GetProperty("value").GetString()!));
        }
        return records;
    }

    /// <summary>SIGKILL: the consumer dies at once, without committing or leaving its group.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the consumer commits what it printed, leaves its group and exits; the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The consumer did not exit within {timeout} of SIGTERM; stderr: {Stderr}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
