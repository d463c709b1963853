namespace Orlog.Grains;

/// <summary>A topic as the controller knows it: its id, configs and partitions.</summary>
[GenerateSerializer, Immutable, Alias("orlog.topic-metadata")]
public sealed record TopicMetadata(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid TopicId,
    [property: Id(2)] IReadOnlyDictionary<string, string> Configs,
    [property: Id(3)] IReadOnlyList<PartitionMetadata> Partitions);

/// <summary>One partition: its replicas (broker ids), its leader and the leader's epoch.</summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-metadata")]
public sealed record PartitionMetadata(
    [property: Id(0)] int Partition,
    [property: Id(1)] int Leader,
    [property: Id(2)] int LeaderEpoch,
    [property: Id(3)] IReadOnlyList<int> Replicas);

/// <summary>A partition's offsets, for describe.</summary>
[GenerateSerializer, Immutable, Alias("orlog.partition-offsets")]
public sealed record PartitionOffsets(
    [property: Id(0)] int Partition,
    [property: Id(1)] long LogStartOffset,
    [property: Id(2)] long HighWatermark,
    [property: Id(3)] long LogEndOffset);
