using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orlog.Grains.Groups;
using Orlog.Grains.Logs;

namespace Orlog.Grains.Hosting;

/// <summary>The services the broker's grains run on (the partition logs of this silo, ...).</summary>
internal static class GrainServices
{
    public static IServiceCollection AddOrlogGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LogManager>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LogManager>());
        services.TryAddSingleton(sp => new GroupClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OffsetExpiryService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<OffsetExpiryService>());
        return services;
    }
}
