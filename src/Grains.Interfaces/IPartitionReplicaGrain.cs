namespace Orlog.Grains;

/// <summary>
/// One replica of a partition (key <c>topic/partition/broker</c>), placed on its broker's silo only and
/// fronting that silo's log. Every call carries the topic id: a replica of a deleted and re-created topic
/// answers UNKNOWN_TOPIC_ID instead of mixing data. Errors come back as Kafka error codes in the results.
/// </summary>
[Alias("orlog.partition-replica")]
public interface IPartitionReplicaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends one batch. The array is handed over, not copied (the broker is done with it): the replica
    /// stamps the offset and leader epoch into it in place.
    /// </summary>
    [Alias("produce")]
    Task<PartitionProduceResult> Produce(Guid topicId, short acks, [Immutable] byte[] batch);

    /// <summary>Long-polls up to <paramref name="maxWaitMs"/> when there is nothing at the offset yet.</summary>
    [Alias("fetch")]
    Task<PartitionFetchResult> Fetch(Guid topicId, long offset, int maxBytes, int maxWaitMs);

    [Alias("list-offsets")]
    Task<ListOffsetsResult> ListOffsets(Guid topicId, long timestamp);
}
