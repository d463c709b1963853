using Orlog.Grains.Cluster;
using Orlog.Records;

namespace Orlog.Grains.Topics;

/// <summary>
/// A topic's routing by Kafka's default partitioning: murmur2 for keyed records, a sticky partition for
/// records without a key (it moves when the caller finished a batch). Its metadata is the silo's
/// <see cref="MetadataCache"/>.
/// </summary>
public sealed class TopicGrain : Grain, ITopicGrain
{
    private readonly MetadataCache _metadata;
    private int _sticky = -1;

    public TopicGrain(MetadataCache metadata)
    {
        _metadata = metadata;
    }

    private string Name => this.GetPrimaryKeyString();

    public async Task<TopicMetadata> GetMetadata()
    {
        if (_metadata.Topic(Name) is { } known)
        {
            return known;
        }
        await _metadata.CatchUpAsync();
        return _metadata.Topic(Name)
            ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{Name}' does not exist. List the topics with 'orlog topics list'.");
    }

    public async Task<int> PartitionFor(byte[]? key)
    {
        var metadata = await GetMetadata();
        if (key is not null)
        {
            return Murmur2Partitioner.Partition(key, metadata.Partitions.Count);
        }
        if (_sticky < 0 || _sticky >= metadata.Partitions.Count)
        {
            _sticky = Random.Shared.Next(metadata.Partitions.Count);
        }
        return _sticky;
    }

    public async Task<int> NextStickyPartition()
    {
        var count = (await GetMetadata()).Partitions.Count;
        // Kafka's sticky partitioner moves to a different partition when it can.
        var next = count == 1 ? 0 : (_sticky + 1 + Random.Shared.Next(count - 1)) % count;
        _sticky = next;
        return next;
    }
}
