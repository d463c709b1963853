using System.Collections.Concurrent;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// Gathers a producer's records into per-partition batches (linger.ms, batch.size), hands the ready ones to
/// the sender grouped by broker (one batch per partition per request, as Kafka), takes back batches to
/// retry, and reports finished batches in order per partition. Bounds buffered bytes by buffer.memory.
/// </summary>
internal sealed partial class RecordAccumulator<TKey, TValue> : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Lock _deliveryLock = new();
    private readonly ProducerSettings _settings;
    private readonly Clock _clock;
    private readonly AsyncSignal _senderWake;
    private readonly Dictionary<string, TopicQueues<TKey, TValue>> _topics = new(StringComparer.Ordinal);
    private TopicQueues<TKey, TValue>? _lastTopic;
    private readonly Stack<RecordBatchBuilder> _builders = new();
    private readonly Stack<List<PendingRecord<TKey, TValue>>> _recordLists = new();
    private readonly Dictionary<int, int> _brokerInFlight = [];
    private readonly ConcurrentQueue<ProducerBatch<TKey, TValue>> _deliveries = new();
    private readonly Action<ProducerBatch<TKey, TValue>> _report;
    private Action _readyToSend = static () => { };
    private readonly List<TaskCompletionSource> _emptyWaiters = [];
    private TaskCompletionSource _room = NewSignal();
    private long _bufferedBytes;
    private int _incompleteBatches;
    private int _incompleteRecords;
    private long _deliveredRecords;
    private long _deliveredBytes;
    private int _flushing;
    private long _drainOrder;
    private bool _disposed;
    private bool _senderIdle;
    private ProducerIdAndEpoch? _producerId;

    public RecordAccumulator(ProducerSettings settings, Clock clock, AsyncSignal senderWake, Action<ProducerBatch<TKey, TValue>> report)
    {
        _settings = settings;
        _clock = clock;
        _senderWake = senderWake;
        _report = report;
    }

    /// <summary>
    /// Called (outside the lock) when a batch closed or an in-flight slot freed: the sender drains right there,
    /// on the calling thread, instead of waking its loop (a thread hop per request).
    /// </summary>
    public Action ReadyToSend
    {
        set => _readyToSend = value;
    }

    /// <summary>Set by the sender while its loop may sleep without a deadline: a new open batch must wake it for linger.ms.</summary>
    public bool SenderIdle
    {
        get => Volatile.Read(ref _senderIdle);
        set => Volatile.Write(ref _senderIdle, value);
    }

    /// <summary>The producer id given to partitions that have none yet (idempotent producers).</summary>
    public ProducerIdAndEpoch? ProducerId
    {
        get
        {
            lock (_lock)
            {
                return _producerId;
            }
        }
        set
        {
            lock (_lock)
            {
                _producerId = value;
            }
        }
    }

    /// <summary>Records appended and not yet reported.</summary>
    public int IncompleteRecords => Volatile.Read(ref _incompleteRecords);

    /// <summary>What the statistics report: records waiting or in flight and their bytes, and records delivered so far and their bytes.</summary>
    public (long Waiting, long WaitingBytes, long Delivered, long DeliveredBytes) Statistics()
    {
        lock (_lock)
        {
            return (_incompleteRecords, _bufferedBytes, _deliveredRecords, _deliveredBytes);
        }
    }

    /// <summary>True while buffered bytes stay below buffer.memory.</summary>
    public bool HasRoom => Volatile.Read(ref _bufferedBytes) < _settings.BufferMemory;

    /// <summary>Completes when buffered bytes drop (check <see cref="HasRoom"/> again).</summary>
    public Task RoomSignal
    {
        get
        {
            lock (_lock)
            {
                if (_room.Task.IsCompleted)
                {
                    _room = NewSignal();
                }
                return _room.Task;
            }
        }
    }

    /// <summary>
    /// Appends a record to its partition's open batch (partition -1: by the key's murmur2, or the sticky partition
    /// for a null key) and returns the partition.
    /// </summary>
    public int Append(Grains.TopicMetadata metadata, int partition, RecordBytes key, RecordBytes value, ReadOnlySpan<RecordHeader> headers,
        long timestamp, in PendingRecord<TKey, TValue> pending)
    {
        var opened = false;
        var closed = false;
        var sendNow = false;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var topic = Topic(metadata);
            var count = topic.PartitionCount;
            var sticky = false;
            if (partition < 0)
            {
                sticky = key.IsNull;
                partition = sticky ? topic.StickyPartition() : Murmur2Partitioner.Partition(key.Span, count);
            }
            else if (partition >= count)
            {
                throw MetadataCache.UnknownPartition(metadata.Name, partition, count);
            }
            var queue = topic.Queue(partition);
            var batch = queue.Open;
            if (batch is not null && !batch.Builder!.HasRoomFor(key.EncodedLength, value.EncodedLength, headers, _settings.BatchSize))
            {
                Close(queue);
                closed = true;
                batch = null;
                if (sticky)
                {
                    // The sticky partition's batch is complete: move on, as Kafka's sticky partitioner does.
                    partition = topic.StickyPartition();
                    queue = topic.Queue(partition);
                    batch = queue.Open;
                    if (batch is not null && !batch.Builder!.HasRoomFor(key.EncodedLength, value.EncodedLength, headers, _settings.BatchSize))
                    {
                        Close(queue);
                        batch = null;
                    }
                }
            }
            if (batch is null)
            {
                var records = _recordLists.TryPop(out var pooled) ? pooled : [];
                batch = new ProducerBatch<TKey, TValue>(queue, RentBuilder(), records, _clock.NowMs);
                queue.Open = batch;
                _incompleteBatches++;
                opened = true;
            }
            var builder = batch.Builder!;
            var before = builder.EstimatedSize;
            builder.Append(timestamp, key, value, headers);
            if (pending.IsAwaited)
            {
                batch.Records.Add(pending with { Index = batch.RecordCount });
            }
            batch.RecordCount++;
            var added = builder.EstimatedSize - (batch.RecordCount == 1 ? 0 : before);
            batch.BufferedBytes += added;
            _bufferedBytes += added;
            _incompleteRecords++;
            if (sticky)
            {
                topic.MarkStickyUsed();
            }
            if (builder.EstimatedSize >= _settings.BatchSize)
            {
                Close(queue);
                closed = true;
            }
            // Only while nothing is in flight to its leader: under load, sending each record from the producing thread
            // would make every record a request of its own; records then gather while the sender's loop is busy, and
            // while every slot is taken until an answer frees one.
            sendNow = opened && _settings.LingerMs == 0 && _brokerInFlight.GetValueOrDefault(queue.Leader) == 0;
        }
        if (closed || sendNow)
        {
            // A full batch, or with linger.ms=0 a record to an idle broker: sent from this thread now, with no hop to
            // the sender's loop.
            _readyToSend();
        }
        else if (opened && SenderIdle)
        {
            _senderWake.Set();
        }
        return partition;
    }

    /// <summary>Makes every open batch ready now (until <see cref="EndFlush"/>).</summary>
    public void BeginFlush()
    {
        Interlocked.Increment(ref _flushing);
        _senderWake.Set();
    }

    public void EndFlush() => Interlocked.Decrement(ref _flushing);

    /// <summary>Completes when every batch appended so far has been reported.</summary>
    public Task WhenEmpty()
    {
        lock (_lock)
        {
            if (_incompleteBatches == 0)
            {
                return Task.CompletedTask;
            }
            var waiter = NewSignal();
            _emptyWaiters.Add(waiter);
            return waiter.Task;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_builders.TryPop(out var builder))
            {
                builder.Dispose();
            }
        }
    }

    private TopicQueues<TKey, TValue> Topic(Grains.TopicMetadata metadata)
    {
        // Most producers send to one topic: its metadata object is the same from record to record until it is reloaded.
        if (_lastTopic is { } last && ReferenceEquals(last.Metadata, metadata))
        {
            return last;
        }
        if (!_topics.TryGetValue(metadata.Name, out var topic))
        {
            topic = new TopicQueues<TKey, TValue>(metadata.Name);
            _topics.Add(metadata.Name, topic);
        }
        topic.Update(metadata);
        _lastTopic = topic;
        return topic;
    }

    private static void Close(PartitionQueue<TKey, TValue> queue)
    {
        if (queue.Open is { } open)
        {
            open.IsClosed = true;
            queue.Ready.Add(open);
            queue.Open = null;
        }
    }

    private RecordBatchBuilder RentBuilder() =>
        _builders.TryPop(out var builder) ? builder : new RecordBatchBuilder(_settings.Compression);

    /// <summary>Hands the batch's builder (and so its buffer) back to the pool; the caller knows nothing else holds it.</summary>
    private void ReturnBuilder(ProducerBatch<TKey, TValue> batch)
    {
        if (batch.Builder is not { } builder)
        {
            return;
        }
        batch.Builder = null;
        builder.Reset();
        if (_disposed || _builders.Count >= 64)
        {
            builder.Dispose();
        }
        else
        {
            _builders.Push(builder);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
