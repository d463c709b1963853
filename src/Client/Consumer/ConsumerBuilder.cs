using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>
/// Builds an <see cref="IConsumer{TKey, TValue}"/>, as Confluent.Kafka's ConsumerBuilder. Keys and values of type
/// string, byte[], <see cref="Null"/> and <see cref="Ignore"/> have default deserializers; others need
/// <see cref="SetKeyDeserializer"/> / <see cref="SetValueDeserializer"/>. With a group, the rebalance handlers tell the
/// application which partitions it gets and loses.
/// <code>
/// using var consumer = new ConsumerBuilder&lt;string, string&gt;(new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
/// consumer.Assign([new TopicPartition("orders", 0)]);
/// var record = consumer.Consume(TimeSpan.FromSeconds(1));
///
/// using var member = new ConsumerBuilder&lt;string, string&gt;(new ConsumerConfig { GroupId = "billing", EnableAutoCommit = false })
///     .SetPartitionsRevokedHandler((c, _) => c.Commit())
///     .Build();
/// member.Subscribe("orders");
/// </code>
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class ConsumerBuilder<TKey, TValue>
{
    private readonly ConsumerConfig _config;
    private IDeserializer<TKey>? _keyDeserializer;
    private IDeserializer<TValue>? _valueDeserializer;
    private OrlogClient? _client;
    private IGrainFactory? _grainFactory;
    private ILoggerFactory? _loggerFactory;
    private Action<IConsumer<TKey, TValue>, Error>? _errorHandler;
    private Action<IConsumer<TKey, TValue>, LogMessage>? _logHandler;
    private Action<IConsumer<TKey, TValue>, string>? _statisticsHandler;
    private readonly RebalanceHandlers<TKey, TValue> _handlers = new();

    /// <summary>A builder for a consumer with <paramref name="config"/>.</summary>
    public ConsumerBuilder(ConsumerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = new ConsumerConfig(config);
    }

    /// <summary>A builder for a consumer with the given settings (Kafka names).</summary>
    /// <exception cref="ArgumentException">A setting is unknown or invalid.</exception>
    public ConsumerBuilder(IEnumerable<KeyValuePair<string, string>> config)
    {
        _config = new ConsumerConfig(config);
    }

    /// <summary>The key deserializer.</summary>
    public ConsumerBuilder<TKey, TValue> SetKeyDeserializer(IDeserializer<TKey> deserializer)
    {
        _keyDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>The value deserializer.</summary>
    public ConsumerBuilder<TKey, TValue> SetValueDeserializer(IDeserializer<TValue> deserializer)
    {
        _valueDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>
    /// Called inside Consume with the partitions the group gave this consumer (only the new ones); each starts at the
    /// group's committed offset, or where auto.offset.reset says, unless the handler seeks.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(Action<IConsumer<TKey, TValue>, List<TopicPartition>> handler)
    {
        _handlers.Assigned = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Called inside Consume (and at Close and Unsubscribe) with the partitions the group takes away, and their positions,
    /// before they go: commit for them here. No record of them is returned afterwards.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsRevokedHandler(Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>> handler)
    {
        _handlers.Revoked = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Called inside Consume with partitions already given to another member (the session expired, the member was fenced,
    /// or Consume was not called within max.poll.interval.ms): committing for them fails. Without it, the revoked handler
    /// is called for lost partitions.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsLostHandler(Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>> handler)
    {
        _handlers.Lost = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// As <see cref="SetPartitionsAssignedHandler(Action{IConsumer{TKey, TValue}, List{TopicPartition}})"/>, returning where each
    /// partition starts (Confluent.Kafka's form): an offset, Beginning or End; Unset keeps the committed offset.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsAssignedHandler(Func<IConsumer<TKey, TValue>, List<TopicPartition>, IEnumerable<TopicPartitionOffset>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Assigned = (consumer, partitions) =>
        {
            foreach (var start in handler(consumer, partitions))
            {
                if (start.Offset != Offset.Unset)
                {
                    consumer.Seek(start);
                }
            }
        };
        return this;
    }

    /// <summary>As the revoked handler above (Confluent.Kafka's form; what it returns is not used).</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsRevokedHandler(Func<IConsumer<TKey, TValue>, List<TopicPartitionOffset>, IEnumerable<TopicPartitionOffset>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Revoked = (consumer, partitions) => _ = handler(consumer, partitions).ToList();
        return this;
    }

    /// <summary>As the lost handler above (Confluent.Kafka's form; what it returns is not used).</summary>
    public ConsumerBuilder<TKey, TValue> SetPartitionsLostHandler(Func<IConsumer<TKey, TValue>, List<TopicPartitionOffset>, IEnumerable<TopicPartitionOffset>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Lost = (consumer, partitions) => _ = handler(consumer, partitions).ToList();
        return this;
    }

    /// <summary>Called after each automatic commit (enable.auto.commit) with what was committed or the error.</summary>
    public ConsumerBuilder<TKey, TValue> SetOffsetsCommittedHandler(Action<IConsumer<TKey, TValue>, CommittedOffsets> handler)
    {
        _handlers.Committed = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Called with each warning or error the consumer logs (a lost connection, a failed fetch or heartbeat that is retried).</summary>
    public ConsumerBuilder<TKey, TValue> SetErrorHandler(Action<IConsumer<TKey, TValue>, Error> handler)
    {
        _errorHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>
    /// Every statistics.interval.ms (0, the default, turns it off), a JSON document of the consumer's statistics in
    /// librdkafka's shape (records consumed, each assigned partition's offsets and lag, the group), on a timer thread.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> SetStatisticsHandler(Action<IConsumer<TKey, TValue>, string> handler)
    {
        _statisticsHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Called with each line the consumer logs at Information or above (with SetLoggerFactory's loggers too).</summary>
    public ConsumerBuilder<TKey, TValue> SetLogHandler(Action<IConsumer<TKey, TValue>, LogMessage> handler)
    {
        _logHandler = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Shares an existing connection (not disposed with the consumer).</summary>
    public ConsumerBuilder<TKey, TValue> SetClient(OrlogClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        return this;
    }

    /// <summary>Fetches through an Orleans grain factory the application already has (an IClusterClient, or a silo's factory).</summary>
    public ConsumerBuilder<TKey, TValue> SetGrainFactory(IGrainFactory grainFactory)
    {
        _grainFactory = grainFactory ?? throw new ArgumentNullException(nameof(grainFactory));
        return this;
    }

    /// <summary>Where the consumer (and the Orleans client it starts) logs.</summary>
    public ConsumerBuilder<TKey, TValue> SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Builds the consumer, connecting to the cluster first when it needs its own connection.</summary>
    /// <exception cref="ArgumentException">A deserializer is missing.</exception>
    /// <exception cref="ClusterUnreachableException">The cluster could not be reached.</exception>
    public IConsumer<TKey, TValue> Build() => Task.Run(() => BuildAsync()).GetAwaiter().GetResult();

    /// <summary>Builds the consumer; see <see cref="Build"/>.</summary>
    public async Task<IConsumer<TKey, TValue>> BuildAsync(CancellationToken cancellationToken = default)
    {
        var keyDeserializer = _keyDeserializer ?? DefaultSerializers.DeserializerFor<TKey>("key");
        var valueDeserializer = _valueDeserializer ?? DefaultSerializers.DeserializerFor<TValue>("value");
        IConsumer<TKey, TValue>? built = null;
        var (log, error) = (_logHandler, _errorHandler);
        var loggerFactory = HandlerLoggerFactory.Wrap(_loggerFactory, _config.ClientId,
            log is null ? null : message => log(built!, message),
            error is null ? null : failure => error(built!, failure));
        var (client, owns) = _client is not null ? (_client, false)
            : _grainFactory is not null ? (OrlogClient.FromGrainFactory(_grainFactory, _config, loggerFactory), false)
            : (await OrlogClient.ConnectAsync(_config, loggerFactory, cancellationToken).ConfigureAwait(false), true);
        var statistics = _statisticsHandler;
        built = new Consumer<TKey, TValue>(client, owns, _config, keyDeserializer, valueDeserializer, _handlers.Copy(), loggerFactory,
            statistics is null ? null : json => statistics(built!, json));
        return built;
    }
}
