using System.Collections.Concurrent;
using Orlog.Grains;

namespace Orlog.Streaming;

/// <summary>
/// The provider's topics as the controller knows them (leaders, partition counts), cached until a call says a
/// leader moved. A missing topic is created when the options allow it; a topic whose partition count differs from
/// the provider's is refused, since streams would be routed to the wrong queues.
/// </summary>
internal sealed class TopicDirectory(IGrainFactory grains, string providerName, OrlogStreamOptions options)
{
    private readonly ConcurrentDictionary<string, TopicMetadata> _topics = new(StringComparer.Ordinal);

    /// <summary>The topic's metadata; with <paramref name="refresh"/> read again from the controller.</summary>
    /// <exception cref="KafkaException">UNKNOWN_TOPIC_OR_PARTITION (missing, not created), INVALID_PARTITIONS, or the creation's error.</exception>
    public async Task<TopicMetadata> GetAsync(string topic, bool refresh = false)
    {
        if (!refresh && _topics.TryGetValue(topic, out var cached))
        {
            return cached;
        }
        var controller = grains.GetGrain<IControllerGrain>(0);
        var found = (await controller.GetTopics([topic])).FirstOrDefault(t => t.Name == topic);
        if (found is null)
        {
            if (!options.AutoCreateTopics)
            {
                throw new KafkaException(ErrorCode.UnknownTopicOrPartition,
                    $"Topic '{topic}' of Orlog stream provider '{providerName}' does not exist: create it with {options.Partitions} partition(s) (orlog topics create {topic} --partitions {options.Partitions}), or set {nameof(OrlogStreamOptions.AutoCreateTopics)}.");
            }
            var created = await controller.CreateTopic(topic, options.Partitions, options.ReplicationFactor, new Dictionary<string, string>());
            if (created.Error is not (ErrorCode.None or ErrorCode.TopicAlreadyExists))
            {
                throw new KafkaException(created.Error, $"Orlog stream provider '{providerName}' could not create topic '{topic}': {created.ErrorMessage}");
            }
            found = created.Topic ?? (await controller.GetTopics([topic])).FirstOrDefault(t => t.Name == topic)
                ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' was created but the controller does not list it yet.");
        }
        if (found.Partitions.Count != options.Partitions)
        {
            throw new KafkaException(ErrorCode.InvalidPartitions,
                $"Topic '{topic}' has {found.Partitions.Count} partition(s) but Orlog stream provider '{providerName}' is set for {options.Partitions}: streams would be routed to the wrong queues. Set {nameof(OrlogStreamOptions.Partitions)} to {found.Partitions.Count}.");
        }
        _topics[topic] = found;
        return found;
    }

    /// <summary>The broker leading a partition; LEADER_NOT_AVAILABLE while it has none.</summary>
    public async Task<int> LeaderAsync(string topic, int partition, bool refresh = false)
    {
        var leader = (await GetAsync(topic, refresh)).Partitions[partition].Leader;
        return leader >= 0 ? leader : throw new KafkaException(ErrorCode.LeaderNotAvailable, $"{topic}-{partition} has no leader at the moment.");
    }
}
