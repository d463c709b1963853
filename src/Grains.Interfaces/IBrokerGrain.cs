namespace Orlog.Grains;

/// <summary>
/// A broker (key: broker id), placed on that broker's silo: the entry point for produce, fetch and
/// list-offsets requests covering many partitions, fanned out to the local partition replicas.
/// </summary>
[Alias("orlog.broker")]
public interface IBrokerGrain : IGrainWithIntegerKey
{
    [Alias("produce")]
    Task<ProduceResponse> Produce(ProduceRequest request);

    [Alias("fetch")]
    Task<FetchResponse> Fetch(FetchRequest request);

    /// <summary>Offsets by timestamp, or <see cref="OffsetSpec.Earliest"/> / <see cref="OffsetSpec.Latest"/>.</summary>
    [Alias("list-offsets")]
    Task<IReadOnlyList<ListOffsetsResult>> ListOffsets(IReadOnlyList<TopicPartition> partitions, long timestamp);

    /// <summary>
    /// Kafka's DeleteRecords on partitions this broker leads: each log start offset moves up to the offset asked
    /// (at most the high watermark); followers follow on their next fetch.
    /// </summary>
    [Alias("delete-records")]
    Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecords(IReadOnlyList<DeleteRecordsPartition> partitions);

    /// <summary>A follower broker's fetch of the partitions it follows on this broker (the leader).</summary>
    [Alias("replica-fetch")]
    Task<ReplicaFetchResponse> ReplicaFetch(ReplicaFetchRequest request);

    /// <summary>Where each asked leader epoch ended in this broker's (the leader's) logs: what a follower truncates to.</summary>
    [Alias("offsets-for-leader-epoch")]
    Task<IReadOnlyList<EpochEndOffset>> OffsetsForLeaderEpoch(IReadOnlyList<EpochEndOffsetRequest> partitions);

    /// <summary>
    /// The controller's push of its metadata to this broker's silo (Kafka's UpdateMetadata and LeaderAndIsr):
    /// applied to the silo's metadata cache when newer than what it holds.
    /// </summary>
    [Alias("update-metadata")]
    Task UpdateMetadata(ClusterMetadata metadata);

    /// <summary>This broker's replicas of the partitions asked: log start, log end and size (Kafka's DescribeLogDirs).</summary>
    [Alias("describe-replicas")]
    Task<IReadOnlyList<ReplicaLogInfo>> DescribeReplicas(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Every replica this broker holds and its traffic totals per topic, for the web pages (docs/web.md).</summary>
    [Alias("statistics")]
    Task<BrokerStatistics> Statistics();

    /// <summary>The address of the silo that answers: a starting broker asks it to tell a live holder of its id from a dead one.</summary>
    [Alias("silo-address")]
    Task<string> SiloAddress();
}
