namespace Orlog.Client;

/// <summary>
/// One partition of a described topic (Confluent.Kafka's TopicPartitionInfo, with Orlog's leader epoch, offsets
/// and offline replicas beside it).
/// </summary>
public sealed class TopicPartitionInfo
{
    /// <summary>The partition's number.</summary>
    public int Partition { get; init; }

    /// <summary>Its leader, or null when it has none (every in-sync replica is down).</summary>
    public Node? Leader { get; init; }

    /// <summary>The brokers holding a replica, the preferred leader first.</summary>
    public List<Node> Replicas { get; init; } = [];

    /// <summary>The in-sync replicas.</summary>
    public List<Node> ISR { get; init; } = [];

    /// <summary>The leader's epoch.</summary>
    public int LeaderEpoch { get; init; }

    /// <summary>The replicas whose broker is not alive now.</summary>
    public List<Node> OfflineReplicas { get; init; } = [];

    /// <summary>The first offset still in the log (-1 when not read).</summary>
    public long LogStartOffset { get; init; } = -1;

    /// <summary>The offset below which every in-sync replica has the records: consumers read up to it (-1 when not read).</summary>
    public long HighWatermark { get; init; } = -1;

    /// <summary>The leader's broker id, or -1 when it has none.</summary>
    public int LeaderId => Leader?.Id ?? -1;

    /// <summary>The replicas' broker ids.</summary>
    public IReadOnlyList<int> ReplicaIds => [.. Replicas.Select(r => r.Id)];

    /// <summary>The in-sync replicas' broker ids.</summary>
    public IReadOnlyList<int> IsrIds => [.. ISR.Select(r => r.Id)];

    /// <summary>Records currently in the partition (the high watermark minus the log start offset), or -1 when not read.</summary>
    public long RecordCount => HighWatermark >= 0 && LogStartOffset >= 0 ? HighWatermark - LogStartOffset : -1;

    /// <summary>Fewer replicas in sync than assigned (Kafka's under-replicated partition).</summary>
    public bool IsUnderReplicated => ISR.Count < Replicas.Count;

    public override string ToString() =>
        $"{Partition}: leader {Leader?.Id ?? -1}, replicas [{string.Join(",", Replicas.Select(r => r.Id))}], isr [{string.Join(",", ISR.Select(r => r.Id))}]";
}
