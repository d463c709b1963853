using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Orlog.Grains;
using Orlog.Grains.Groups;
using Orlog.Grains.Hosting;
using Orlog.Grains.Logs;

namespace Orlog.Client.Tests;

/// <summary>One in-process silo running the broker's grains over a temp data directory; the SDK connects through its client.</summary>
internal sealed class ClientCluster : IAsyncDisposable
{
    private ClientCluster(InProcessTestCluster cluster, string dataDirectory)
    {
        Cluster = cluster;
        DataDirectory = dataDirectory;
    }

    public InProcessTestCluster Cluster { get; }

    public string DataDirectory { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<ClientCluster> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "orlog-client-tests", Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.Configure<BrokerOptions>(options =>
            {
                options.DataDirectory = dataDirectory;
                // Group members in tests use sessions of a second or two.
                options.Defaults[BrokerDefaults.GroupMinSessionTimeoutMsName] = "500";
            });
            // The grains' services, as the broker's hosting registers them.
            silo.Services.TryAddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<LogManager>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LogManager>());
            silo.Services.TryAddSingleton(sp => new GroupClock(sp.GetRequiredService<TimeProvider>()));
            silo.AddMemoryGrainStorageAsDefault();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ClientCluster(cluster, dataDirectory);
    }

    /// <summary>An SDK connection over the cluster's client, optionally through a gateway that intercepts broker calls.</summary>
    public OrlogClient Connect(ClientConfig? config = null, Func<IClusterGateway, IClusterGateway>? intercept = null)
    {
        IClusterGateway gateway = new GrainFactoryGateway(Client);
        if (intercept is not null)
        {
            gateway = intercept(gateway);
        }
        return new OrlogClient(gateway, config ?? new ClientConfig(), Client);
    }

    public async Task CreateTopicAsync(string name, int partitions = 1, Dictionary<string, string>? configs = null) =>
        (await Client.GetGrain<IControllerGrain>(0).CreateTopic(name, partitions, 1, configs ?? [])).GetTopicOrThrow();

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
