namespace Orlog.Grains;

/// <summary>
/// A topic (key: its name): its metadata and routing by key for callers that hand it records: Kafka's
/// default partitioner (murmur2 of the key, masked positive, modulo the partition count). The SDK caches
/// the same metadata and routes on the client, skipping this hop.
/// </summary>
[Alias("orlog.topic")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>The topic's metadata; UNKNOWN_TOPIC_OR_PARTITION when it does not exist.</summary>
    [Alias("metadata")]
    Task<TopicMetadata> GetMetadata();

    /// <summary>The partition for a key (null key: the sticky partition, which moves on each call to <see cref="NextStickyPartition"/>).</summary>
    [Alias("partition-for")]
    Task<int> PartitionFor(byte[]? key);

    [Alias("next-sticky")]
    Task<int> NextStickyPartition();

}
