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

    /// <summary>A builder with the common client settings.</summary>
    public AdminClientBuilder(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = new ClientConfig(config);
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
        if (_client is not null)
        {
            return new AdminClient(_client, ownsClient: false);
        }
        if (_grainFactory is not null)
        {
            return new AdminClient(OrlogClient.FromGrainFactory(_grainFactory, _config, _loggerFactory), ownsClient: false);
        }
        return new AdminClient(await OrlogClient.ConnectAsync(_config, _loggerFactory, cancellationToken).ConfigureAwait(false), ownsClient: true);
    }
}
