using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Silo;

/// <summary>Logs the effective settings as the host starts, and one line once the silo is up and once it stops.</summary>
internal sealed partial class SiloStartupLog(
    IOptions<BrokerOptions> broker,
    IOptions<SiloEndpointOptions> endpoints,
    PortReservations ports,
    IHostApplicationLifetime lifetime,
    ILogger<SiloStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var b = broker.Value;
        var e = endpoints.Value;
        var defaults = b.Defaults.Count == 0 ? "(none)" : string.Join(", ", b.Defaults.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        LogSettings(logger, b.BrokerId, b.ClusterId, b.DataDirectory, e.ListenAddress, e.AdvertisedAddress ?? "(listen address)", e.SiloPort, e.GatewayPort, defaults);
        lifetime.ApplicationStarted.Register(() => LogStarted(logger, b.BrokerId, b.ClusterId, e.ListenAddress, ports.GatewayPort, b.DataDirectory));
        lifetime.ApplicationStopping.Register(() => LogStopping(logger));
        lifetime.ApplicationStopped.Register(() => LogStopped(logger));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Orlog settings: broker {BrokerId}, cluster {ClusterId}, data directory {DataDirectory}, listen address {ListenAddress}, advertised address {AdvertisedAddress}, silo port {SiloPort}, gateway port {GatewayPort}, broker defaults {Defaults}")]
    private static partial void LogSettings(ILogger logger, int brokerId, string clusterId, string dataDirectory, string listenAddress, string advertisedAddress, int siloPort, int gatewayPort, string defaults);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orlog silo started: broker {BrokerId} of cluster {ClusterId}, gateway {ListenAddress}:{GatewayPort}, data directory {DataDirectory}")]
    private static partial void LogStarted(ILogger logger, int brokerId, string clusterId, string listenAddress, int gatewayPort, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orlog silo stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orlog silo stopped")]
    private static partial void LogStopped(ILogger logger);
}
