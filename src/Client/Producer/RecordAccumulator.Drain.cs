namespace Orlog.Client;

internal sealed partial class RecordAccumulator<TKey, TValue>
{
    /// <summary>
    /// Takes the batches ready to go: per broker with a free in-flight slot, at most one batch per partition (the
    /// oldest: a retry first), up to max.request.size; a request also takes the other partitions' open batches
    /// (<see cref="Piggyback"/>). Closes open batches whose linger.ms passed (all of them while flushing), and
    /// fails batches past delivery.timeout.ms that are not in flight.
    /// </summary>
    /// <param name="work">The requests to send.</param>
    /// <param name="needProducerId">Partitions that must get a new producer id before they send again.</param>
    /// <returns>How long until something else becomes ready (-1: nothing pending that time alone would release).</returns>
    public long Drain(List<ProduceWork<TKey, TValue>> work, List<PartitionQueue<TKey, TValue>> needProducerId) =>
        Drain(work, needProducerId, out _);

    /// <inheritdoc cref="Drain(List{ProduceWork{TKey, TValue}}, List{PartitionQueue{TKey, TValue}})"/>
    /// <param name="work">The requests to send.</param>
    /// <param name="needProducerId">Partitions that must get a new producer id before they send again.</param>
    /// <param name="expiresInMs">
    /// How long until the oldest batch waiting to be sent expires (-1: none waits). Whatever holds such batches back
    /// (slots, a backoff, a producer id), the sender wakes by then: nothing else may wake it (a full disk once left a
    /// Flush waiting forever). Apart from the returned wait, as it only bounds a sleep: the sender still counts as
    /// idle, so that a new open batch wakes it for its linger.
    /// </param>
    public long Drain(List<ProduceWork<TKey, TValue>> work, List<PartitionQueue<TKey, TValue>> needProducerId, out long expiresInMs)
    {
        var now = _clock.NowMs;
        var wait = -1L;
        var expires = -1L;
        var flushing = Volatile.Read(ref _flushing) > 0;
        var expiredAny = false;
        lock (_lock)
        {
            foreach (var topic in _topics.Values)
            {
                foreach (var queue in topic.Queues)
                {
                    if (queue is null)
                    {
                        continue;
                    }
                    if (queue.Open is { } open)
                    {
                        var due = open.CreatedMs + _settings.LingerMs;
                        if (flushing || (now >= due && !WaitsForASlot(queue, open, now)))
                        {
                            Close(queue);
                        }
                        else if (now >= due)
                        {
                            // Lingered, but every slot to its leader is taken: it keeps filling until an answer frees
                            // one (that answer drains again), as Kafka's batches do, instead of leaving as one record.
                            continue;
                        }
                        else
                        {
                            wait = Earlier(wait, due - now);
                        }
                    }
                    expiredAny |= ExpireOld(queue, now);
                    if (queue.Ready.Count == 0)
                    {
                        continue;
                    }
                    expires = Earlier(expires, queue.Ready[0].CreatedMs + _settings.DeliveryTimeoutMs - now);
                    if (_settings.Idempotent && (queue.NeedsNewProducerId || queue.ProducerId < 0))
                    {
                        if (queue.ProducerId < 0 && !queue.NeedsNewProducerId && _producerId is { } id)
                        {
                            queue.ProducerId = id.ProducerId;
                            queue.ProducerEpoch = id.Epoch;
                        }
                        else
                        {
                            if (queue.InFlight == 0 && AllSentAreDone(queue))
                            {
                                needProducerId.Add(queue);
                            }
                            continue;
                        }
                    }
                    var batch = queue.Ready[0];
                    if (batch.RetryAtMs > now)
                    {
                        wait = Earlier(wait, batch.RetryAtMs - now);
                        continue;
                    }
                    if (!MaySend(queue, batch) || _brokerInFlight.GetValueOrDefault(queue.Leader) >= _settings.MaxInFlight)
                    {
                        continue;
                    }
                    var request = RequestFor(work, queue.Leader);
                    if (request.Batches.Count > 0 && SizeOf(request) + batch.Size > _settings.MaxRequestSize)
                    {
                        continue;
                    }
                    Take(queue, request);
                }
            }
            if (work.Count > 0)
            {
                Piggyback(work);
            }
            foreach (var request in work)
            {
                _brokerInFlight[request.Broker] = _brokerInFlight.GetValueOrDefault(request.Broker) + 1;
            }
        }
        if (expiredAny)
        {
            DeliverReported();
        }
        expiresInMs = expires;
        return wait;
    }

    /// <summary>
    /// As Kafka's drain: a request that goes to a broker anyway also takes the open batches of its other
    /// partitions, lingering or not, so calls stay large and nothing waits for a call of its own.
    /// </summary>
    private void Piggyback(List<ProduceWork<TKey, TValue>> work)
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var queue in topic.Queues)
            {
                if (queue?.Open is null || queue.Ready.Count > 0
                    || (_settings.Idempotent && (queue.NeedsNewProducerId || queue.ProducerId < 0 || !queue.Established)))
                {
                    continue;
                }
                var request = FindRequest(work, queue.Leader);
                if (request is null || !MaySend(queue, queue.Open) || SizeOf(request) + queue.Open.Size > _settings.MaxRequestSize)
                {
                    continue;
                }
                Close(queue);
                Take(queue, request);
            }
        }
    }

    /// <summary>
    /// An open batch whose linger passed but that could not go now only because requests in flight hold the slots
    /// (its partition's or its broker's): an answer will free one and drain again. (Also holding a linger.ms=0 batch
    /// while any request is in flight was tried: W4's p99 rose from 4-8 ms to 9-13 ms and W2 stayed as slow.)
    /// </summary>
    private bool WaitsForASlot(PartitionQueue<TKey, TValue> queue, ProducerBatch<TKey, TValue> open, long now) =>
        queue.Ready.Count == 0
        && now - open.CreatedMs < _settings.DeliveryTimeoutMs
        && (!_settings.Idempotent || (queue.ProducerId >= 0 && !queue.NeedsNewProducerId))
        && (!MaySend(queue, open) || _brokerInFlight.GetValueOrDefault(queue.Leader) >= _settings.MaxInFlight);

    /// <summary>
    /// Whether the partition may send <paramref name="batch"/> now, beside the batches it has in flight: up to
    /// max.in.flight.requests.per.connection. With idempotence, as Kafka's producer, only one at a time until the
    /// broker knows the producer id, and a retry only alone (the ones before it are done, so it cannot overtake
    /// them); and nothing goes to a new leader while batches sent to the old one are unanswered: a later sequence
    /// reaching the new leader first would wait there for the earlier ones, holding the in-flight slots they
    /// need (this stalled failover for the broker's whole sequence wait).
    /// </summary>
    private bool MaySend(PartitionQueue<TKey, TValue> queue, ProducerBatch<TKey, TValue> batch)
    {
        if (!_settings.Idempotent)
        {
            return queue.InFlight < _settings.MaxInFlight;
        }
        if (queue.InFlight == 0)
        {
            return true;
        }
        return queue.Established && batch.Attempts == 0 && queue.InFlightBroker == queue.Leader && queue.InFlight < _settings.MaxInFlight;
    }

    /// <summary>Moves the partition's first ready batch into the request, stamping its sequence the first time.</summary>
    private void Take(PartitionQueue<TKey, TValue> queue, ProduceWork<TKey, TValue> request)
    {
        var batch = queue.Ready[0];
        queue.Ready.RemoveAt(0);
        queue.InFlight++;
        queue.InFlightBroker = request.Broker;
        batch.Attempts++;
        batch.StoredBeforeSend = queue.Stored;
        if (batch.DrainOrder < 0)
        {
            batch.DrainOrder = _drainOrder++;
            queue.Unreported.Add(batch);
            if (_settings.Idempotent)
            {
                batch.BaseSequence = queue.NextSequence;
                queue.NextSequence = (int)((queue.NextSequence + (long)batch.RecordCount) % ((long)int.MaxValue + 1));
            }
        }
        request.Batches.Add(batch);
    }

    private static ProduceWork<TKey, TValue>? FindRequest(List<ProduceWork<TKey, TValue>> work, int broker)
    {
        foreach (var request in work)
        {
            if (request.Broker == broker)
            {
                return request;
            }
        }
        return null;
    }

    /// <summary>Builds a drained batch's bytes in its builder (once: a retry sends the same bytes).</summary>
    public ReadOnlyMemory<byte> BytesOf(ProducerBatch<TKey, TValue> batch)
    {
        if (batch.Bytes is { } bytes)
        {
            return bytes;
        }
        var builder = batch.Builder!;
        if (_settings.Idempotent)
        {
            builder.ProducerId = batch.Queue.ProducerId;
            builder.ProducerEpoch = batch.Queue.ProducerEpoch;
            builder.BaseSequence = batch.BaseSequence;
        }
        bytes = builder.Build();
        batch.Bytes = bytes;
        return bytes;
    }

    /// <summary>A request carrying these batches was answered: the done ones give their builders back to the pool.</summary>
    public void Answered(List<ProducerBatch<TKey, TValue>> batches)
    {
        lock (_lock)
        {
            foreach (var batch in batches)
            {
                if (batch.IsDone && !batch.Abandoned)
                {
                    ReturnBuilder(batch);
                }
            }
        }
    }

    /// <summary>A request carrying these batches got no answer (timed out, connection lost): their buffers are never reused.</summary>
    public void Unanswered(List<ProducerBatch<TKey, TValue>> batches)
    {
        lock (_lock)
        {
            foreach (var batch in batches)
            {
                batch.Abandoned = true;
            }
        }
    }

    /// <summary>Gives a partition a fresh producer id: its sequences restart at 0.</summary>
    public void AssignProducerId(PartitionQueue<TKey, TValue> queue, Grains.ProducerIdAndEpoch id)
    {
        lock (_lock)
        {
            queue.ProducerId = id.ProducerId;
            queue.ProducerEpoch = id.Epoch;
            queue.NextSequence = 0;
            queue.Established = false;
            queue.NeedsNewProducerId = false;
        }
        _senderWake.Set();
    }

    private bool ExpireOld(PartitionQueue<TKey, TValue> queue, long now)
    {
        var expired = false;
        // Ready batches are in creation order (retries, the oldest, first): stop at the first young one.
        while (queue.Ready.Count > 0)
        {
            var batch = queue.Ready[0];
            if (now - batch.CreatedMs < _settings.DeliveryTimeoutMs)
            {
                break;
            }
            queue.Ready.RemoveAt(0);
            var sent = batch.Bytes is not null;
            // An idempotent batch never sent for want of a producer id waited on the cluster's producer-id
            // allocation (which may need the metadata database), not on the partition's leader.
            var cause = batch.LastError is { } last ? $"The last attempt failed with {last.Code.KafkaName()}: {last.Reason}"
                : !sent && _settings.Idempotent && (queue.ProducerId < 0 || queue.NeedsNewProducerId)
                ? "No producer id was allocated in that time (enable.idempotence=true): is the cluster's metadata database reachable?"
                : "Is the partition's leader available?";
            // A batch retried against a failing disk until it expired failed for that reason, not for the clock's.
            var code = batch.LastError?.Code == ErrorCode.KafkaStorageError ? ErrorCode.KafkaStorageError : ErrorCode.RequestTimedOut;
            var error = new Error(code,
                $"{batch.RecordCount} record(s) for {queue.Topic}-{queue.Partition} expired: {now - batch.CreatedMs} ms passed since the batch was created, more than delivery.timeout.ms ({_settings.DeliveryTimeoutMs}). {cause}");
            FinishLocked(batch, error, sent ? PersistenceStatus.PossiblyPersisted : PersistenceStatus.NotPersisted);
            if (!batch.Abandoned)
            {
                // Waiting for a retry, so not in flight, and every request that carried it was answered.
                ReturnBuilder(batch);
            }
            expired = true;
        }
        return expired;
    }

    private static bool AllSentAreDone(PartitionQueue<TKey, TValue> queue)
    {
        foreach (var batch in queue.Unreported)
        {
            if (!batch.IsDone)
            {
                return false;
            }
        }
        return true;
    }

    private static ProduceWork<TKey, TValue> RequestFor(List<ProduceWork<TKey, TValue>> work, int broker)
    {
        if (FindRequest(work, broker) is { } found)
        {
            return found;
        }
        var created = new ProduceWork<TKey, TValue>(broker, []);
        work.Add(created);
        return created;
    }

    private static long SizeOf(ProduceWork<TKey, TValue> request)
    {
        long size = 0;
        foreach (var batch in request.Batches)
        {
            size += batch.Size;
        }
        return size;
    }

    private static long Earlier(long wait, long candidate) => wait < 0 ? Math.Max(0, candidate) : Math.Min(wait, Math.Max(0, candidate));
}
