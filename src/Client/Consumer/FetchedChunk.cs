namespace Orlog.Client;

/// <summary>
/// Records of one partition decoded from one fetch, in offset order, waiting for Consume; or an error or an
/// end-of-partition notice for it. Valid while its partition's version is the one it was fetched at.
/// </summary>
internal sealed class FetchedChunk<TKey, TValue>
{
    public FetchedChunk(PartitionState partition, int version, long bytes)
    {
        Partition = partition;
        Version = version;
        Bytes = bytes;
    }

    public PartitionState Partition { get; }

    public int Version { get; }

    /// <summary>Fetched bytes this chunk holds, counted against queued.max.messages.kbytes.</summary>
    public long Bytes { get; }

    public List<ConsumeItem<TKey, TValue>> Items { get; } = [];

    public int Next { get; set; }

    /// <summary>The fetch position after this chunk (the offset after its last batch).</summary>
    public long NextFetchOffset { get; set; } = -1;

    public bool IsStale => !Partition.Assigned || Partition.Version != Version;

    public bool IsExhausted => Next >= Items.Count;
}

/// <summary>One thing Consume returns (a record or an end-of-partition notice) or throws (an error), with the offset after it.</summary>
internal readonly record struct ConsumeItem<TKey, TValue>(ConsumeResult<TKey, TValue>? Result, ConsumeException? Error, long NextOffset);
