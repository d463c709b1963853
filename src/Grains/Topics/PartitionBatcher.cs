using Orlog.Records;

namespace Orlog.Grains.Topics;

/// <summary>
/// A topic router's batching, without I/O: the records of many calls gather in one open batch per partition, closed
/// at batch.size or once it lingered linger.ms; one batch per partition is in flight at a time, so a partition's
/// batches reach the log in the order they closed. A call's records of one partition always share one batch.
/// </summary>
internal sealed class PartitionBatcher(TopicRouterOptions options, TimeProvider time)
{
    private readonly Dictionary<int, Partition> _partitions = [];

    /// <summary>Appends one call's records of a partition to its open batch (a new one when they would overflow it): the batch, and the index in it of the first.</summary>
    public (RoutedBatch Batch, int FirstIndex) Add(int partition, IReadOnlyList<RoutedRecord> records)
    {
        if (!_partitions.TryGetValue(partition, out var queue))
        {
            queue = new Partition();
            _partitions.Add(partition, queue);
        }
        var headers = new RecordHeader[records.Count][];
        var size = 0;
        for (var i = 0; i < records.Count; i++)
        {
            headers[i] = Headers(records[i]);
            size += RecordBatchBuilder.EstimateRecordSize(records[i].Key?.Length ?? -1, records[i].Value?.Length ?? -1, headers[i]);
        }
        if (queue.Open is { } open && open.Builder.EstimatedSize + size > options.BatchSize)
        {
            queue.Close();
        }
        var batch = queue.Open ??= new RoutedBatch(partition, time.GetTimestamp());
        var first = batch.Count;
        for (var i = 0; i < records.Count; i++)
        {
            batch.Builder.Append(records[i].Timestamp, records[i].Key, records[i].Value, headers[i]);
        }
        if (batch.Builder.EstimatedSize >= options.BatchSize)
        {
            queue.Close();
        }
        return (batch, first);
    }

    /// <summary>
    /// The batches to send now, at most one a partition and only where none is in flight: a closed batch, or the
    /// open one once it lingered (at once with linger.ms=0). Each is in flight until <see cref="Done"/>.
    /// </summary>
    public List<RoutedBatch> TakeReady()
    {
        var ready = new List<RoutedBatch>();
        var now = time.GetTimestamp();
        foreach (var queue in _partitions.Values)
        {
            if (queue.InFlight is not null)
            {
                continue;
            }
            if (queue.Closed.Count == 0 && queue.Open is { } open && LingerLeft(open, now) <= TimeSpan.Zero)
            {
                queue.Close();
            }
            if (queue.Closed.TryDequeue(out var batch))
            {
                queue.InFlight = batch;
                ready.Add(batch);
            }
        }
        return ready;
    }

    /// <summary>The batch's append is over (stored, or failed for good): its partition may send the next.</summary>
    public void Done(RoutedBatch batch)
    {
        var queue = _partitions[batch.Partition];
        if (ReferenceEquals(queue.InFlight, batch))
        {
            queue.InFlight = null;
        }
    }

    /// <summary>How long until the first open batch that waits only for its linger may go; null when none does.</summary>
    public TimeSpan? NextLinger()
    {
        TimeSpan? next = null;
        var now = time.GetTimestamp();
        foreach (var queue in _partitions.Values)
        {
            if (queue.InFlight is null && queue.Closed.Count == 0 && queue.Open is { } open)
            {
                var left = LingerLeft(open, now);
                next = next is null || left < next ? left : next;
            }
        }
        return next is { } wait && wait < TimeSpan.Zero ? TimeSpan.Zero : next;
    }

    /// <summary>True while the batch still takes records.</summary>
    public bool IsOpen(RoutedBatch batch) => _partitions.TryGetValue(batch.Partition, out var queue) && ReferenceEquals(queue.Open, batch);

    /// <summary>No record waits in an open or closed batch, and none is in flight.</summary>
    public bool IsIdle => _partitions.Values.All(queue => queue.Open is null && queue.Closed.Count == 0 && queue.InFlight is null);

    private TimeSpan LingerLeft(RoutedBatch batch, long now) => TimeSpan.FromMilliseconds(options.LingerMs) - time.GetElapsedTime(batch.CreatedAt, now);

    private static RecordHeader[] Headers(RoutedRecord record)
    {
        if (record.Headers.Count == 0)
        {
            return [];
        }
        var headers = new RecordHeader[record.Headers.Count];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = new RecordHeader(record.Headers[i].Key, record.Headers[i].Value);
        }
        return headers;
    }

    private sealed class Partition
    {
        public RoutedBatch? Open { get; set; }

        public Queue<RoutedBatch> Closed { get; } = new();

        public RoutedBatch? InFlight { get; set; }

        public void Close()
        {
            if (Open is { } open)
            {
                Closed.Enqueue(open);
                Open = null;
            }
        }
    }
}
