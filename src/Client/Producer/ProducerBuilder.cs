using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>
/// Builds an <see cref="IProducer{TKey, TValue}"/>, as Confluent.Kafka's ProducerBuilder. Keys and values of
/// type string, byte[] and <see cref="Null"/> have default serializers; others need
/// <see cref="SetKeySerializer"/> / <see cref="SetValueSerializer"/>. The producer connects its own Orleans client
/// from bootstrap.servers unless given one with <see cref="SetClient"/> or <see cref="SetGrainFactory"/>.
/// <code>
/// using var producer = new ProducerBuilder&lt;string, string&gt;(new ProducerConfig { LingerMs = 5 }).Build();
/// var result = await producer.ProduceAsync("orders", new Message&lt;string, string&gt; { Key = "k", Value = "v" });
/// </code>
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class ProducerBuilder<TKey, TValue>
{
    private readonly ProducerConfig _config;
    private ISerializer<TKey>? _keySerializer;
    private ISerializer<TValue>? _valueSerializer;
    private OrlogClient? _client;
    private IGrainFactory? _grainFactory;
    private ILoggerFactory? _loggerFactory;
    private Action<IProducer<TKey, TValue>, Error>? _errorHandler;
    private Action<IProducer<TKey, TValue>, LogMessage>? _logHandler;
    private Action<IProducer<TKey, TValue>, string>? _statisticsHandler;
    private Action<IProducer<TKey, TValue>, BatchDeliveryReport>? _batchDeliveryHandler;

    /// <summary>A builder for a producer with <paramref name="config"/>.</summary>
    public ProducerBuilder(ProducerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = new ProducerConfig(config);
    }

    /// <summary>A builder for a producer with the given settings (Kafka names).</summary>
    /// <exception cref="ArgumentException">A setting is unknown or invalid.</exception>
    public ProducerBuilder(IEnumerable<KeyValuePair<string, string>> config)
    {
        _config = new ProducerConfig(config);
    }

    /// <summary>The key serializer.</summary>
    public ProducerBuilder<TKey, TValue> SetKeySerializer(ISerializer<TKey> serializer)
    {
        _keySerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        return this;
    }

    /// <summary>The value serializer.</summary>
    public ProducerBuilder<TKey, TValue> SetValueSerializer(ISerializer<TValue> serializer)
    {
        _valueSerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        return this;
    }

    /// <summary>Shares an existing connection (not disposed with the producer).</summary>
    public ProducerBuilder<TKey, TValue> SetClient(OrlogClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        return this;
    }

    /// <summary>Sends through an Orleans grain factory the application already has (an IClusterClient, or a silo's factory).</summary>
    public ProducerBuilder<TKey, TValue> SetGrainFactory(IGrainFactory grainFactory)
    {
        _grainFactory = grainFactory ?? throw new ArgumentNullException(nameof(grainFactory));
        return this;
    }

    /// <summary>Where the producer (and the Orleans client it starts) logs.</summary>
    public ProducerBuilder<TKey, TValue> SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>
    /// Called with each warning or error the producer logs (a lost connection, a failed send that is retried), as
    /// Confluent.Kafka's error handler; failures of a record go to its delivery report instead.
    /// </summary>
    public ProducerBuilder<TKey, TValue> SetErrorHandler(Action<IProducer<TKey, TValue>, Error> handler)
    {
        _errorHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Called with each line the producer logs at Information or above (with SetLoggerFactory's loggers too).</summary>
    public ProducerBuilder<TKey, TValue> SetLogHandler(Action<IProducer<TKey, TValue>, LogMessage> handler)
    {
        _logHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Every statistics.interval.ms (0, the default, turns it off), a JSON document of the producer's statistics in
    /// librdkafka's shape, on a timer thread.
    /// </summary>
    public ProducerBuilder<TKey, TValue> SetStatisticsHandler(Action<IProducer<TKey, TValue>, string> handler)
    {
        _statisticsHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Called once for each batch the broker answered or that failed, after the reports of its records and on the
    /// same thread (one at a time, a partition's batches in order): where it went, how many records, or the error.
    /// Records produced with <c>Produce</c> and no delivery handler are reported here only, so a caller that counts
    /// deliveries and watches for errors takes no <see cref="DeliveryReport{TKey, TValue}"/> per record. A record
    /// that fails before it joins a batch (its topic's metadata never came) is reported as a batch of one.
    /// Orlog's own: Confluent.Kafka has only the handler per record.
    /// </summary>
    public ProducerBuilder<TKey, TValue> SetBatchDeliveryHandler(Action<IProducer<TKey, TValue>, BatchDeliveryReport> handler)
    {
        _batchDeliveryHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Builds the producer, connecting to the cluster first when it needs its own connection.</summary>
    /// <exception cref="ArgumentException">The settings contradict each other, or a serializer is missing.</exception>
    /// <exception cref="ClusterUnreachableException">The cluster could not be reached.</exception>
    public IProducer<TKey, TValue> Build() => Task.Run(() => BuildAsync()).GetAwaiter().GetResult();

    /// <summary>Builds the producer; see <see cref="Build"/>.</summary>
    public async Task<IProducer<TKey, TValue>> BuildAsync(CancellationToken cancellationToken = default)
    {
        _config.Validate();
        var keySerializer = _keySerializer ?? DefaultSerializers.For<TKey>("key");
        var valueSerializer = _valueSerializer ?? DefaultSerializers.For<TValue>("value");
        IProducer<TKey, TValue>? built = null;
        var (log, error) = (_logHandler, _errorHandler);
        var loggerFactory = HandlerLoggerFactory.Wrap(_loggerFactory, _config.ClientId,
            log is null ? null : message => log(built!, message),
            error is null ? null : failure => error(built!, failure));
        var (client, owns) = _client is not null ? (_client, false)
            : _grainFactory is not null ? (OrlogClient.FromGrainFactory(_grainFactory, _config, loggerFactory), false)
            : (await OrlogClient.ConnectAsync(_config, loggerFactory, cancellationToken).ConfigureAwait(false), true);
        var (statistics, batches) = (_statisticsHandler, _batchDeliveryHandler);
        built = new Producer<TKey, TValue>(client, owns, _config, keySerializer, valueSerializer, loggerFactory,
            statistics is null ? null : json => statistics(built!, json),
            batches is null ? null : report => batches(built!, report));
        return built;
    }
}
