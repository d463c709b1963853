using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orlog.Silo.Tests;

/// <summary>
/// The real silo (Orlog.Silo.dll from this test's output) in a child process, with its stdout and
/// stderr captured. Every wait polls against a deadline; dispose kills the process if it still runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string ReadyLine = "Orlog silo started";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();

    private SiloProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public string Describe() => $"stdout:\n{Output}\nstderr:\n{Error}";

    public static string SiloDll => Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll");

    /// <summary>
    /// Starts Orlog.Silo with <paramref name="args"/>. A silo that runs (one given its gateway port) on the embedded default
    /// and names no Kafka or web port gets <paramref name="kafkaPort"/> and <paramref name="webPort"/> ("0", a free one,
    /// unless a test passes null to see the default): the embedded default's 9092 and 8080 are one port each, and tests
    /// run side by side.
    /// </summary>
    public static SiloProcess Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? kafkaPort = "0",
        string? webPort = "0")
    {
        var list = args.ToList();
        if (list.Contains("--gateway-port") && !list.Contains("--cluster-db"))
        {
            if (kafkaPort is not null && !list.Contains("--kafka-port"))
            {
                list.AddRange(["--kafka-port", kafkaPort]);
            }
            if (webPort is not null && !list.Contains("--web-port"))
            {
                list.AddRange(["--web-port", webPort]);
            }
        }
        args = list;
        Assert.True(File.Exists(SiloDll), $"{SiloDll} is missing");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("Orlog__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.Append(silo._output, e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(silo._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo logged that it started and its gateway accepts TCP connections.</summary>
    public async Task WaitUntilServingAsync(int gatewayPort, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await WaitUntilStartedAsync(deadline);
        while (!await AcceptsConnectionAsync(gatewayPort))
        {
            await PauseOrFailAsync(deadline, $"the gateway port {gatewayPort} to accept connections");
        }
    }

    /// <summary>Waits until the silo logged that it started (by then it has written endpoints.json).</summary>
    public async Task WaitUntilStartedAsync(DateTime deadline)
    {
        while (!Output.Contains(ReadyLine, StringComparison.Ordinal))
        {
            await PauseOrFailAsync(deadline, $"the silo to log '{ReadyLine}'");
        }
    }

    /// <summary>Waits for the process to end and for its output to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The silo did not exit within {timeout}.\n{Describe()}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: a graceful stop.</summary>
    public void Terminate() => NativeSignals.Send(_process.Id, NativeSignals.SigTerm);

    /// <summary>SIGKILL: the process ends at once, without running any of its code.</summary>
    public async Task KillHardAsync(TimeSpan timeout)
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync(timeout);
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

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            target.AppendLine(line);
        }
    }

    private async Task PauseOrFailAsync(DateTime deadline, string what)
    {
        if (_process.HasExited)
        {
            _process.WaitForExit();
            Assert.Fail($"The silo exited with {_process.ExitCode} while waiting for {what}.\n{Describe()}");
        }
        if (DateTime.UtcNow > deadline)
        {
            Assert.Fail($"Timed out waiting for {what}.\n{Describe()}");
        }
        await Task.Delay(100);
    }

    public static async Task<bool> AcceptsConnectionAsync(int port)
    {
        using var client = new TcpClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellation.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
