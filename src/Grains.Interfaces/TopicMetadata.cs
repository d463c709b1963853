namespace Orlog.Grains;

/// <summary>A topic as the controller knows it: its id, configs and partitions.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-metadata")]
public sealed record TopicMetadata(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid TopicId,
    [property: Id(2)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(3)] IReadOnlyList<PartitionMetadata> Partitions);

/// <summary>
/// One partition: its replicas (broker ids, the preferred leader first), its leader (-1 when it has none),
/// the leader's epoch, the in-sync replicas, and the partition epoch, which changes with every change of the
/// leader, the ISR or the replicas. While a reassignment runs (Kafka's KIP-455) <see cref="Replicas"/> holds the
/// target replicas followed by the <see cref="RemovingReplicas"/>, and <see cref="AddingReplicas"/> names the
/// target replicas still copying.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-metadata")]
public sealed record PartitionMetadata(
    [property: Id(0)] int Partition,
    [property: Id(1)] int Leader,
    [property: Id(2)] int LeaderEpoch,
    [property: Id(3)] IReadOnlyList<int> Replicas,
    [property: Id(4)] IReadOnlyList<int> Isr,
    [property: Id(5)] int PartitionEpoch)
{
    /// <summary>The value of <see cref="Leader"/> when the partition has no leader (its in-sync replicas are all down).</summary>
    public const int NoLeader = -1;

    /// <summary>The replicas a running reassignment adds (they copy the log, then join the ISR); empty when none runs.</summary>
    [Id(6)]
    public IReadOnlyList<int> AddingReplicas { get; init; } = [];

    /// <summary>The replicas a running reassignment removes once every target replica is in sync; empty when none runs.</summary>
    [Id(7)]
    public IReadOnlyList<int> RemovingReplicas { get; init; } = [];

    /// <summary>True while a reassignment of the partition runs.</summary>
    public bool IsReassigning => AddingReplicas.Count > 0 || RemovingReplicas.Count > 0;
}

/// <summary>A partition's offsets, for describe.</summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-offsets")]
public sealed record PartitionOffsets(
    [property: Id(0)] int Partition,
    [property: Id(1)] long LogStartOffset,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LogEndOffset);
