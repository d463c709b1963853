using Microsoft.Extensions.DependencyInjection;

namespace Orlog.Grains.Hosting;

/// <summary>The services the broker's grains run on (the partition logs of this silo, ...).</summary>
internal static class GrainServices
{
    public static IServiceCollection AddOrlogGrainServices(this IServiceCollection services) => services;
}
