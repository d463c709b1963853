using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orlog.Grains.Hosting;

namespace Orlog.Silo.Tests;

public sealed class SiloSettingsTests
{
    private static readonly SiloEndpointOptionsValidator _validator = new();

    [Fact]
    public void The_default_endpoints_are_valid() => Assert.True(_validator.Validate(null, new SiloEndpointOptions()).Succeeded);

    [Theory]
    [InlineData(-5, 30000, "127.0.0.1", null, "Orlog:SiloPort=-5")]
    [InlineData(11111, 70000, "127.0.0.1", null, "Orlog:GatewayPort=70000")]
    [InlineData(11111, 11111, "127.0.0.1", null, "both 11111")]
    [InlineData(11111, 30000, "example.org", null, "Orlog:ListenAddress='example.org'")]
    [InlineData(11111, 30000, "0.0.0.0", "0.0.0.0", "Orlog:AdvertisedAddress='0.0.0.0'")]
    [InlineData(11111, 30000, "0.0.0.0", "10.0.0.300", "Orlog:AdvertisedAddress='10.0.0.300'")]
    public void A_bad_endpoint_setting_is_refused_naming_it(int siloPort, int gatewayPort, string listen, string? advertised, string failure)
    {
        var result = _validator.Validate(null, new SiloEndpointOptions { SiloPort = siloPort, GatewayPort = gatewayPort, ListenAddress = listen, AdvertisedAddress = advertised });

        Assert.True(result.Failed);
        Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 30000)]
    [InlineData(11111, 0)]
    [InlineData(1, 65535)]
    public void Port_0_picks_a_free_port_and_is_accepted_for_either_or_both(int siloPort, int gatewayPort) =>
        Assert.True(_validator.Validate(null, new SiloEndpointOptions { SiloPort = siloPort, GatewayPort = gatewayPort }).Succeeded);

    [Fact]
    public void StartupFailure_maps_a_port_in_use_to_1_with_one_line_naming_the_setting()
    {
        using var error = new StringWriter();
        var inUse = new PortInUseException("gateway", "Orlog:GatewayPort", "127.0.0.1", 30000, new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse));

        Assert.Equal(StartupFailure.Failed, StartupFailure.Report(inUse, error));
        Assert.Equal(
            "orlog-silo: the gateway port 30000 (Orlog:GatewayPort) on 127.0.0.1 is in use by another process; stop that process or choose another port (Orlog:GatewayPort=0 picks a free one)." + Environment.NewLine,
            error.ToString());

        using var orleansBind = new StringWriter();
        var taken = new IOException("Address already in use", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse));
        Assert.Equal(StartupFailure.Failed, StartupFailure.Report(new AggregateException(taken), orleansBind));
        Assert.StartsWith("orlog-silo: a port is in use by another process (taken while the silo started)", orleansBind.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 0)]
    [InlineData("PLAINTEXT://kafka.example.com:19092", "kafka.example.com", 19092)]
    [InlineData("10.1.2.3:9092", "10.1.2.3", 9092)]
    [InlineData("plaintext://[::1]:9092", "::1", 9092)]
    [InlineData("kafka-1", "kafka-1", 0)] // no port: the bound one
    public void Advertised_listeners_is_one_plaintext_host_and_port(string? setting, string? host, int port)
    {
        var options = new SiloEndpointOptions { AdvertisedListeners = setting };
        Assert.True(options.TryGetAdvertisedListener(out var listener));
        Assert.Equal(host, listener?.Host);
        Assert.Equal(port, listener?.Port ?? 0);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("SSL://kafka:9093")]
    [InlineData("PLAINTEXT://a:9092,PLAINTEXT://b:9092")]
    [InlineData("0.0.0.0:9092")]
    [InlineData("kafka:port")]
    [InlineData("kafka:70000")]
    [InlineData("PLAINTEXT://")]
    public void A_bad_advertised_listener_is_refused_naming_the_setting(string setting)
    {
        var result = _validator.Validate(null, new SiloEndpointOptions { AdvertisedListeners = setting });
        Assert.True(result.Failed);
        Assert.Contains($"Orlog:AdvertisedListeners='{setting}' is not one listener", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Friendly_switches_map_onto_configuration_keys()
    {
        var configuration = Configure("--data-dir", "/var/orlog", "--broker-id", "2", "--cluster-id", "c1", "--silo-port", "-5",
            "--gateway-port=31000", "--listen-address", "0.0.0.0", "--advertised-address", "10.0.0.5",
            "--config", "log.retention.ms=1000", "--config=num.partitions=3", "--Logging:LogLevel:Default", "Debug");

        Assert.Equal("/var/orlog", configuration["Orlog:DataDirectory"]);
        Assert.Equal("2", configuration["Orlog:BrokerId"]);
        Assert.Equal("c1", configuration["Orlog:ClusterId"]);
        Assert.Equal("-5", configuration["Orlog:SiloPort"]);
        Assert.Equal("31000", configuration["Orlog:GatewayPort"]);
        Assert.Equal("0.0.0.0", configuration["Orlog:ListenAddress"]);
        Assert.Equal("10.0.0.5", configuration["Orlog:AdvertisedAddress"]);
        Assert.Equal("1000", configuration["Orlog:Defaults:log.retention.ms"]);
        Assert.Equal("3", configuration["Orlog:Defaults:num.partitions"]);
        Assert.Equal("Debug", configuration["Logging:LogLevel:Default"]);
    }

    [Theory]
    [InlineData("--data-dri", "x", "Unknown option '--data-dri'")]
    [InlineData("data", null, "Unexpected argument 'data'")]
    [InlineData("--silo-port", null, "--silo-port needs a value")]
    [InlineData("--config", "log.retention.ms", "--config takes NAME=VALUE")]
    [InlineData("-p", "5", "Unexpected argument '-p'")]
    public void A_bad_command_line_is_a_usage_error_naming_the_argument(string first, string? second, string error)
    {
        string[] args = second is null ? [first] : [first, second];

        var result = SiloCommandLine.Parse(args);
        Assert.NotNull(result.Error);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_recognised() => Assert.True(SiloCommandLine.Parse(["--data-dir", "x", "--help"]).ShowHelp);

    [Fact]
    public void Environment_style_keys_and_broker_defaults_are_normalised_by_the_broker()
    {
        using var temp = new TempDirectory();
        var builder = OrlogSilo.CreateBuilder(["--data-dir", temp.Combine("data"), "--Orlog:Defaults:LOG_RETENTION_MS=5"]);
        using var host = builder.Build();

        var broker = host.Services.GetRequiredService<IOptions<BrokerOptions>>().Value;
        Assert.Equal(temp.Combine("data"), broker.DataDirectory);
        Assert.Equal("5", broker.Defaults["log.retention.ms"]);
    }

    [Fact]
    public void The_host_wires_endpoints_cluster_and_the_default_file_storage_from_the_settings()
    {
        using var temp = new TempDirectory();
        var builder = OrlogSilo.CreateBuilder(["--data-dir", temp.Combine("data"), "--silo-port", "12000", "--gateway-port", "12001", "--cluster-id", "blue"]);
        using var host = builder.Build();

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(12000, endpoints.SiloPort);
        Assert.Equal(12001, endpoints.GatewayPort);
        Assert.Equal(System.Net.IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal("blue", cluster.ClusterId);
        Assert.Equal("orlog", cluster.ServiceId);
        var storage = Assert.IsType<Orlog.Grains.Storage.FileGrainStorage>(host.Services.GetRequiredService<Orleans.Storage.IGrainStorage>());
        Assert.Equal(temp.Combine("data", "metadata"), storage.RootDirectory);
        Assert.False(Directory.Exists(temp.Combine("data")), "nothing touches the data directory before the silo starts");
    }

    [Fact]
    public void StartupFailure_maps_bad_settings_to_2_and_other_failures_to_1()
    {
        using var error = new StringWriter();
        var invalid = new OptionsValidationException("x", typeof(SiloEndpointOptions), ["Orlog:SiloPort=-5 is out of range"]);
        Assert.Equal(StartupFailure.BadSetting, StartupFailure.Report(new AggregateException(invalid), error));
        Assert.Contains("bad setting: Orlog:SiloPort=-5", error.ToString(), StringComparison.Ordinal);

        Assert.Equal(StartupFailure.BadSetting, StartupFailure.Report(new InvalidOperationException("Failed to convert configuration value 'x' at 'Orlog:SiloPort' to type 'System.Int32'."), error));
        Assert.Equal(StartupFailure.Failed, StartupFailure.Report(new BrokerDataDirectoryException("/d", "The data directory '/d' is in use"), error));
        Assert.Equal(StartupFailure.Failed, StartupFailure.Report(new InvalidOperationException("boom"), error));
        Assert.Contains("boom", error.ToString(), StringComparison.Ordinal);
    }

    private static IConfiguration Configure(params string[] args)
    {
        var result = SiloCommandLine.Parse(args);
        Assert.Null(result.Error);
        return new ConfigurationBuilder()
            .AddCommandLine(result.ConfigurationArgs, new Dictionary<string, string>(SiloCommandLine.SwitchMappings, StringComparer.OrdinalIgnoreCase))
            .Build();
    }
}
