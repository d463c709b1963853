namespace Orlog.Client;

internal sealed partial class RecordAccumulator<TKey, TValue>
{
    /// <summary>The broker stored the batch (or, with acks=0, it was sent).</summary>
    public void Succeeded(ProducerBatch<TKey, TValue> batch, long baseOffset, long logAppendTime, PersistenceStatus status)
    {
        lock (_lock)
        {
            batch.Queue.InFlight--;
            batch.Queue.Established = true;
            batch.Queue.Stored++;
            batch.BaseOffset = baseOffset;
            batch.LogAppendTime = logAppendTime;
            FinishLocked(batch, null, status);
        }
        DeliverReported();
    }

    /// <summary>The batch failed for good.</summary>
    public void Failed(ProducerBatch<TKey, TValue> batch, Error error, PersistenceStatus status)
    {
        lock (_lock)
        {
            batch.Queue.InFlight--;
            FinishLocked(batch, error, status);
        }
        DeliverReported();
    }

    /// <summary>The batch failed with a retriable error: send it again after retry.backoff.ms.</summary>
    public void Retry(ProducerBatch<TKey, TValue> batch)
    {
        lock (_lock)
        {
            batch.Queue.InFlight--;
            batch.RetryAtMs = _clock.NowMs + _settings.RetryBackoffMs;
            batch.Queue.Requeue(batch);
        }
        _senderWake.Set();
    }

    /// <summary>A request to <paramref name="broker"/> answered (or failed): its in-flight slot is free.</summary>
    public void RequestDone(int broker)
    {
        lock (_lock)
        {
            _brokerInFlight[broker]--;
        }
        _readyToSend();
    }

    /// <summary>Takes newer metadata for a topic (leaders moved, partitions added).</summary>
    public void UpdateMetadata(Grains.TopicMetadata metadata)
    {
        lock (_lock)
        {
            Topic(metadata);
        }
        _senderWake.Set();
    }

    /// <summary>
    /// True when an OUT_OF_ORDER_SEQUENCE_NUMBER for this batch only means that an earlier batch of its partition
    /// had not arrived yet: one is still unfinished, or one was stored after this attempt was sent (answers to
    /// requests sent at once come back in any order, so the refusal may be older than the earlier batch's
    /// acknowledgement). With idempotence the broker stores a partition's batches in sequence order, so a batch
    /// stored since the send can only be an earlier one.
    /// </summary>
    public bool HasEarlierPending(ProducerBatch<TKey, TValue> batch)
    {
        lock (_lock)
        {
            if (batch.Queue.Stored != batch.StoredBeforeSend)
            {
                return true;
            }
            foreach (var earlier in batch.Queue.Unreported)
            {
                if (ReferenceEquals(earlier, batch))
                {
                    return false;
                }
                if (!earlier.IsDone)
                {
                    return true;
                }
            }
            return false;
        }
    }

    private void FinishLocked(ProducerBatch<TKey, TValue> batch, Error? error, PersistenceStatus status)
    {
        batch.IsDone = true;
        batch.Error = error;
        if (batch.Bytes is null)
        {
            // Never sent: nothing else can hold its buffer. A sent batch's builder comes back with its answer (Answered).
            ReturnBuilder(batch);
        }
        batch.Status = status;
        var queue = batch.Queue;
        if (error is not null && _settings.Idempotent && batch.Bytes is not null)
        {
            // The broker's sequence for this producer id no longer matches ours: start over with a new one.
            queue.NeedsNewProducerId = true;
        }
        if (batch.DrainOrder < 0)
        {
            _deliveries.Enqueue(batch);
            return;
        }
        while (queue.Unreported.Count > 0 && queue.Unreported[0].IsDone)
        {
            _deliveries.Enqueue(queue.Unreported[0]);
            queue.Unreported.RemoveAt(0);
        }
    }

    /// <summary>Runs a report made outside any batch (a record that failed before joining one) as batch reports run: one at a time.</summary>
    public void ReportAside(Action report)
    {
        lock (_deliveryLock)
        {
            report();
        }
    }

    /// <summary>Reports finished batches, one at a time in the order they finished, so a partition's reports keep its order.</summary>
    private void DeliverReported()
    {
        lock (_deliveryLock)
        {
            while (_deliveries.TryDequeue(out var batch))
            {
                var records = batch.RecordCount;
                _report(batch);
                lock (_lock)
                {
                    _incompleteBatches--;
                    _incompleteRecords -= records;
                    if (batch.Status == PersistenceStatus.Persisted)
                    {
                        _deliveredRecords += records;
                        _deliveredBytes += batch.BufferedBytes;
                    }
                    // Lists of queued batches live long enough to reach gen2: reusing them keeps gen2 collections rare.
                    batch.Records.Clear();
                    if (_recordLists.Count < 4096)
                    {
                        _recordLists.Push(batch.Records);
                    }
                    _bufferedBytes -= batch.BufferedBytes;
                    _room.TrySetResult();
                    if (_incompleteBatches == 0)
                    {
                        foreach (var waiter in _emptyWaiters)
                        {
                            waiter.TrySetResult();
                        }
                        _emptyWaiters.Clear();
                    }
                }
            }
        }
    }
}
