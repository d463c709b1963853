using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace Orlog.Streaming;

/// <summary>
/// The Orlog stream provider for Orleans' persistent stream machinery: the adapter (producing through
/// <see cref="StreamProducer"/>), one <see cref="PartitionReceiver"/> per queue, Orleans' simple queue cache, and
/// <see cref="PartitionQueueMapper"/>'s queues. Made once per silo or client by <see cref="Create"/>.
/// </summary>
public sealed class OrlogQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    private readonly string _name;
    private readonly OrlogStreamOptions _options;
    private readonly IGrainFactory _grains;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly PartitionQueueMapper _queues;
    private readonly TopicDirectory _topics;
    private readonly EventCodec _codec;
    private readonly StreamProducer _producer;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly ConcurrentDictionary<QueueId, DeadLetterHandler> _deadLetters = new();

    internal OrlogQueueAdapterFactory(string name, OrlogStreamOptions options, SimpleQueueCacheOptions cacheOptions, IGrainFactory grains, Serializer serializer,
        ILoggerFactory loggers, TimeProvider time)
    {
        options.Validate(name);
        _name = name;
        _options = options;
        _grains = grains;
        _loggers = loggers;
        _time = time;
        _queues = new PartitionQueueMapper(options);
        _topics = new TopicDirectory(grains, name, options);
        _codec = new EventCodec(serializer, options.Format);
        _producer = new StreamProducer(grains, _topics, _queues, _codec, time);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, loggers);
    }

    /// <summary>Orleans' factory method: the provider's named options from the service provider.</summary>
    public static OrlogQueueAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetOptionsByName<OrlogStreamOptions>(name),
        services.GetOptionsByName<SimpleQueueCacheOptions>(name),
        services.GetRequiredService<IGrainFactory>(),
        services.GetRequiredService<Serializer>(),
        services.GetRequiredService<ILoggerFactory>(),
        services.GetService<TimeProvider>() ?? TimeProvider.System);

    public string Name => _name;

    /// <summary>Every record stays in the log for its retention: a subscription may start from any offset still kept.</summary>
    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _queues;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId)
    {
        return Task.FromResult<IStreamFailureHandler>(DeadLettersOf(queueId));
    }

    /// <summary>One per queue: the agent's failure handler notes what it gave up on, and the queue's receiver writes the dead letters.</summary>
    private DeadLetterHandler DeadLettersOf(QueueId queueId) => _deadLetters.GetOrAdd(queueId, id =>
    {
        var (topic, partition) = _queues.PartitionOf(id);
        return new DeadLetterHandler(topic, partition, _name, _grains, _topics, _options, _loggers.CreateLogger<DeadLetterHandler>());
    });

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        _producer.ProduceAsync(streamId, events, requestContext);

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var (topic, partition) = _queues.PartitionOf(queueId);
        return new PartitionReceiver(topic, partition, _options.GroupId ?? _name, _grains, _topics, _options, _codec, DeadLettersOf(queueId),
            _loggers.CreateLogger<PartitionReceiver>(), _time);
    }
}
