using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orlog.Grains.Cluster;
using Orlog.Grains.Groups;
using Orlog.Grains.Logs;
using Orlog.Grains.Placement;
using Orlog.Grains.Replication;

namespace Orlog.Grains.Hosting;

/// <summary>The services the broker's grains run on (the partition logs of this silo, its metadata cache, ...).</summary>
internal static class GrainServices
{
    public static IServiceCollection AddOrlogGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BrokerEndpoints>();
        services.AddSingleton<LogManager>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LogManager>());
        services.TryAddSingleton(sp => new GroupClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OffsetExpiryService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<OffsetExpiryService>());

        // The silo is named after its broker, so Orleans' membership maps broker ids to silos on every silo.
        services.AddOptions<SiloOptions>().PostConfigure<IOptions<BrokerOptions>>((silo, broker) => silo.SiloName = BrokerSilos.SiloName(broker.Value.BrokerId));
        services.AddSingleton<BrokerSilos>();
        services.AddSingleton<ReplicaManager>();
        services.AddSingleton<IMetadataFollower>(sp => sp.GetRequiredService<ReplicaManager>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReplicaManager>());
        services.AddMetrics();
        services.AddSingleton<Metrics.BrokerMetrics>();
        services.AddSingleton<IMetadataFollower>(sp => sp.GetRequiredService<Metrics.BrokerMetrics>());
        services.AddSingleton<MetadataCache>();
        services.AddOptions<Topics.TopicRouterOptions>();
        services.AddPlacementDirector<BrokerPlacementStrategy, BrokerPlacementDirector>();
        services.AddSingleton<BrokerRegistrationService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<BrokerRegistrationService>());
        return services;
    }
}
