using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// One partition's batch on its way: the records appended into a pooled <see cref="RecordBatchBuilder"/>
/// and who waits for them; once drained, its bytes (with the producer id and sequence stamped) are built in the
/// builder's buffer and kept for retries, so a retried batch is the same batch and the broker can tell a duplicate.
/// The builder goes back to the pool only when the batch is done and every request that carried it was answered
/// (Orleans has then serialized it); after a request without an answer it is left to the GC.
/// </summary>
internal sealed class ProducerBatch<TKey, TValue>
{
    public ProducerBatch(PartitionQueue<TKey, TValue> queue, RecordBatchBuilder builder, List<PendingRecord<TKey, TValue>> records, long createdMs)
    {
        Queue = queue;
        Builder = builder;
        Records = records;
        CreatedMs = createdMs;
    }

    public PartitionQueue<TKey, TValue> Queue { get; }

    /// <summary>The records being appended, then the built batch; null once handed back to the pool.</summary>
    public RecordBatchBuilder? Builder { get; set; }

    /// <summary>The records someone waits for, in offset order (a pooled list, handed back once reported).</summary>
    public List<PendingRecord<TKey, TValue>> Records { get; }

    public long CreatedMs { get; }

    /// <summary>The bytes counted against buffer.memory.</summary>
    public int BufferedBytes { get; set; }

    /// <summary>Closed batches take no more records: full, lingered, flushed or drained.</summary>
    public bool IsClosed { get; set; }

    /// <summary>The batch as sent, in the builder's buffer (null until drained the first time).</summary>
    public ReadOnlyMemory<byte>? Bytes { get; set; }

    /// <summary>A request carrying the batch got no answer: Orleans may still hold its bytes, so its builder is never reused.</summary>
    public bool Abandoned { get; set; }

    public int Attempts { get; set; }

    /// <summary>The error of the last attempt that is retried: an expiry names it, so a full disk is not reported as a mere timeout.</summary>
    public Error? LastError { get; set; }

    /// <summary>Its partition's <see cref="PartitionQueue{TKey, TValue}.Stored"/> when this attempt was sent.</summary>
    public long StoredBeforeSend { get; set; }

    /// <summary>When the batch was first drained, among all batches of the producer (orders retries).</summary>
    public long DrainOrder { get; set; } = -1;

    /// <summary>When a retry may be sent (monotonic ms).</summary>
    public long RetryAtMs { get; set; }

    public int BaseSequence { get; set; } = -1;

    /// <summary>Final: delivered or failed, waiting only for earlier batches of its partition to be reported first.</summary>
    public bool IsDone { get; set; }

    public Error? Error { get; set; }

    public long BaseOffset { get; set; } = -1;

    public long LogAppendTime { get; set; } = -1;

    public PersistenceStatus Status { get; set; }

    /// <summary>Records appended, whether or not anyone waits for them one by one.</summary>
    public int RecordCount { get; set; }

    /// <summary>Bytes the batch takes in a request (exact once built, an upper bound before).</summary>
    public int Size => Bytes?.Length ?? Builder?.EstimatedSize ?? 0;
}
