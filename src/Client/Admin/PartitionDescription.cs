namespace Orlog.Client;

/// <summary>One partition of a described topic.</summary>
/// <param name="Partition">The partition's number.</param>
/// <param name="Leader">The broker id of its leader; -1 when it has none (every in-sync replica is down).</param>
/// <param name="LeaderEpoch">The leader's epoch.</param>
/// <param name="Replicas">The broker ids holding a replica.</param>
/// <param name="LogStartOffset">The first offset still in the log (-1 when not read).</param>
/// <param name="HighWatermark">The offset below which every in-sync replica has the records: consumers read up to it (-1 when not read).</param>
/// <param name="Isr">The in-sync replicas' broker ids.</param>
/// <param name="OfflineReplicas">The replicas whose broker is not alive now.</param>
public sealed record PartitionDescription(int Partition, int Leader, int LeaderEpoch, IReadOnlyList<int> Replicas, long LogStartOffset, long HighWatermark,
    IReadOnlyList<int> Isr, IReadOnlyList<int> OfflineReplicas)
{
    /// <summary>Records currently in the partition (the high watermark minus the log start offset).</summary>
    public long RecordCount => HighWatermark >= 0 && LogStartOffset >= 0 ? HighWatermark - LogStartOffset : -1;

    /// <summary>Fewer replicas in sync than assigned (Kafka's under-replicated partition).</summary>
    public bool IsUnderReplicated => Isr.Count < Replicas.Count;
}
