using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Grains.Storage;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>
/// Several in-process silos, each a broker with its own id (1, 2, 3, ... by silo) and its own data directory,
/// sharing one file grain storage for the controller's and groups' state (the role PostgreSQL plays in a
/// real cluster).
/// </summary>
internal sealed class MultiBrokerCluster : IAsyncDisposable
{
    private MultiBrokerCluster(InProcessTestCluster cluster, string root)
    {
        Cluster = cluster;
        Root = root;
    }

    public InProcessTestCluster Cluster { get; }

    public string Root { get; }

    public IClusterClient Client => Cluster.Client;

    public IControllerGrain Controller => Client.GetGrain<IControllerGrain>(0);

    public string DataDirectory(int brokerId) => Path.Combine(Root, "broker-" + brokerId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Starts <paramref name="brokers"/> brokers, each with the broker settings in <paramref name="defaults"/> (Orlog:Defaults);
    /// with <paramref name="orleansGrainDirectory"/>, on Orleans' own grain directory (<see cref="UseOrleansGrainDirectory"/>).
    /// </summary>
    public static async Task<MultiBrokerCluster> StartAsync(short brokers, IReadOnlyDictionary<string, string>? defaults = null, bool orleansGrainDirectory = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "orlog-cluster-tests", Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(brokers);
        if (orleansGrainDirectory)
        {
            UseOrleansGrainDirectory(builder.Options);
        }
        builder.ConfigureSilo((options, silo) =>
        {
            // "Silo_0" is broker 1, "Silo_1" broker 2, ...: the same broker again after a restart.
            var brokerId = int.Parse(options.SiloName.AsSpan(options.SiloName.LastIndexOf('_') + 1), CultureInfo.InvariantCulture) + 1;
            silo.Services.Configure<BrokerOptions>(broker =>
            {
                broker.BrokerId = brokerId;
                broker.DataDirectory = Path.Combine(root, "broker-" + brokerId.ToString(CultureInfo.InvariantCulture));
                foreach (var (name, value) in defaults ?? new Dictionary<string, string>())
                {
                    broker.Defaults[name] = value;
                }
            });
            silo.Services.AddOrlogGrainServices();
            silo.AddOrlogFileGrainStorageAsDefault(storage => storage.RootDirectory = Path.Combine(root, "shared-metadata"));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new MultiBrokerCluster(cluster, root);
    }

    /// <summary>
    /// The test host shares one in-memory grain directory between its silos by default; a real cluster runs
    /// Orleans' distributed directory (each silo owns part of a hash ring, and a silo that leaves takes its part's
    /// registrations with it). A test of what a leaving silo does to the others' activations needs the real one.
    /// With it, a grain may briefly have two activations while the silos join (the controller's second one fails
    /// its first write with NOT_CONTROLLER, which the SDK retries and grain calls in tests do not): so it is
    /// opt-in. The switch is internal to Orleans.TestingHost: a version that renames it fails here, loudly.
    /// </summary>
    private static void UseOrleansGrainDirectory(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterGrainDirectory",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Orleans.TestingHost has no InProcessTestClusterOptions.UseTestClusterGrainDirectory any more: see MultiBrokerCluster.");
        property.SetValue(options, false);
    }

    /// <summary>The silo of a broker, by the name its membership entry carries.</summary>
    public InProcessSiloHandle Silo(int brokerId) =>
        Cluster.GetActiveSilos().Single(s => s.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<BrokerOptions>>().Value.BrokerId == brokerId);

    public MetadataCache MetadataOf(int brokerId) => Silo(brokerId).ServiceProvider.GetRequiredService<MetadataCache>();

    public async Task<TopicMetadata> CreateTopicAsync(string name, int partitions, short replicationFactor = 1) =>
        (await Controller.CreateTopic(name, partitions, replicationFactor, new Dictionary<string, string>())).GetTopicOrThrow();

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
