using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orlog.Grains;
using Orlog.Grains.Hosting;
using Orlog.Grains.Storage;

namespace Orlog.Streaming.Tests;

/// <summary>
/// Several in-process silos, each a broker (ids 1, 2, ...) with its own data directory, sharing one file grain storage
/// (the cluster database's role), each with the Orlog stream provider "orlog" and the test grains; the test host's
/// client produces through the provider too. The grains of every silo report to one <see cref="Deliveries"/>.
/// </summary>
internal sealed class StreamCluster : IAsyncDisposable
{
    private readonly TempDirectory _root;

    private StreamCluster(InProcessTestCluster cluster, TempDirectory root, Deliveries deliveries)
    {
        Cluster = cluster;
        _root = root;
        Deliveries = deliveries;
    }

    public InProcessTestCluster Cluster { get; }

    public Deliveries Deliveries { get; }

    public IClusterClient Client => Cluster.Client;

    public IControllerGrain Controller => Client.GetGrain<IControllerGrain>(0);

    public static async Task<StreamCluster> StartAsync(short silos, Action<OrlogStreamOptions> configure)
    {
        var root = new TempDirectory();
        var deliveries = new Deliveries();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((options, silo) =>
        {
            var brokerId = int.Parse(options.SiloName.AsSpan(options.SiloName.LastIndexOf('_') + 1), CultureInfo.InvariantCulture) + 1;
            silo.Services.Configure<BrokerOptions>(broker =>
            {
                broker.BrokerId = brokerId;
                broker.DataDirectory = root.Combine("broker-" + brokerId.ToString(CultureInfo.InvariantCulture));
            });
            // A silo that stops answering is declared dead sooner than with the defaults (tens of seconds).
            silo.Services.Configure<Orleans.Configuration.ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(1);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
            });
            silo.Services.AddOrlogGrainServices();
            silo.Services.AddSingleton(deliveries);
            silo.AddOrlogFileGrainStorageAsDefault(storage => storage.RootDirectory = root.Combine("shared-metadata"));
            silo.AddOrlogStreams(StreamSilo.Provider, configure);
        });
        builder.ConfigureClient(client => client.AddOrlogStreams(StreamSilo.Provider, configure));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new StreamCluster(cluster, root, deliveries);
    }

    public InProcessSiloHandle Silo(int brokerId) =>
        Cluster.GetActiveSilos().Single(s => s.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<BrokerOptions>>().Value.BrokerId == brokerId);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _root.Dispose();
    }
}
