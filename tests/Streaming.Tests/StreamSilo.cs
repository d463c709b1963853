using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Grains;
using Orlog.Grains.Hosting;

namespace Orlog.Streaming.Tests;

/// <summary>An embedded Orlog silo (AddOrlogBroker, its data in a temp directory) with the Orlog stream provider "orlog" and the test grains.</summary>
internal sealed class StreamSilo : IAsyncDisposable
{
    public const string Provider = "orlog";

    private readonly TempDirectory _directory;
    private readonly IHost _host;

    private StreamSilo(TempDirectory directory, IHost host, int gatewayPort)
    {
        _directory = directory;
        _host = host;
        GatewayPort = gatewayPort;
        Bootstrap = $"127.0.0.1:{gatewayPort}";
    }

    /// <summary>The gateway's port, for an Orleans client.</summary>
    public int GatewayPort { get; }

    /// <summary>The gateway, for the SDK's and the CLI's bootstrap.servers.</summary>
    public string Bootstrap { get; }

    public IServiceProvider Services => _host.Services;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public Deliveries Deliveries => _host.Services.GetRequiredService<Deliveries>();

    public IStreamProvider Streams => Client.GetStreamProvider(Provider);

    public static async Task<StreamSilo> StartAsync(Action<OrlogStreamOptions> configure)
    {
        var directory = new TempDirectory();
        var ports = FreePorts.Take(2);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Orlog:DataDirectory"] = directory.Combine("data") })
            .Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Deliveries>();
        builder.UseOrleans(silo => silo
            .AddOrlogBroker(configuration)
            .UseLocalhostClustering(ports[0], ports[1], serviceId: "orlog", clusterId: "orlog")
            .AddOrlogStreams(Provider, configure));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            directory.Dispose();
            throw;
        }
        return new StreamSilo(directory, host, ports[1]);
    }

    /// <summary>A silo carrying one namespace, whose topic (of the same name) is created with <paramref name="partitions"/> partitions.</summary>
    public static async Task<StreamSilo> StartWithTopicAsync(string streamNamespace, int partitions, Action<OrlogStreamOptions>? configure = null)
    {
        var silo = await StartAsync(options =>
        {
            options.Namespaces.Add(streamNamespace);
            options.Partitions = partitions;
            configure?.Invoke(options);
        });
        try
        {
            await silo.CreateTopicAsync(streamNamespace, partitions);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    public async Task CreateTopicAsync(string name, int partitions)
    {
        var result = await Grains.GetGrain<IControllerGrain>(0).CreateTopic(name, partitions, -1, new Dictionary<string, string>());
        Assert.Equal(ErrorCode.None, result.Error);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }
}
