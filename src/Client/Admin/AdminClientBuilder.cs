using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>
/// Builds an <see cref="IAdminClient"/>, as Confluent.Kafka's AdminClientBuilder: it connects its own Orleans
/// client from bootstrap.servers unless given one with <see cref="SetClient"/> or <see cref="SetGrainFactory"/>.
/// </summary>
public sealed class AdminClientBuilder
{
    private readonly ClientConfig _config;
    private OrlogClient? _client;
    private IGrainFactory? _grainFactory;
    private ILoggerFactory? _loggerFactory;
    private Action<IAdminClient, Error>? _errorHandler;
    private Action<IAdminClient, LogMessage>? _logHandler;
    private Action<IAdminClient, string>? _statisticsHandler;

    /// <summary>A builder with the common client settings.</summary>
    public AdminClientBuilder(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = new ClientConfig(config);
    }

    /// <summary>A builder with the given settings (Kafka names).</summary>
    /// <exception cref="ArgumentException">A setting is unknown or invalid.</exception>
    public AdminClientBuilder(IEnumerable<KeyValuePair<string, string>> config)
    {
        _config = new ClientConfig(config);
    }

    /// <summary>Called with each warning or error the admin client's connection logs.</summary>
    public AdminClientBuilder SetErrorHandler(Action<IAdminClient, Error> handler)
    {
        _errorHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Called with each line the admin client's connection logs at Information or above.</summary>
    public AdminClientBuilder SetLogHandler(Action<IAdminClient, LogMessage> handler)
    {
        _logHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Every statistics.interval.ms (0, the default, turns it off), librdkafka's statistics header (name, client_id,
    /// type, ts, time, age): an admin client has no counters of its own.
    /// </summary>
    public AdminClientBuilder SetStatisticsHandler(Action<IAdminClient, string> handler)
    {
        _statisticsHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Shares an existing connection (not disposed with the admin client).</summary>
    public AdminClientBuilder SetClient(OrlogClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        return this;
    }

    /// <summary>Calls through an Orleans grain factory the application already has.</summary>
    public AdminClientBuilder SetGrainFactory(IGrainFactory grainFactory)
    {
        _grainFactory = grainFactory ?? throw new ArgumentNullException(nameof(grainFactory));
        return this;
    }

    /// <summary>Where the Orleans client it starts logs.</summary>
    public AdminClientBuilder SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Builds the admin client, connecting first when it needs its own connection.</summary>
    /// <exception cref="ClusterUnreachableException">The cluster could not be reached.</exception>
    public IAdminClient Build() => Task.Run(() => BuildAsync()).GetAwaiter().GetResult();

    /// <summary>Builds the admin client; see <see cref="Build"/>.</summary>
    public async Task<IAdminClient> BuildAsync(CancellationToken cancellationToken = default)
    {
        IAdminClient? built = null;
        var (log, error, statistics) = (_logHandler, _errorHandler, _statisticsHandler);
        var loggerFactory = HandlerLoggerFactory.Wrap(_loggerFactory, _config.ClientId,
            log is null ? null : message => log(built!, message),
            error is null ? null : failure => error(built!, failure));
        var (client, owns) = _client is not null ? (_client, false)
            : _grainFactory is not null ? (OrlogClient.FromGrainFactory(_grainFactory, _config, loggerFactory), false)
            : (await OrlogClient.ConnectAsync(_config, loggerFactory, cancellationToken).ConfigureAwait(false), true);
        built = new AdminClient(client, owns, _config, statistics is null ? null : json => statistics(built!, json));
        return built;
    }
}
