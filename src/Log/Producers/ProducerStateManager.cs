using Orlog.Records;

namespace Orlog.Log.Producers;

/// <summary>
/// The idempotence state of a partition: per producer id, its epoch and its last batches. The log checks
/// every batch of an idempotent producer against it before appending (Kafka's rules: an older epoch is
/// fenced, a repeated batch is answered with its original offsets, a gap in sequences is refused) and
/// rebuilds it on open from the newest snapshot plus the batches after it.
/// </summary>
public sealed class ProducerStateManager
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];

    public int Count => _producers.Count;

    public IEnumerable<ProducerStateEntry> Producers => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>
    /// Checks a batch before it is appended. Returns the earlier batch when this one is a retry of it;
    /// throws INVALID_PRODUCER_EPOCH or OUT_OF_ORDER_SEQUENCE_NUMBER when it must be refused.
    /// </summary>
    public ProducerBatch? Check(in RecordBatchHeader batch)
    {
        if (!batch.HasProducerId || !_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            // An unknown producer (new, or expired) may start at any sequence, as in Kafka.
            return null;
        }
        if (batch.ProducerEpoch < entry.ProducerEpoch)
        {
            throw new KafkaException(ErrorCode.InvalidProducerEpoch,
                $"Producer {batch.ProducerId} wrote with epoch {batch.ProducerEpoch}, older than its current epoch {entry.ProducerEpoch}: a newer instance of this producer fenced it.");
        }
        if (batch.ProducerEpoch == entry.ProducerEpoch)
        {
            if (entry.FindDuplicate(batch.BaseSequence, batch.LastSequence) is { } duplicate)
            {
                return duplicate;
            }
            var expected = entry.LastSequence == int.MaxValue ? 0 : entry.LastSequence + 1;
            if (batch.BaseSequence != expected && expected != 0 && batch.BaseSequence >= 0 && batch.BaseSequence <= batch.LastSequence && batch.LastSequence <= entry.LastSequence)
            {
                // Sequences are dense within an epoch, so every one of these was written before: a retry of a
                // batch older than the few kept (after a leader change, retries can trail newer batches).
                throw new KafkaException(ErrorCode.DuplicateSequenceNumber,
                    $"Producer {batch.ProducerId} (epoch {batch.ProducerEpoch}) sent sequences {batch.BaseSequence}-{batch.LastSequence} again: they were written before, " +
                    "further back than the batches kept, so they are not written twice and their offsets are not known.");
            }
            if (batch.BaseSequence != expected)
            {
                throw new KafkaException(ErrorCode.OutOfOrderSequenceNumber,
                    $"Producer {batch.ProducerId} (epoch {batch.ProducerEpoch}) sent sequence {batch.BaseSequence}, expected {expected}: a batch before it is missing. The producer must retry in order.");
            }
        }
        else if (batch.BaseSequence != 0)
        {
            throw new KafkaException(ErrorCode.OutOfOrderSequenceNumber,
                $"Producer {batch.ProducerId} started epoch {batch.ProducerEpoch} at sequence {batch.BaseSequence}; a new epoch must start at 0.");
        }
        return null;
    }

    /// <summary>Records a batch that was appended (its base offset set), or replayed from the log.</summary>
    public void Update(in RecordBatchHeader batch, long appendTime)
    {
        if (!batch.HasProducerId)
        {
            return;
        }
        if (!_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            entry = new ProducerStateEntry(batch.ProducerId, batch.ProducerEpoch);
            _producers.Add(batch.ProducerId, entry);
        }
        if (batch.BaseSequence >= 0)
        {
            entry.Add(batch.ProducerEpoch, new ProducerBatch(batch.BaseSequence, batch.LastSequence, batch.BaseOffset, batch.LastOffset));
        }
        entry.LastAppendTime = Math.Max(entry.LastAppendTime, appendTime);
    }

    /// <summary>Forgets producers idle for longer than producer.id.expiration.ms.</summary>
    public int RemoveExpired(long now, long expirationMs)
    {
        List<long>? expired = null;
        foreach (var (id, entry) in _producers)
        {
            if (now - entry.LastAppendTime >= expirationMs)
            {
                (expired ??= []).Add(id);
            }
        }
        expired?.ForEach(id => _producers.Remove(id));
        return expired?.Count ?? 0;
    }

    public void Clear() => _producers.Clear();

    internal void Add(ProducerStateEntry entry) => _producers[entry.ProducerId] = entry;
}
