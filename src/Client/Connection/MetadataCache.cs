using System.Collections.Concurrent;

namespace Orlog.Client;

/// <summary>
/// Topic metadata (partitions and their leaders) cached for the producer and the consumer, read from the
/// controller on first use, after metadata.max.age.ms, and after <see cref="Invalidate"/> (called on
/// UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID and NOT_LEADER_OR_FOLLOWER). Concurrent reads of one topic
/// share one controller call.
/// </summary>
internal sealed class MetadataCache
{
    private readonly IClusterGateway _gateway;
    private readonly Clock _clock;
    private readonly long _maxAgeMs;
    private readonly ConcurrentDictionary<string, Entry> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Grains.TopicMetadata?>> _loading = new(StringComparer.Ordinal);

    public MetadataCache(IClusterGateway gateway, Clock clock, long maxAgeMs)
    {
        _gateway = gateway;
        _clock = clock;
        _maxAgeMs = maxAgeMs;
    }

    /// <summary>The cached metadata when it is fresh.</summary>
    public bool TryGet(string topic, out Grains.TopicMetadata metadata)
    {
        if (_topics.TryGetValue(topic, out var entry) && _clock.CoarseNowMs - entry.LoadedMs < _maxAgeMs)
        {
            metadata = entry.Metadata;
            return true;
        }
        metadata = null!;
        return false;
    }

    /// <summary>The topic's metadata, from the cache when fresh.</summary>
    /// <exception cref="KafkaException">UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist.</exception>
    public async ValueTask<Grains.TopicMetadata> GetAsync(string topic)
    {
        if (TryGet(topic, out var cached))
        {
            return cached;
        }
        return await LoadAsync(topic).ConfigureAwait(false) ?? throw UnknownTopic(topic);
    }

    /// <summary>The leader of each partition (from cached metadata when it is there).</summary>
    /// <exception cref="KafkaException">UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist.</exception>
    public async Task<int[]> LeadersAsync(IReadOnlyList<Client.TopicPartition> partitions)
    {
        var leaders = new int[partitions.Count];
        for (var i = 0; i < leaders.Length; i++)
        {
            var partition = partitions[i];
            var metadata = await GetAsync(partition.Topic).ConfigureAwait(false);
            if (partition.Partition < 0 || partition.Partition >= metadata.Partitions.Count)
            {
                throw UnknownPartition(partition.Topic, partition.Partition, metadata.Partitions.Count);
            }
            leaders[i] = metadata.Partitions[partition.Partition].Leader;
        }
        return leaders;
    }

    /// <summary>Reads the topic again from the controller; null when it no longer exists.</summary>
    public Task<Grains.TopicMetadata?> LoadAsync(string topic)
    {
        var load = _loading.GetOrAdd(topic, name => LoadCoreAsync(name));
        if (load.IsCompleted)
        {
            _loading.TryRemove(new KeyValuePair<string, Task<Grains.TopicMetadata?>>(topic, load));
        }
        return load;
    }

    /// <summary>Forgets the topic: the next use reads it again.</summary>
    public void Invalidate(string topic) => _topics.TryRemove(topic, out _);

    public static KafkaException UnknownTopic(string topic) => new(ErrorCode.UnknownTopicOrPartition,
        $"Topic '{topic}' does not exist. Create it first (auto.create.topics.enable is false), for example with 'orlog topics create {topic}'.");

    public static KafkaException UnknownPartition(string topic, int partition, int count) => new(ErrorCode.UnknownTopicOrPartition,
        $"Topic '{topic}' has {count} partition(s), 0 to {count - 1}; partition {partition} does not exist.");

    private async Task<Grains.TopicMetadata?> LoadCoreAsync(string topic)
    {
        try
        {
            var topics = await _gateway.Controller.GetTopics([topic]).ConfigureAwait(false);
            var metadata = topics.Count > 0 && topics[0].Name == topic ? topics[0] : null;
            if (metadata is null)
            {
                _topics.TryRemove(topic, out _);
            }
            else
            {
                _topics[topic] = new Entry(metadata, _clock.CoarseNowMs);
            }
            return metadata;
        }
        finally
        {
            _loading.TryRemove(topic, out _);
        }
    }

    private sealed record Entry(Grains.TopicMetadata Metadata, long LoadedMs);
}
