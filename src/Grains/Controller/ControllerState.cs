namespace Orlog.Grains.Controller;

/// <summary>
/// The controller's persisted state: the metadata version, every registered broker and every topic by name.
/// Versioned by <see cref="Version"/>: 1 had topics only; 2 added brokers, the metadata version, and each
/// partition's ISR and partition epoch (a version-1 partition reads as ISR = its leader, epoch 0); 3 added each
/// partition's reassignment: target, adding and removing replicas (a version-2 partition reads as none running).
/// </summary>
[GenerateSerializer, Alias("orlog.controller-state")]
public sealed class ControllerState
{
    public const int CurrentVersion = 3;

    [Id(0)]
    public int Version { get; set; } = CurrentVersion;

    [Id(1)]
    public Dictionary<string, TopicRecord> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Grows with every change; brokers keep the metadata of the highest version they saw.</summary>
    [Id(2)]
    public long MetadataVersion { get; set; }

    /// <summary>Every broker that ever registered, by id.</summary>
    [Id(3)]
    public Dictionary<int, BrokerRecord> Brokers { get; set; } = [];
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
        Partitions.ConvertAll(p => p.ToMetadata()));
}

[GenerateSerializer, Alias("orlog.partition-record")]
public sealed class PartitionRecord
{
    [Id(0)]
    public int Partition { get; set; }

    /// <summary>The leader's broker id, or <see cref="PartitionMetadata.NoLeader"/>.</summary>
    [Id(1)]
    public int Leader { get; set; }

    [Id(2)]
    public int LeaderEpoch { get; set; }

    /// <summary>The replicas' broker ids, the preferred leader first.</summary>
    [Id(3)]
    public List<int> Replicas { get; set; } = [];

    /// <summary>The in-sync replicas. Never empty: when every one is down it keeps the last leader.</summary>
    [Id(4)]
    public List<int> Isr { get; set; } = [];

    /// <summary>Changes with every change of the leader, the ISR or the replicas (Kafka's partition epoch).</summary>
    [Id(5)]
    public int PartitionEpoch { get; set; }

    /// <summary>
    /// While a reassignment runs: the replicas it moves to, the preferred leader first; empty otherwise. Then
    /// <see cref="Replicas"/> is this list followed by <see cref="RemovingReplicas"/>.
    /// </summary>
    [Id(6)]
    public List<int> TargetReplicas { get; set; } = [];

    /// <summary>While a reassignment runs: the target replicas that were not replicas when it started.</summary>
    [Id(7)]
    public List<int> AddingReplicas { get; set; } = [];

    /// <summary>While a reassignment runs: the replicas that are not in the target and go when it completes.</summary>
    [Id(8)]
    public List<int> RemovingReplicas { get; set; } = [];

    /// <summary>True while a reassignment runs.</summary>
    public bool IsReassigning => TargetReplicas.Count > 0;

    /// <summary>The replicas the partition has when no reassignment runs, or will have when the running one completes.</summary>
    public IReadOnlyList<int> FinalReplicas => IsReassigning ? TargetReplicas : Replicas;

    public PartitionMetadata ToMetadata() => new(Partition, Leader, LeaderEpoch, Replicas.ToArray(), Isr.ToArray(), PartitionEpoch)
    {
        AddingReplicas = AddingReplicas.ToArray(),
        RemovingReplicas = RemovingReplicas.ToArray(),
    };
}

/// <summary>A registered broker: how it is reached, its rack, and the silo it last ran on.</summary>
[GenerateSerializer, Alias("orlog.broker-record")]
public sealed class BrokerRecord
{
    [Id(0)]
    public int Id { get; set; }

    [Id(1)]
    public string? Gateway { get; set; }

    [Id(2)]
    public string? Rack { get; set; }

    [Id(3)]
    public string? Kafka { get; set; }

    [Id(4)]
    public string? Web { get; set; }

    [Id(5)]
    public string? SiloAddress { get; set; }

    /// <summary>Epoch milliseconds of its last registration.</summary>
    [Id(6)]
    public long RegisteredAt { get; set; }

    /// <summary>Its broker epoch: the metadata version that recorded its last registration (-1 before one).</summary>
    [Id(7)]
    public long Epoch { get; set; } = -1;
}
