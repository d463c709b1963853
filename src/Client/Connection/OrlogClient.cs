using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Orlog.Client;

/// <summary>
/// A connection to an Orlog cluster, shared by producers, consumers and admin clients: an Orleans client
/// connected to the gateways of bootstrap.servers (<see cref="ConnectAsync"/>), or an
/// <see cref="IGrainFactory"/> the application already has (<see cref="FromGrainFactory"/>: an
/// <see cref="IClusterClient"/>, or a silo's own factory), plus the cached topic metadata.
/// <code>
/// await using var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = "127.0.0.1:30000" });
/// using var producer = new ProducerBuilder&lt;string, string&gt;(new ProducerConfig()).SetClient(client).Build();
/// </code>
/// </summary>
public sealed class OrlogClient : IAsyncDisposable, IDisposable
{
    private readonly IHost? _host;
    private int _disposed;

    internal OrlogClient(IClusterGateway gateway, ClientConfig config, IGrainFactory? grainFactory = null, IHost? host = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Gateway = gateway;
        Config = config;
        GrainFactory = grainFactory;
        _host = host;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Clock = new Clock(timeProvider ?? TimeProvider.System);
        Metadata = new MetadataCache(gateway, Clock, config.MetadataMaxAgeMs);
        Liveness = new BrokerLiveness(gateway);
    }

    /// <summary>The Orleans grain factory this client calls through (null only for test doubles).</summary>
    public IGrainFactory? GrainFactory { get; }

    internal IClusterGateway Gateway { get; }

    internal ClientConfig Config { get; }

    internal MetadataCache Metadata { get; }

    internal BrokerLiveness Liveness { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal Clock Clock { get; }

    /// <summary>
    /// Starts an Orleans client for the cluster at bootstrap.servers (cluster and service id from
    /// orleans.cluster.id / orleans.service.id) and waits until it is connected.
    /// </summary>
    /// <exception cref="ClusterUnreachableException">No gateway answered within socket.connection.setup.timeout.ms.</exception>
    /// <exception cref="ArgumentException">bootstrap.servers is malformed.</exception>
    public static async Task<OrlogClient> ConnectAsync(ClientConfig config, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var timeout = TimeSpan.FromMilliseconds(config.SocketConnectionSetupTimeoutMs);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IHost? host = null;
        Exception? lastAttempt = null;
        try
        {
            var endpoints = await BootstrapEndpoints.ResolveAsync(config.BootstrapServers, deadline.Token).ConfigureAwait(false);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            if (loggerFactory is not null)
            {
                builder.Services.AddSingleton(loggerFactory);
            }
            // The client starts from bootstrap.servers and then follows the live brokers' gateways.
            var refresh = TimeSpan.FromMilliseconds(config.OrleansGatewayListRefreshMs);
            var gateways = new ClusterGatewayList(endpoints, maxStaleness: 2 * refresh);
            builder.UseOrleansClient(client =>
            {
                client.Services.AddSingleton<IGatewayListProvider>(gateways);
                client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromMilliseconds(Math.Min(refresh.TotalMilliseconds, 1000)));
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = config.OrleansClusterId;
                    options.ServiceId = config.OrleansServiceId;
                });
                client.UseConnectionRetryFilter(async (attempt, token) =>
                {
                    lastAttempt = attempt;
                    // Keep trying until the connect deadline: a silo that is still starting answers soon.
                    await Task.Delay(200, token).ConfigureAwait(false);
                    return !token.IsCancellationRequested;
                });
            });
            builder.Services.AddHostedService(services => new GatewayFollower(
                services.GetRequiredService<IClusterClient>(), gateways, refresh, services.GetRequiredService<ILogger<GatewayFollower>>()));
            host = builder.Build();
            await host.StartAsync(deadline.Token).ConfigureAwait(false);
            var cluster = host.Services.GetRequiredService<IClusterClient>();
            return new OrlogClient(new GrainFactoryGateway(cluster), config, cluster, host, loggerFactory);
        }
        catch (Exception error)
        {
            if (host is not null)
            {
                await StopQuietlyAsync(host).ConfigureAwait(false);
            }
            if (error is ArgumentException || cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            var cause = lastAttempt ?? error;
            throw new ClusterUnreachableException(
                $"Could not reach the Orlog cluster at {config.BootstrapServers} (cluster id '{config.OrleansClusterId}') within {timeout.TotalMilliseconds:0} ms: {cause.Message} Is the silo running? Check bootstrap.servers.",
                cause);
        }
    }

    /// <summary>Connects as <see cref="ConnectAsync"/>, blocking the caller.</summary>
    /// <exception cref="ClusterUnreachableException">No gateway answered in time.</exception>
    public static OrlogClient Connect(ClientConfig config, ILoggerFactory? loggerFactory = null) =>
        Task.Run(() => ConnectAsync(config, loggerFactory)).GetAwaiter().GetResult();

    /// <summary>
    /// A client over a grain factory the application already has (an <see cref="IClusterClient"/>, or a silo's
    /// <see cref="IGrainFactory"/> for code running in a grain). Disposing it leaves the factory alone.
    /// </summary>
    public static OrlogClient FromGrainFactory(IGrainFactory grainFactory, ClientConfig? config = null, ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        return new OrlogClient(new GrainFactoryGateway(grainFactory), config ?? new ClientConfig(), grainFactory, null, loggerFactory, timeProvider);
    }

    /// <summary>Stops the Orleans client this instance started (a wrapped factory is left alone).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _host is not null)
        {
            await StopQuietlyAsync(_host).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopping a client that never connected, or whose cluster is gone, may fail; nothing is lost.
        }
        host.Dispose();
    }
}
