using Orlog.Records;

namespace Orlog.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole raw batches starting with the one that holds <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/> but always at least one batch (even a larger one), and only batches that
    /// end below <paramref name="maxOffset"/> (the high watermark, for a consumer). Reads within one
    /// segment; the caller fetches again from the next offset. Empty at the log end.
    /// </summary>
    /// <exception cref="KafkaException">OFFSET_OUT_OF_RANGE when the offset is outside [log start, log end].</exception>
    public LogReadResult Read(long offset, int maxBytes, long maxOffset = long.MaxValue)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            var plan = PlanRead(offset, maxOffset);
            try
            {
                for (var i = plan.First; i < plan.Segments.Length && offset < plan.Limit && plan.Segments[i].BaseOffset < plan.Limit; i++)
                {
                    if (plan.Segments[i].ReadBatches(offset, maxBytes, plan.Limit) is { } records)
                    {
                        return new LogReadResult(records, plan.LogStart, plan.LogEnd);
                    }
                }
                return new LogReadResult([], plan.LogStart, plan.LogEnd);
            }
            catch (ObjectDisposedException) when (attempt == 0 && !_disposed)
            {
                // Retention deleted the segment under the read: plan again; below the new start it is out of range.
            }
        }
    }

    /// <summary>
    /// As <see cref="Read"/>, but says where the batches lie in their segment file instead of reading them, for
    /// a reader that sends them straight from the file.
    /// </summary>
    /// <exception cref="KafkaException">OFFSET_OUT_OF_RANGE when the offset is outside [log start, log end].</exception>
    public LogFileRange Locate(long offset, int maxBytes, long maxOffset = long.MaxValue)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 0; ; attempt++)
        {
            var plan = PlanRead(offset, maxOffset);
            try
            {
                for (var i = plan.First; i < plan.Segments.Length && offset < plan.Limit && plan.Segments[i].BaseOffset < plan.Limit; i++)
                {
                    var segment = plan.Segments[i];
                    if (segment.LocateBatches(offset, maxBytes, plan.Limit) is { } found)
                    {
                        return found.Length > 0
                            ? new LogFileRange(segment.LogPath, found.Position, found.Length, plan.LogStart, plan.LogEnd, segment.OffsetAt(found.Position + found.Length))
                            : new LogFileRange(null, 0, 0, plan.LogStart, plan.LogEnd, offset);
                    }
                }
                return new LogFileRange(null, 0, 0, plan.LogStart, plan.LogEnd, offset);
            }
            catch (ObjectDisposedException) when (attempt == 0 && !_disposed)
            {
                // As in Read.
            }
        }
    }

    /// <summary>
    /// As <see cref="Read"/>, into the caller's buffer (pooled, reused): no allocation. Returns the bytes
    /// written; 0 with <paramref name="required"/> set when the first batch is larger than the buffer;
    /// 0 at the end of the log (or of <paramref name="maxOffset"/>).
    /// </summary>
    /// <exception cref="KafkaException">OFFSET_OUT_OF_RANGE when the offset is outside [log start, log end].</exception>
    public int ReadInto(long offset, Span<byte> destination, out int required, long maxOffset = long.MaxValue)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        required = 0;
        for (var attempt = 0; ; attempt++)
        {
            var plan = PlanRead(offset, maxOffset);
            try
            {
                for (var i = plan.First; i < plan.Segments.Length && offset < plan.Limit && plan.Segments[i].BaseOffset < plan.Limit; i++)
                {
                    var written = plan.Segments[i].ReadBatchesInto(offset, destination, plan.Limit, out required);
                    if (written >= 0)
                    {
                        return written;
                    }
                }
                return 0;
            }
            catch (ObjectDisposedException) when (attempt == 0 && !_disposed)
            {
                // As in Read.
            }
        }
    }

    // Checks the offset against the log's bounds and picks the segment a read starts in. Readers take no
    // lock: the segment list is an immutable array swapped by the writer.
    private ReadPlan PlanRead(long offset, long maxOffset)
    {
        var end = LogEndOffset;
        var start = LogStartOffset;
        if (offset < start || offset > end)
        {
            throw OffsetOutOfRange(offset, start, end);
        }
        var segments = Volatile.Read(ref _segments);
        if (offset < segments[0].BaseOffset)
        {
            // Retention moved the log start between the bounds check and now.
            throw OffsetOutOfRange(offset, LogStartOffset, LogEndOffset);
        }
        return new ReadPlan(segments, FloorSegment(segments, offset), Math.Min(maxOffset, end), start, end);
    }

    private readonly record struct ReadPlan(LogSegment[] Segments, int First, long Limit, long LogStart, long LogEnd);

    /// <summary>
    /// Kafka's ListOffsets by timestamp: the first record whose timestamp is at or after
    /// <paramref name="timestamp"/>, as (offset, timestamp); null when every record is older.
    /// </summary>
    public (long Offset, long Timestamp)? OffsetForTimestamp(long timestamp)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return FindOffsetForTimestamp(timestamp);
        }
        catch (ObjectDisposedException) when (!_disposed)
        {
            // Retention or truncation removed a segment under the search: search the new list.
            return FindOffsetForTimestamp(timestamp);
        }
    }

    private (long Offset, long Timestamp)? FindOffsetForTimestamp(long timestamp)
    {
        var end = LogEndOffset;
        foreach (var segment in Volatile.Read(ref _segments))
        {
            if (segment.MaxTimestamp < timestamp)
            {
                continue;
            }
            var from = Math.Max(segment.TimeIndex.Lookup(timestamp), LogStartOffset);
            var position = segment.FindBatchPosition(from, segment.Size);
            while (position >= 0 && segment.TryReadHeader(position, out var header) && header.BaseOffset < end)
            {
                if (header.MaxTimestamp >= timestamp)
                {
                    return FirstRecordAtOrAfter(segment, position, header, timestamp);
                }
                position += header.TotalSize;
            }
        }
        return null;
    }

    /// <summary>
    /// Reads every batch of every segment and checks its length, magic, CRC and offsets, as recovery does:
    /// the log's own consistency check (and its full-scan benchmark). Returns the batches and bytes checked.
    /// </summary>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE naming the segment and position of the first bad batch.</exception>
    public (long Batches, long Bytes) Verify()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long batches = 0, bytes = 0;
        foreach (var segment in Volatile.Read(ref _segments))
        {
            var size = segment.Size;
            var valid = segment.Scan(size, (_, _) => batches++);
            if (valid != size)
            {
                throw new KafkaException(ErrorCode.CorruptMessage, $"Segment {segment.LogPath} holds a bad batch at position {valid} of {size}.");
            }
            bytes += size;
        }
        return (batches, bytes);
    }

    private static (long Offset, long Timestamp) FirstRecordAtOrAfter(LogSegment segment, long position, in RecordBatchHeader header, long timestamp)
    {
        if (header.TimestampType == TimestampType.LogAppendTime)
        {
            return (header.BaseOffset, header.MaxTimestamp);
        }
        var batch = new byte[header.TotalSize];
        segment.Read(position, batch);
        using var reader = new RecordBatchReader(batch);
        foreach (var record in reader)
        {
            if (record.Timestamp >= timestamp)
            {
                return (record.Offset, record.Timestamp);
            }
        }
        return (header.BaseOffset, header.MaxTimestamp);
    }

    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int low = 0, high = segments.Length - 1, found = 0;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (segments[middle].BaseOffset <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }

    private KafkaException OffsetOutOfRange(long offset, long start, long end) =>
        new(ErrorCode.OffsetOutOfRange, $"Offset {offset} is outside the log of '{Directory}': valid offsets are {start} to {end} (the log end). Seek to an offset in that range, or reset to earliest or latest.");
}
