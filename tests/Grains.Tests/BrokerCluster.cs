using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orlog.Grains.Hosting;
using Orlog.Grains.Storage;

namespace Orlog.Grains.Tests;

/// <summary>One in-process silo running the broker's grains over a temp data directory.</summary>
internal sealed class BrokerCluster : IAsyncDisposable
{
    private BrokerCluster(InProcessTestCluster cluster, string dataDirectory)
    {
        Cluster = cluster;
        DataDirectory = dataDirectory;
    }

    public InProcessTestCluster Cluster { get; }

    public string DataDirectory { get; }

    public IClusterClient Client => Cluster.Client;

    public IControllerGrain Controller => Client.GetGrain<IControllerGrain>(0);

    public IBrokerGrain Broker => Client.GetGrain<IBrokerGrain>(0);

    public static async Task<BrokerCluster> StartAsync(Action<BrokerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "orlog-grain-tests", Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Configure<BrokerOptions>(options =>
            {
                options.DataDirectory = dataDirectory;
                configure?.Invoke(options);
            });
            services?.Invoke(silo.Services);
            silo.Services.AddOrlogGrainServices();
            silo.AddOrlogFileGrainStorageAsDefault(options => options.RootDirectory = Path.Combine(dataDirectory, "metadata"));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BrokerCluster(cluster, dataDirectory);
    }

    public async Task<TopicMetadata> CreateTopicAsync(string name, int partitions = 1, Dictionary<string, string>? configs = null) =>
        (await Controller.CreateTopic(name, partitions, 1, configs ?? [])).GetTopicOrThrow();

    public async Task<PartitionProduceResult> ProduceAsync(string topic, int partition, byte[] batch, short acks = 1)
    {
        var response = await Broker.Produce(new ProduceRequest(acks, 30_000, [new PartitionBatch(topic, partition, batch)]));
        return Assert.Single(response.Results);
    }

    public async Task<PartitionFetchResult> FetchAsync(string topic, int partition, long offset, int maxWaitMs = 0, int maxBytes = 1 << 20)
    {
        var response = await Broker.Fetch(new FetchRequest(maxWaitMs, 1, maxBytes, [new PartitionFetch(topic, partition, offset, maxBytes)]));
        return Assert.Single(response.Results);
    }

    /// <summary>Stops the silo gracefully and starts it again on the same data directory.</summary>
    public async Task RestartAsync()
    {
        var silo = Cluster.GetActiveSilos().Single();
        await Cluster.RestartSiloAsync(silo);
        await Cluster.InitializeClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
