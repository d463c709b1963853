namespace Orlog.Grains.Controller;

/// <summary>The controller's persisted state: every topic by name. Versioned by <see cref="Version"/>.</summary>
[GenerateSerializer, Alias("orlog.controller-state")]
public sealed class ControllerState
{
    [Id(0)]
    public int Version { get; set; } = 1;

    [Id(1)]
    public Dictionary<string, TopicRecord> Topics { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("orlog.topic-record")]
public sealed class TopicRecord
{
    [Id(0)]
    public Guid TopicId { get; set; }

    [Id(1)]
    public Dictionary<string, string> Configs { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public List<PartitionRecord> Partitions { get; set; } = [];

    [Id(3)]
    public long CreatedAt { get; set; }

    public TopicMetadata ToMetadata(string name) => new(
        name,
        TopicId,
        new Dictionary<string, string>(Configs, StringComparer.Ordinal),
        Partitions.ConvertAll(p => new PartitionMetadata(p.Partition, p.Leader, p.LeaderEpoch, p.Replicas.ToArray())));
}

[GenerateSerializer, Alias("orlog.partition-record")]
public sealed class PartitionRecord
{
    [Id(0)]
    public int Partition { get; set; }

    [Id(1)]
    public int Leader { get; set; }

    [Id(2)]
    public int LeaderEpoch { get; set; }

    [Id(3)]
    public List<int> Replicas { get; set; } = [];
}
