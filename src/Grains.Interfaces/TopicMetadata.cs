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
/// leader or the ISR.
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
}

/// <summary>A partition's offsets, for describe.</summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-offsets")]
public sealed record PartitionOffsets(
    [property: Id(0)] int Partition,
    [property: Id(1)] long LogStartOffset,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LogEndOffset);
