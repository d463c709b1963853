using System.Net;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Silo;

/// <summary>
/// The silo's ports, held by <see cref="PortReservation"/>s from <see cref="Reserve"/> (called before the host
/// starts, so that a port in use stops the silo before anything else happens) until the silo lifecycle stage
/// just before Orleans binds its listeners. A port of 0 becomes the free port the kernel picked, and that is
/// the port Orleans is given.
/// </summary>
/// <remarks>
/// What remains open: between <see cref="OnBeforeOrleansBinds"/> closing the held sockets and Orleans binding
/// (the same process, a lifecycle stage apart: milliseconds), a process that binds with SO_REUSEPORT can
/// still join the port. Another Orlog silo cannot: its own reservation lacks SO_REUSEPORT, so either it is
/// refused, or it takes the port in that window and this silo's Orleans bind fails (exit 1).
/// Without <see cref="Reserve"/> (a host built by <see cref="OrlogSilo.CreateBuilder"/> and started
/// directly) the configured ports go to Orleans as they are.
/// </remarks>
internal sealed class PortReservations(IOptions<SiloEndpointOptions> options, IOptions<Web.WebOptions> web, IOptions<ClusterDb.ClusterDbOptions> clusterDb) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // Orleans 10.4.2 binds its silo and gateway listeners at RuntimeInitialize - 1 (seen in its log when the
    // gateway's bind fails: "failed to start due to errors at stage '1999'"); the held sockets close just before.
    private const int ReleaseStage = ServiceLifecycleStage.RuntimeInitialize - 2;

    private readonly Lock _gate = new();
    private PortReservation? _silo;
    private PortReservation? _gateway;
    private PortReservation? _kafka;
    private PortReservation? _web;
    private bool _webTaken;
    private bool _reserved;

    /// <summary>The silo-to-silo port to bind: the reserved one once <see cref="Reserve"/> ran.</summary>
    public int SiloPort { get; private set; } = options.Value.SiloPort;

    /// <summary>The gateway port to bind: the reserved one once <see cref="Reserve"/> ran.</summary>
    public int GatewayPort { get; private set; } = options.Value.GatewayPort;

    /// <summary>The address both ports are bound to.</summary>
    public IPAddress ListenAddress { get; } = SiloEndpointOptions.ParseAddress(options.Value.ListenAddress) ?? IPAddress.Loopback;

    /// <summary>The Kafka listener's port (0: a free one until it is bound), or null when the listener is off.</summary>
    public int? KafkaPort { get; private set; } = options.Value.TryGetKafkaPort(ClusterDb.ClusterDbOptions.IsClusterMode(clusterDb.Value), out var kafka) ? kafka : null;

    /// <summary>The address the Kafka listener is bound to: its own setting, else the listen address.</summary>
    public IPAddress KafkaAddress => SiloEndpointOptions.ParseAddress(options.Value.KafkaAddress) ?? ListenAddress;

    /// <summary>The web port (0: a free one until it is bound), or null when the web surface is off.</summary>
    public int? WebPort { get; private set; } = web.Value.TryGetWebPort(ClusterDb.ClusterDbOptions.IsClusterMode(clusterDb.Value), out var port) ? port : null;

    /// <summary>The address the web port is bound to.</summary>
    public IPAddress WebAddress { get; } = web.Value.Address ?? IPAddress.Loopback;

    /// <summary>
    /// The web host's socket, bound and listening (the one <see cref="Reserve"/> holds, else bound now); the caller
    /// owns it. Null when the web surface is off or the socket was taken already.
    /// </summary>
    /// <exception cref="PortInUseException">The port cannot be bound.</exception>
    public System.Net.Sockets.Socket? TakeWebSocket()
    {
        lock (_gate)
        {
            if (WebPort is not { } port || _webTaken)
            {
                return null;
            }
            var reservation = _web ?? PortReservation.Take(WebAddress, port, "web", $"{BrokerOptions.SectionName}:{nameof(Web.WebOptions.WebPort)}");
            _web = null;
            _webTaken = true;
            WebPort = reservation.Port;
            return reservation.TakeSocket();
        }
    }

    /// <summary>
    /// The Kafka listener's socket, bound and listening (the one <see cref="Reserve"/> holds, else bound now); the
    /// caller owns it. Null when the listener is off.
    /// </summary>
    /// <exception cref="PortInUseException">The port cannot be bound.</exception>
    public System.Net.Sockets.Socket? TakeKafkaSocket()
    {
        lock (_gate)
        {
            if (KafkaPort is not { } port)
            {
                return null;
            }
            var reservation = _kafka ?? PortReservation.Take(KafkaAddress, port, "Kafka", $"{BrokerOptions.SectionName}:{nameof(SiloEndpointOptions.KafkaPort)}");
            _kafka = null;
            KafkaPort = reservation.Port;
            return reservation.TakeSocket();
        }
    }

    /// <summary>Binds every configured port on the listen address and holds it.</summary>
    /// <exception cref="PortInUseException">A port cannot be bound; nothing stays held.</exception>
    public void Reserve()
    {
        lock (_gate)
        {
            if (_reserved)
            {
                return;
            }
            const string Section = BrokerOptions.SectionName;
            var taken = new List<PortReservation>();
            PortReservation Take(IPAddress address, int port, string surface, string setting)
            {
                var reservation = PortReservation.Take(address, port, surface, $"{Section}:{setting}");
                taken.Add(reservation);
                return reservation;
            }
            try
            {
                var silo = Take(ListenAddress, SiloPort, "silo", nameof(SiloEndpointOptions.SiloPort));
                var gateway = Take(ListenAddress, GatewayPort, "gateway", nameof(SiloEndpointOptions.GatewayPort));
                var kafka = KafkaPort is { } kafkaPort ? Take(KafkaAddress, kafkaPort, "Kafka", nameof(SiloEndpointOptions.KafkaPort)) : null;
                var web = WebPort is { } webPort ? Take(WebAddress, webPort, "web", nameof(Web.WebOptions.WebPort)) : null;
                (_silo, _gateway, _kafka, _web) = (silo, gateway, kafka, web);
                (SiloPort, GatewayPort, KafkaPort, WebPort) = (silo.Port, gateway.Port, kafka?.Port, web?.Port);
            }
            catch
            {
                // A port in use: nothing stays held.
                taken.ForEach(reservation => reservation.Dispose());
                throw;
            }
            _reserved = true;
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PortReservations), ReleaseStage, OnBeforeOrleansBinds, _ => Task.CompletedTask);

    public void Dispose()
    {
        Release();
        lock (_gate)
        {
            _kafka?.Dispose();
            _kafka = null;
            _web?.Dispose();
            _web = null;
        }
    }

    private Task OnBeforeOrleansBinds(CancellationToken cancellationToken)
    {
        Release();
        return Task.CompletedTask;
    }

    private void Release()
    {
        lock (_gate)
        {
            _silo?.Dispose();
            _gateway?.Dispose();
            _silo = null;
            _gateway = null;
        }
    }
}
