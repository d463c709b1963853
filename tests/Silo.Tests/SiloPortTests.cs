using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Orlog.Silo.Tests;

/// <summary>The silo's ports, with real silo processes: bound exclusively, 0 for a free one, endpoints.json.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SiloPortTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SiloProcess StartSilo(string dataDirectory, int siloPort, int gatewayPort) =>
        SiloProcess.Start(_temp.Path, ["--data-dir", dataDirectory, "--silo-port", P(siloPort), "--gateway-port", P(gatewayPort)]);

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("gateway", "Orlog:GatewayPort")]
    [InlineData("silo", "Orlog:SiloPort")]
    public async Task A_second_silo_on_a_port_in_use_is_refused_naming_it_and_the_first_keeps_serving(string surface, string setting)
    {
        var ports = FreePorts.Take(3);
        await using var first = StartSilo(_temp.Combine("first"), ports[0], ports[1]);
        await first.WaitUntilServingAsync(ports[1], _startTimeout);
        var taken = surface == "gateway" ? ports[1] : ports[0];

        var secondDirectory = _temp.Combine("second");
        await using (var second = surface == "gateway" ? StartSilo(secondDirectory, ports[2], taken) : StartSilo(secondDirectory, taken, ports[2]))
        {
            var exit = await second.WaitForExitAsync(_exitTimeout);
            Assert.True(exit == StartupFailure.Failed, $"exit code {exit}\n{second.Describe()}");
            Assert.Contains($"orlog-silo: the {surface} port {taken} ({setting}) on 127.0.0.1 is in use by another process", second.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(SiloProcess.ReadyLine, second.Output, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(secondDirectory), "a silo refused for its port must not have touched its data directory");
        Assert.False(first.HasExited, first.Describe());
        Assert.Equal(1, TcpTable.Count(taken, TcpTable.Listen));
        Assert.True(await SiloProcess.AcceptsConnectionAsync(ports[1]));
    }

    [Fact]
    public async Task The_Kafka_listener_on_a_free_port_gives_Kafka_clients_the_brokers_metadata_and_its_port_is_held()
    {
        var dataDirectory = _temp.Combine("kafka");
        await using var silo = SiloProcess.Start(_temp.Path, ["--data-dir", dataDirectory, "--silo-port", "0", "--gateway-port", "0", "--kafka-port", "0"]);
        await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);
        string kafka;
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "endpoints.json"))))
        {
            kafka = json.RootElement.GetProperty("kafka").GetString()!;
        }
        var endpoint = IPEndPoint.Parse(kafka);
        Assert.Equal(IPAddress.Loopback, endpoint.Address);
        Assert.Contains($"kafka {kafka}, web http://127.0.0.1:", silo.Output, StringComparison.Ordinal);

        // librdkafka (Confluent.Kafka) asks ApiVersions, then Metadata, and finds broker 0 where the file says.
        using (var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = kafka }).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
            var broker = Assert.Single(metadata.Brokers);
            Assert.Equal((0, "127.0.0.1", endpoint.Port), (broker.BrokerId, broker.Host, broker.Port));
            Assert.Empty(metadata.Topics);
        }

        // Debian's kcat (librdkafka 2.0.2, older protocol versions) lists the same.
        var listing = await RunAsync("kcat", ["-L", "-J", "-b", kafka]);
        using (var json = JsonDocument.Parse(listing))
        {
            var broker = Assert.Single(json.RootElement.GetProperty("brokers").EnumerateArray());
            Assert.Equal((0, kafka), (broker.GetProperty("id").GetInt32(), broker.GetProperty("name").GetString()));
            Assert.Equal(0, json.RootElement.GetProperty("controllerid").GetInt32());
            Assert.Empty(json.RootElement.GetProperty("topics").EnumerateArray());
        }

        // The port is the silo's alone: a second silo asking for it is refused, naming it.
        await using (var second = SiloProcess.Start(_temp.Path, ["--data-dir", _temp.Combine("second"), "--silo-port", "0", "--gateway-port", "0", "--kafka-port", P(endpoint.Port)]))
        {
            var exit = await second.WaitForExitAsync(_exitTimeout);
            Assert.True(exit == StartupFailure.Failed, $"exit code {exit}\n{second.Describe()}");
            Assert.Contains($"the Kafka port {endpoint.Port} (Orlog:KafkaPort) on 127.0.0.1 is in use by another process", second.Error, StringComparison.Ordinal);
        }

        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(_exitTimeout));
    }

    [Fact]
    public async Task Advertised_listeners_is_what_Metadata_tells_Kafka_clients_and_the_listener_stays_on_its_bound_port()
    {
        var dataDirectory = _temp.Combine("kafka-advertised");
        var port = FreePorts.Take(1)[0];
        await using var silo = SiloProcess.Start(_temp.Path,
            ["--data-dir", dataDirectory, "--silo-port", "0", "--gateway-port", "0", "--kafka-port", P(port), "--advertised-listeners", "PLAINTEXT://broker-0.example:19092"]);
        await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "endpoints.json"))))
        {
            Assert.Equal("broker-0.example:19092", json.RootElement.GetProperty("kafka").GetString()); // what clients are told, as for the gateway
        }

        // kcat bootstraps on the bound port; the broker list names the advertised one.
        var listing = await RunAsync("kcat", ["-L", "-J", "-b", $"127.0.0.1:{P(port)}"]);
        using (var json = JsonDocument.Parse(listing))
        {
            var broker = Assert.Single(json.RootElement.GetProperty("brokers").EnumerateArray());
            Assert.Equal((0, "broker-0.example:19092"), (broker.GetProperty("id").GetInt32(), broker.GetProperty("name").GetString()));
        }
        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(_exitTimeout));

        await using var refused = SiloProcess.Start(_temp.Path,
            ["--data-dir", _temp.Combine("kafka-ssl"), "--silo-port", "0", "--gateway-port", "0", "--kafka-port", "0", "--advertised-listeners", "SSL://broker-0.example:9093"]);
        Assert.Equal(StartupFailure.BadSetting, await refused.WaitForExitAsync(_exitTimeout));
        Assert.Contains("Orlog:AdvertisedListeners='SSL://broker-0.example:9093' is not one listener", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_embedded_default_opens_the_Kafka_listener_on_9092_and_off_turns_it_off()
    {
        var dataDirectory = _temp.Combine("kafka-default");
        await using (var silo = SiloProcess.Start(_temp.Path, ["--data-dir", dataDirectory, "--silo-port", "0", "--gateway-port", "0"], kafkaPort: null, webPort: null))
        {
            await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "endpoints.json")));
            Assert.Equal("127.0.0.1:9092", json.RootElement.GetProperty("kafka").GetString());
            Assert.True(await SiloProcess.AcceptsConnectionAsync(9092), silo.Describe());
            Assert.Equal("127.0.0.1:8080", json.RootElement.GetProperty("web").GetString());
            Assert.True(await SiloProcess.AcceptsConnectionAsync(8080), silo.Describe());
            Assert.Contains("web http://127.0.0.1:8080/ (dashboard http://127.0.0.1:8080/dashboard)", silo.Output, StringComparison.Ordinal);
            silo.Terminate();
            Assert.Equal(0, await silo.WaitForExitAsync(_exitTimeout));
        }

        var offDirectory = _temp.Combine("kafka-off");
        await using (var silo = SiloProcess.Start(_temp.Path, ["--data-dir", offDirectory, "--silo-port", "0", "--gateway-port", "0", "--kafka-port", "off", "--web-port", "off"]))
        {
            await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(offDirectory, "endpoints.json")));
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("kafka").ValueKind);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("web").ValueKind);
            Assert.Contains(", kafka off, web off", silo.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs a program to its end (60 s at most) and returns its output; a non-zero exit fails the test.</summary>
    private static async Task<string> RunAsync(string program, string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within 60 s: {await error}");
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        return await output;
    }

    [Fact]
    public async Task Port_0_binds_free_ports_and_endpoints_json_names_the_ports_listening()
    {
        var dataDirectory = _temp.Combine("data");
        await using var silo = StartSilo(dataDirectory, 0, 0);
        await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);

        var path = Path.Combine(dataDirectory, "endpoints.json");
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path)))
        {
            var root = json.RootElement;
            Assert.Equal(["silo", "gateway", "kafka", "web"], root.EnumerateObject().Select(property => property.Name));
            var siloEndpoint = IPEndPoint.Parse(root.GetProperty("silo").GetString()!);
            var gatewayEndpoint = IPEndPoint.Parse(root.GetProperty("gateway").GetString()!);
            var kafkaEndpoint = IPEndPoint.Parse(root.GetProperty("kafka").GetString()!);
            var webEndpoint = IPEndPoint.Parse(root.GetProperty("web").GetString()!);
            foreach (var endpoint in new[] { siloEndpoint, gatewayEndpoint, kafkaEndpoint, webEndpoint })
            {
                Assert.Equal(IPAddress.Loopback, endpoint.Address);
                Assert.NotEqual(0, endpoint.Port);
                Assert.True(await SiloProcess.AcceptsConnectionAsync(endpoint.Port), $"nothing listens on {endpoint}\n{silo.Describe()}");
            }
            Assert.Equal(4, new[] { siloEndpoint.Port, gatewayEndpoint.Port, kafkaEndpoint.Port, webEndpoint.Port }.Distinct().Count());
            Assert.Contains($"Orlog endpoints: silo {siloEndpoint}, gateway {gatewayEndpoint}, kafka {kafkaEndpoint}, web http://{webEndpoint}/", silo.Output, StringComparison.Ordinal);
            Assert.Contains($"gateway {gatewayEndpoint},", silo.Output[silo.Output.IndexOf(SiloProcess.ReadyLine, StringComparison.Ordinal)..], StringComparison.Ordinal);
        }
        Assert.False(File.Exists(path + ".tmp"));

        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(_exitTimeout));
        Assert.True(File.Exists(path), "endpoints.json stays after a stop: it names what the silo last bound");
    }

    [Fact]
    public async Task A_restart_right_after_SIGKILL_on_the_same_ports_succeeds_TIME_WAIT_is_not_in_use()
    {
        var ports = FreePorts.Take(2);
        var dataDirectory = _temp.Combine("data");
        await using (var killed = StartSilo(dataDirectory, ports[0], ports[1]))
        {
            await killed.WaitUntilServingAsync(ports[1], _startTimeout);
            await killed.KillHardAsync(_exitTimeout);
        }
        // Orleans resets its connections on close (linger 0), so a kill may leave no TIME_WAIT behind: make one on
        // each port (a bind without SO_REUSEADDR would fail on it; .NET always sets SO_REUSEADDR on Unix).
        foreach (var port in ports)
        {
            await LeaveTimeWaitAsync(port);
        }

        await using var restarted = StartSilo(dataDirectory, ports[0], ports[1]);
        await restarted.WaitUntilServingAsync(ports[1], _startTimeout);
        Assert.Contains($"Orlog endpoints: silo 127.0.0.1:{ports[0]}, gateway 127.0.0.1:{ports[1]}", restarted.Output, StringComparison.Ordinal);
    }

    /// <summary>A connection to <paramref name="port"/> that the listening side closes first: its socket stays in TIME_WAIT.</summary>
    private static async Task LeaveTimeWaitAsync(int port)
    {
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.SetRawSocketOption(1, 2, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEADDR
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            using (var accepted = await listener.AcceptAsync())
            {
                accepted.Shutdown(SocketShutdown.Both);
            }
            Assert.Equal(0, await client.ReceiveAsync(new byte[1]));
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (TcpTable.Count(port, TcpTable.TimeWait) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no socket in TIME_WAIT on port {port}");
            await Task.Delay(20);
        }
    }
}
