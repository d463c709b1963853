using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Orlog.EndToEnd.Tests;

/// <summary>The real silo (Orlog.Silo.dll) in its own process, on free loopback ports and a given data directory.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int gatewayPort, string dataDirectory)
    {
        _process = process;
        GatewayPort = gatewayPort;
        DataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int GatewayPort { get; }

    public string Bootstrap => $"127.0.0.1:{GatewayPort}";

    public string DataDirectory { get; }

    /// <summary>The Kafka listener's host:port, from endpoints.json.</summary>
    public string KafkaBootstrap
    {
        get
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DataDirectory, "endpoints.json")));
            return json.RootElement.GetProperty("kafka").GetString() ?? throw new InvalidOperationException("The silo runs no Kafka listener.");
        }
    }

    /// <summary>The web surface's base address (http://host:port), from endpoints.json.</summary>
    public string WebBase
    {
        get
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(DataDirectory, "endpoints.json")));
            return "http://" + (json.RootElement.GetProperty("web").GetString() ?? throw new InvalidOperationException("The silo's web surface is off."));
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the silo on <paramref name="dataDirectory"/>; <paramref name="arguments"/> are added to its command line (--config name=value, ...).</summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, params string[] arguments)
    {
        var gatewayPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // The embedded default's Kafka and web ports are 9092 and 8080, one port each: tests that run silos side by side take free ones.
        string[] kafka = arguments.Contains("--kafka-port") ? [] : ["--kafka-port", "0"];
        string[] web = arguments.Contains("--web-port") ? [] : ["--web-port", "0"];
        string[] commandLine = [Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll"), "--data-dir", dataDirectory, "--silo-port", "0", "--gateway-port", gatewayPort.ToString(), .. kafka, .. web, .. arguments];
        foreach (var argument in commandLine)
        {
            info.ArgumentList.Add(argument);
        }
        var silo = new SiloProcess(Process.Start(info)!, gatewayPort, dataDirectory);
        await silo.WaitForGatewayAsync(TimeSpan.FromSeconds(60));
        return silo;
    }

    private async Task WaitForGatewayAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode}: {Output}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", GatewayPort);
                // Listening is not yet serving: give the silo the moment it needs to finish starting.
                if (Output.Contains("silo started", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The silo's gateway {GatewayPort} did not open within {timeout}: {Output}");
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
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
