using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orlog.Silo;

/// <summary>The silo's ports: held from before the start (<see cref="PortReservations"/>), written once bound (<see cref="EndpointsFile"/>).</summary>
internal static class PortServices
{
    public static IServiceCollection AddOrlogPorts(this IServiceCollection services)
    {
        services.TryAddSingleton<PortReservations>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<PortReservations>());
        services.TryAddSingleton<Kafka.SiloKafkaBackend>();
        services.TryAddSingleton<Kafka.KafkaListenerHost>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<Kafka.KafkaListenerHost>());
        services.TryAddSingleton<EndpointsFile>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<EndpointsFile>());
        return services;
    }
}
