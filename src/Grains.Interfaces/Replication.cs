namespace Orlog.Grains;

/// <summary>
/// A follower broker's fetch from the leader broker for every partition it follows there (Kafka's Fetch
/// with a replica id): the leader answers with raw batches up to its log end (not only the high watermark),
/// learns from each fetch offset how far the follower has copied, and waits up to <see cref="MaxWaitMs"/>
/// when no partition has anything new. <see cref="BrokerEpoch"/> is the follower's broker epoch (-1 before it
/// registered): the leader proposes a follower for the ISR only with the epoch of the run that fetched, so the
/// controller can refuse a broker that restarted since (Kafka's KIP-903).
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.replica-fetch-request")]
public sealed record ReplicaFetchRequest(
    [property: Id(0)] int ReplicaId,
    [property: Id(1)] int MaxWaitMs,
    [property: Id(2)] int MaxBytes,
    [property: Id(3)] IReadOnlyList<ReplicaFetchPartition> Partitions,
    [property: Id(4)] long BrokerEpoch = -1);

/// <summary>One partition of a <see cref="ReplicaFetchRequest"/>, at the leader epoch the follower knows.</summary>
[GenerateSerializer, Immutable, Alias("orlog.replica-fetch-partition")]
public sealed record ReplicaFetchPartition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Guid TopicId,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] long FetchOffset,
    [property: Id(5)] int MaxBytes);

/// <summary>The leader's answer for one partition: batches from the fetch offset, and its high watermark and log bounds.</summary>
[GenerateSerializer, Immutable, Alias("orlog.replica-fetch-result")]
public sealed record ReplicaFetchResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long HighWatermark,
    [property: Id(5)] long LogStartOffset,
    [property: Id(6)] long LogEndOffset,
    [property: Id(7)] byte[] Records)
{
    public static ReplicaFetchResult Failed(string topic, int partition, Orlog.Client.ErrorCode error, string message) =>
        new(topic, partition, error, message, -1, -1, -1, []);
}

[GenerateSerializer, Immutable, Alias("orlog.replica-fetch-response")]
public sealed record ReplicaFetchResponse([property: Id(0)] IReadOnlyList<ReplicaFetchResult> Results);

/// <summary>
/// Kafka's OffsetsForLeaderEpoch for one partition: a follower asks the leader (at
/// <see cref="CurrentLeaderEpoch"/>) where <see cref="Epoch"/> ended in the leader's log.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.epoch-end-offset-request")]
public sealed record EpochEndOffsetRequest(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Guid TopicId,
    [property: Id(3)] int CurrentLeaderEpoch,
    [property: Id(4)] int Epoch);

/// <summary>
/// The largest epoch at or below the one asked that the leader's log has, and the offset where it ended
/// (the start of the next epoch, or the log end); (-1, -1) when the leader has no such epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.epoch-end-offset")]
public sealed record EpochEndOffset(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] int Epoch,
    [property: Id(5)] long EndOffset);

/// <summary>
/// A leader's proposal to change a partition's ISR (Kafka's AlterPartition), made at the leader epoch and
/// partition epoch it holds. The controller accepts it only at its current epochs. <see cref="NewIsrBrokerEpochs"/>
/// gives, for each member of <see cref="NewIsr"/> in order, the broker epoch the leader last saw it fetch with
/// (-1 for the leader itself); a member it adds must still be at that epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.alter-partition-item")]
public sealed record AlterPartitionItem(
    [property: Id(0)] string Topic,
    [property: Id(1)] Guid TopicId,
    [property: Id(2)] int Partition,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] int PartitionEpoch,
    [property: Id(5)] IReadOnlyList<int> NewIsr,
    [property: Id(6)] IReadOnlyList<long>? NewIsrBrokerEpochs = null)
{
    /// <summary>The broker epoch the proposal gives for <paramref name="brokerId"/>, or -1.</summary>
    public long BrokerEpochOf(int brokerId)
    {
        for (var i = 0; i < NewIsr.Count; i++)
        {
            if (NewIsr[i] == brokerId)
            {
                return NewIsrBrokerEpochs is { } epochs && i < epochs.Count ? epochs[i] : -1;
            }
        }
        return -1;
    }
}

/// <summary>
/// The controller's answer to one <see cref="AlterPartitionItem"/>: the partition as committed (its new
/// partition epoch and ISR), or the error that refused it: FENCED_LEADER_EPOCH (the proposer's leader epoch
/// is older), UNKNOWN_LEADER_EPOCH (newer), INVALID_UPDATE_VERSION (the partition epoch differs: the ISR
/// changed meanwhile), NOT_LEADER_OR_FOLLOWER (the proposer does not lead it), INELIGIBLE_REPLICA (a
/// proposed member is dead, shutting down, or registered again since the fetch the leader counted), INVALID_REQUEST (not a subset of the replicas, or without the
/// leader), UNKNOWN_TOPIC_OR_PARTITION / UNKNOWN_TOPIC_ID.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.alter-partition-result")]
public sealed record AlterPartitionResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] PartitionMetadata? Metadata);

/// <summary>
/// The answer to a controlled shutdown: how many partitions the broker still leads (0 when every partition
/// it led has another in-sync leader, or none to move to), or the error that refused it.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.controlled-shutdown-result")]
public sealed record ControlledShutdownResult(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] int PartitionsRemaining);
