using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Orlog.Grains.Cluster;
using Orlog.Kafka.Server;

namespace Orlog.Silo.Kafka;

/// <summary>
/// Runs the broker's Kafka listener (<c>--kafka-port</c>): started just before the broker registers, so that the
/// registration carries its endpoint, and stopped after the controlled shutdown. The socket is the one the silo
/// reserved before it started (<see cref="PortReservations"/>).
/// </summary>
internal sealed partial class KafkaListenerHost(
    PortReservations ports,
    IOptions<SiloEndpointOptions> endpoints,
    ILocalSiloDetails silo,
    BrokerEndpoints brokerEndpoints,
    SiloKafkaBackend backend,
    ILoggerFactory loggers) : ILifecycleParticipant<ISiloLifecycle>
{
    // Before BrokerRegistrationService (ServiceLifecycleStage.Active) starts, after it stops.
    private const int Stage = ServiceLifecycleStage.Active - 1;

    private KafkaListener? _listener;

    /// <summary>The Kafka connections open now (0 when the listener is off).</summary>
    public int ConnectionCount => _listener?.ConnectionCount ?? 0;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(KafkaListenerHost), Stage, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        var socket = ports.TakeKafkaSocket();
        if (socket is null)
        {
            return Task.CompletedTask;
        }
        _listener = new KafkaListener(socket, new KafkaRequestHandler(backend), KafkaListener.DefaultMaxRequestBytes, loggers.CreateLogger<KafkaListener>());
        var bound = _listener.EndPoint;
        endpoints.Value.TryGetAdvertisedListener(out var listener); // checked at start
        var host = listener?.Host ?? AdvertisedHost(bound.Address);
        var port = listener is { Port: > 0 } given ? given.Port : bound.Port;
        brokerEndpoints.Kafka = string.Create(CultureInfo.InvariantCulture, $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
        if (!IPAddress.IsLoopback(bound.Address))
        {
            LogNotAuthenticated(loggers.CreateLogger<KafkaListenerHost>(), bound.ToString());
        }
        _listener.Start();
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        if (_listener is { } listener)
        {
            await listener.DisposeAsync();
        }
    }

    // What Kafka clients are told without advertised.listeners: the advertised address, else the bound one, else
    // (0.0.0.0, ::) the silo's.
    private string AdvertisedHost(IPAddress bound)
    {
        var advertised = SiloEndpointOptions.ParseAddress(endpoints.Value.AdvertisedAddress);
        if (advertised is not null)
        {
            return advertised.ToString();
        }
        return SiloEndpointOptions.IsAnyAddress(bound) ? silo.SiloAddress.Endpoint.Address.ToString() : bound.ToString();
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "The Kafka listener on {EndPoint} is reachable beyond this host, and Kafka clients are not authenticated yet: anyone who reaches it can read and write every topic")]
    private static partial void LogNotAuthenticated(ILogger logger, string endPoint);
}
