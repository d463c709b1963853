namespace Orlog.Client;

/// <summary>One partition of a described topic.</summary>
/// <param name="Partition">The partition's number.</param>
/// <param name="Leader">The broker id of its leader.</param>
/// <param name="LeaderEpoch">The leader's epoch.</param>
/// <param name="Replicas">The broker ids holding a replica.</param>
/// <param name="LogStartOffset">The first offset still in the log (-1 when not read).</param>
/// <param name="HighWatermark">The offset the next record gets (-1 when not read).</param>
public sealed record PartitionDescription(int Partition, int Leader, int LeaderEpoch, IReadOnlyList<int> Replicas, long LogStartOffset, long HighWatermark)
{
    /// <summary>Records currently in the partition (the high watermark minus the log start offset).</summary>
    public long RecordCount => HighWatermark >= 0 && LogStartOffset >= 0 ? HighWatermark - LogStartOffset : -1;
}
