using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orlog.Benchmarks.Streaming;

/// <summary>
/// The real silo (Orlog.Silo.dll, copied beside the benchmark by its project reference) in a process of its
/// own, on free loopback ports and a temporary data directory. Stopping it sends SIGTERM, then SIGKILL after a
/// grace period, and removes the data directory: nothing is left running or on disk.
/// </summary>
internal sealed class SiloRunner : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private bool _started;

    private SiloRunner(Process process, string dataDirectory, int gatewayPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int GatewayPort { get; }

    public string Bootstrap => $"127.0.0.1:{GatewayPort}";

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>The silo's CPU time so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines the silo wrote, for error messages.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>The silo's assembly: beside this program (project reference), else the Release build in the repository.</summary>
    public static string FindSilo(string repositoryRoot)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll");
        if (File.Exists(beside))
        {
            return beside;
        }
        var built = Path.Combine(repositoryRoot, "src", "Silo", "bin", "Release", "net10.0", "Orlog.Silo.dll");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"Orlog.Silo.dll is neither beside the benchmark nor at {built}: build src/Silo in Release first.");
    }

    public static async Task<SiloRunner> StartAsync(string siloAssembly, IEnumerable<string> extraArguments, TimeSpan timeout)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "orlog-streaming-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var gatewayPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        string[] arguments = [siloAssembly, "--data-dir", Path.Combine(dataDirectory, "data"), "--silo-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. extraArguments.Contains("--kafka-port") ? [] : new[] { "--kafka-port", "0" },
            .. extraArguments.Contains("--web-port") ? [] : new[] { "--web-port", "0" }, .. extraArguments];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var silo = new SiloRunner(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), dataDirectory, gatewayPort);
        try
        {
            await silo.WaitForGatewayAsync(timeout).ConfigureAwait(false);
        }
        catch
        {
            silo.Dispose();
            throw;
        }
        return silo;
    }

    private async Task WaitForGatewayAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode}:\n{Tail}");
            }
            if (_started)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, GatewayPort).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                }
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"The silo did not start within {timeout.TotalSeconds:F0} s:\n{Tail}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.Contains("silo started", StringComparison.OrdinalIgnoreCase))
        {
            _started = true;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM (a graceful stop that flushes every log), SIGKILL after 20 s, then the data directory goes.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } }))
                {
                    kill?.WaitForExit();
                }
                if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    Console.Error.WriteLine("the silo did not stop within 20 s of SIGTERM: SIGKILL");
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit();
                }
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException error)
            {
                Console.Error.WriteLine($"could not remove {DataDirectory}: {error.Message}");
            }
        }
    }
}
