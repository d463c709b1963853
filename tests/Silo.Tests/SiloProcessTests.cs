using Orlog.Grains.Hosting;

namespace Orlog.Silo.Tests;

/// <summary>The real silo, as a user runs it: <c>dotnet Orlog.Silo.dll</c> in a child process.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SiloProcessTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataDirectory => _temp.Combine("data");

    private SiloProcess StartSilo(int siloPort, int gatewayPort, params string[] more) =>
        SiloProcess.Start(_temp.Path, ["--data-dir", DataDirectory, "--silo-port", P(siloPort), "--gateway-port", P(gatewayPort), .. more]);

    private static string P(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_silo_serves_refuses_a_second_silo_on_its_directory_and_stops_gracefully_on_SIGTERM()
    {
        var ports = FreePorts.Take(4);
        await using var first = StartSilo(ports[0], ports[1]);
        await first.WaitUntilServingAsync(ports[1], _startTimeout);
        Assert.Contains(Path.GetFullPath(DataDirectory), first.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "meta.properties")));

        await using (var second = StartSilo(ports[2], ports[3]))
        {
            var secondExit = await second.WaitForExitAsync(_exitTimeout);
            Assert.NotEqual(0, secondExit);
            Assert.Contains($"orlog-silo: The data directory '{Path.GetFullPath(DataDirectory)}' is in use", second.Error, StringComparison.Ordinal);
        }
        Assert.False(first.HasExited, "the refused silo must not disturb the running one");

        first.Terminate();
        var exit = await first.WaitForExitAsync(_exitTimeout);
        Assert.True(exit == 0, $"exit code {exit}\n{first.Describe()}");
        Assert.Contains("Orlog silo stopped", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(".log", string.Join(",", Directory.GetFiles(DataDirectory).Select(Path.GetFileName)), StringComparison.Ordinal);

        using var reopened = BrokerDataDirectory.Open(DataDirectory, 0, "orlog");
        Assert.False(reopened.IsNew);
    }

    [Fact]
    public async Task A_silo_killed_with_SIGKILL_leaves_its_data_directory_free_for_the_next_start()
    {
        var ports = FreePorts.Take(2);
        await using var silo = StartSilo(ports[0], ports[1]);
        await silo.WaitUntilServingAsync(ports[1], _startTimeout);
        Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 0, "orlog").Dispose());

        await silo.KillHardAsync(_exitTimeout);

        using var reopened = BrokerDataDirectory.Open(DataDirectory, 0, "orlog");
        Assert.False(reopened.IsNew);
    }

    [Theory]
    [InlineData("--silo-port", "-5", "Orlog:SiloPort=-5")]
    [InlineData("--gateway-port", "abc", "Orlog:GatewayPort")]
    [InlineData("--broker-id", "-1", "Orlog:BrokerId=-1")]
    [InlineData("--listen-address", "nowhere", "Orlog:ListenAddress='nowhere'")]
    [InlineData("--kafka-port", "banana", "Orlog:KafkaPort='banana'")]
    [InlineData("--kafka-address", "nowhere", "Orlog:KafkaAddress='nowhere'")]
    [InlineData("--web-port", "banana", "Orlog:WebPort='banana'")]
    [InlineData("--web-address", "nowhere", "Orlog:WebAddress='nowhere'")]
    [InlineData("--web-address", "0.0.0.0", "no credentials are set: set Orlog:WebToken")]
    [InlineData("--Orlog:WebUser", "admin", "Orlog:WebUser and Orlog:WebPassword go together")]
    [InlineData("--Orlog:WebSampleIntervalMs", "10", "Orlog:WebSampleIntervalMs=10 is out of range")]
    [InlineData("--otlp-endpoint", "collector:4317", "Orlog:OtlpEndpoint='collector:4317'")]
    [InlineData("--config", "log.segment.bytes=abc", "Orlog:Defaults:log.segment.bytes")]
    [InlineData("--Orlog:DataDir", "x", "Orlog:DataDir is not a setting")]
    [InlineData("--data-dri", "x", "Unknown option '--data-dri'")]
    public async Task A_bad_setting_stops_the_silo_at_start_naming_it(string option, string value, string named)
    {
        var ports = FreePorts.Take(2);
        await using var silo = StartSilo(ports[0], ports[1], option, value);

        var exit = await silo.WaitForExitAsync(_exitTimeout);
        Assert.True(exit == StartupFailure.BadSetting, $"exit code {exit}\n{silo.Describe()}");
        Assert.Contains(named, silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SiloProcess.ReadyLine, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_from_an_environment_variable_is_named_too()
    {
        var ports = FreePorts.Take(2);
        await using var silo = SiloProcess.Start(
            _temp.Path,
            ["--data-dir", DataDirectory, "--silo-port", P(ports[0]), "--gateway-port", P(ports[1])],
            new Dictionary<string, string> { ["Orlog__Defaults__log_retention_hours"] = "168" });

        var exit = await silo.WaitForExitAsync(_exitTimeout);
        Assert.Equal(StartupFailure.BadSetting, exit);
        Assert.Contains("Orlog:Defaults:log.retention.hours", silo.Error, StringComparison.Ordinal);
        Assert.Contains("log.retention.ms", silo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_of_another_broker_is_refused_naming_both_ids()
    {
        BrokerDataDirectory.Open(DataDirectory, 0, "orlog").Dispose();
        var ports = FreePorts.Take(2);
        await using var silo = StartSilo(ports[0], ports[1], "--broker-id", "7");

        var exit = await silo.WaitForExitAsync(_exitTimeout);
        Assert.Equal(StartupFailure.Failed, exit);
        Assert.Contains("broker.id=0", silo.Error, StringComparison.Ordinal);
        Assert.Contains("broker.id=7", silo.Error, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(DataDirectory), silo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_options_and_exits_0()
    {
        await using var silo = SiloProcess.Start(_temp.Path, ["--help"]);

        Assert.Equal(0, await silo.WaitForExitAsync(_exitTimeout));
        Assert.Contains("--data-dir", silo.Output, StringComparison.Ordinal);
        Assert.Contains("--config NAME=VALUE", silo.Output, StringComparison.Ordinal);
    }
}

/// <summary>Silo processes run one test at a time: each one takes most of this machine's two cores while it starts.</summary>
[CollectionDefinition(Name)]
public sealed class SiloProcessCollection
{
    public const string Name = "silo processes";
}
