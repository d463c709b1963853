namespace Orlog.Client;

/// <summary>
/// One partition's fetched batches, raw, waiting for Consume; or an error or an end-of-partition notice for it.
/// Consume decodes one batch at a time into <see cref="Items"/>, so what waits in the queue is the fetched
/// bytes (bounded by queued.max.messages.kbytes) and decoded records die young. Valid while its partition's
/// version is the one it was fetched at. The decoding state is touched by the consuming thread only.
/// </summary>
internal sealed class FetchedChunk<TKey, TValue>
{
    public FetchedChunk(AssignedPartition partition, int version, byte[]? records, long fetchOffset)
    {
        Partition = partition;
        Version = version;
        Records = records;
        FetchOffset = fetchOffset;
    }

    public AssignedPartition Partition { get; }

    public int Version { get; }

    /// <summary>The fetched batches (null for an error or notice chunk).</summary>
    public byte[]? Records { get; }

    /// <summary>The fetcher's reset generation of the partition when this was fetched.</summary>
    public int Generation { get; init; }

    /// <summary>Records below this offset are skipped (a fetch that starts inside a batch gets the whole batch).</summary>
    public long FetchOffset { get; }

    /// <summary>Where the next undecoded batch starts in <see cref="Records"/>.</summary>
    public int ReadPosition { get; set; }

    /// <summary>Fetched bytes this chunk holds, counted against queued.max.messages.kbytes.</summary>
    public long Bytes => Records?.Length ?? 0;

    /// <summary>The decoded records of the current batch (or the error or notice).</summary>
    public List<ConsumeItem<TKey, TValue>> Items { get; } = [];

    public int Next { get; set; }

    public bool IsStale => !Partition.Assigned || Partition.Version != Version;

    public bool HasUndecodedBatches => Records is not null && ReadPosition < Records.Length;
}

/// <summary>One thing Consume returns (a record or an end-of-partition notice) or throws (an error), with the offset after it.</summary>
internal readonly record struct ConsumeItem<TKey, TValue>(ConsumeResult<TKey, TValue>? Result, ConsumeException? Error, long NextOffset);
