namespace Orlog.Log.Producers;

/// <summary>
/// What the log remembers of one idempotent producer: its epoch and the sequences and offsets of its
/// last five batches (Kafka lets a producer have five requests in flight, so a retry of any of them is
/// recognised and answered with the original offsets).
/// </summary>
public sealed class ProducerStateEntry
{
    public const int MaxBatches = 5;

    private readonly ProducerBatch[] _batches = new ProducerBatch[MaxBatches];
    private int _first;

    public ProducerStateEntry(long producerId, short producerEpoch)
    {
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
    }

    public long ProducerId { get; }

    public short ProducerEpoch { get; private set; }

    /// <summary>When the producer last wrote, by the broker's clock: producer.id.expiration.ms counts from here.</summary>
    public long LastAppendTime { get; set; }

    public int BatchCount { get; private set; }

    /// <summary>The last sequence written, or -1 when no batch of the current epoch is known.</summary>
    public int LastSequence => BatchCount == 0 ? -1 : Batch(BatchCount - 1).LastSequence;

    /// <summary>The i-th remembered batch, oldest first.</summary>
    public ProducerBatch Batch(int i) => _batches[(_first + i) % MaxBatches];

    public void Add(short producerEpoch, ProducerBatch batch)
    {
        if (producerEpoch != ProducerEpoch)
        {
            ProducerEpoch = producerEpoch;
            BatchCount = 0;
            _first = 0;
        }
        if (BatchCount == MaxBatches)
        {
            _first = (_first + 1) % MaxBatches;
            BatchCount--;
        }
        _batches[(_first + BatchCount) % MaxBatches] = batch;
        BatchCount++;
    }

    /// <summary>The remembered batch with exactly these sequences, if any.</summary>
    public ProducerBatch? FindDuplicate(int firstSequence, int lastSequence)
    {
        for (var i = 0; i < BatchCount; i++)
        {
            var batch = Batch(i);
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return batch;
            }
        }
        return null;
    }

    /// <summary>Forgets batches that end at or after <paramref name="offset"/> (after a truncation).</summary>
    public void RemoveBatchesFrom(long offset)
    {
        while (BatchCount > 0 && Batch(BatchCount - 1).LastOffset >= offset)
        {
            BatchCount--;
        }
    }
}
