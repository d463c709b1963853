namespace Orlog.Client;

/// <summary>
/// One partition's batches in a producer: the open batch taking records, the closed ones ready to send
/// (retries first, in the order they were first sent), the ones sent and not yet reported (reported in
/// order), and the idempotence state (producer id, epoch, next sequence). Guarded by the accumulator's lock.
/// </summary>
internal sealed class PartitionQueue<TKey, TValue>
{
    public PartitionQueue(string topic, int partition, int leader)
    {
        Topic = topic;
        Partition = partition;
        Leader = leader;
    }

    public string Topic { get; }

    public int Partition { get; }

    public int Leader { get; set; }

    public ProducerBatch<TKey, TValue>? Open { get; set; }

    /// <summary>Closed batches waiting to be sent; index 0 goes next.</summary>
    public List<ProducerBatch<TKey, TValue>> Ready { get; } = [];

    /// <summary>Batches sent at least once and not yet reported, in the order they were first sent.</summary>
    public List<ProducerBatch<TKey, TValue>> Unreported { get; } = [];

    /// <summary>Batches in requests that have not answered yet.</summary>
    public int InFlight { get; set; }

    /// <summary>The broker the last batch sent went to (while <see cref="InFlight"/> is above 0, all of them did, with idempotence).</summary>
    public int InFlightBroker { get; set; } = -1;

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public int NextSequence { get; set; }

    /// <summary>Batches of this partition the broker stored so far (with idempotence, always in sequence order).</summary>
    public long Stored { get; set; }

    /// <summary>True once the broker acknowledged a batch of this producer id: until then one batch at a time, so
    /// the first sequence the broker sees is the first one sent.</summary>
    public bool Established { get; set; }

    /// <summary>A batch failed for good: the partition's sequences must restart under a new producer id before
    /// more is sent.</summary>
    public bool NeedsNewProducerId { get; set; }

    public bool IsIdle => Open is null && Ready.Count == 0 && Unreported.Count == 0;

    /// <summary>Puts a batch back for a retry, before every batch first sent after it.</summary>
    public void Requeue(ProducerBatch<TKey, TValue> batch)
    {
        var index = 0;
        while (index < Ready.Count && Ready[index].Bytes is not null && Ready[index].DrainOrder < batch.DrainOrder)
        {
            index++;
        }
        Ready.Insert(index, batch);
    }
}
