using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orlog.Benchmarks.Compare;
using Orlog.Grains;
using Orlog.Grains.Hosting;

namespace Orlog.Benchmarks.Streams;

/// <summary>
/// An embedded Orlog silo hosted in this process (AddOrlogBroker on a temporary data directory, localhost
/// clustering on free ports) with stream providers side by side: Orlog's ("orlog": the delivery and the publish
/// namespaces, one topic each; "orlog-batched": the same with deliveries of up to 32 events) and Orleans' memory
/// provider ("memory", as many queues as the topics have partitions).
/// The pub-sub store is the silo's default storage, as on the embedded default. The data directory goes on dispose.
/// </summary>
internal sealed class StreamsSilo : IAsyncDisposable
{
    public const string OrlogProvider = "orlog";
    public const string MemoryProvider = "memory";
    public const string OrlogNamespace = "bench-orlog";
    public const string MemoryNamespace = "bench-memory";

    /// <summary>A second Orlog provider, handing a subscriber up to <see cref="DeliveryBatch"/> events of a stream per delivery call.</summary>
    public const string BatchedProvider = "orlog-batched";
    public const string BatchedNamespace = "bench-orlog-batched";
    public const int DeliveryBatch = 32;

    /// <summary>Where the publishing grains write; nothing subscribes to it.</summary>
    public const string PublishNamespace = "bench-publish";

    private readonly IHost _host;

    private StreamsSilo(IHost host, string directory)
    {
        _host = host;
        Directory = directory;
    }

    public string Directory { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public DeliveryMeter Meter => _host.Services.GetRequiredService<DeliveryMeter>();

    public static async Task<StreamsSilo> StartAsync(int partitions)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orlog-streams-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Orlog:DataDirectory"] = Path.Combine(directory, "data") })
            .Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = directory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<DeliveryMeter>();
        builder.UseOrleans(silo => silo
            .AddOrlogBroker(configuration)
            .UseLocalhostClustering(PeerEnvironment.FreePort(), PeerEnvironment.FreePort(), serviceId: "orlog", clusterId: "orlog")
            .AddOrlogStreams(OrlogProvider, options =>
            {
                options.Namespaces.Add(OrlogNamespace);
                options.Namespaces.Add(PublishNamespace);
                options.Partitions = partitions;
            })
            .AddOrlogStreams(BatchedProvider, options =>
            {
                options.Namespaces.Add(BatchedNamespace);
                options.Partitions = partitions;
                options.DeliveryBatchSize = DeliveryBatch;
            })
            .AddMemoryStreams(MemoryProvider, memory => memory.ConfigurePartitioning(partitions)));
        var host = builder.Build();
        var silo = new StreamsSilo(host, directory);
        try
        {
            await host.StartAsync().ConfigureAwait(false);
            foreach (var topic in new[] { OrlogNamespace, PublishNamespace, BatchedNamespace })
            {
                var created = await silo.Grains.GetGrain<IControllerGrain>(0).CreateTopic(topic, partitions, -1, new Dictionary<string, string>()).ConfigureAwait(false);
                if (created.Error != ErrorCode.None)
                {
                    throw new InvalidOperationException($"Creating {topic}: {created.Error} {created.ErrorMessage}");
                }
            }
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException error)
            {
                Console.Error.WriteLine($"could not remove {Directory}: {error.Message}");
            }
        }
    }
}
