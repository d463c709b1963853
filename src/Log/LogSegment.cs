using Orlog.Log.Storage;
using Orlog.Records;

namespace Orlog.Log;

/// <summary>
/// One segment of a partition's log: a <c>.log</c> file of record batches back to back, exactly as
/// Kafka writes them, starting at <see cref="BaseOffset"/>, with its offset and time indexes.
/// One writer appends; readers see bytes only below the published <see cref="Size"/>, which moves after
/// each batch is written, so they never see a partly written batch.
/// </summary>
internal sealed partial class LogSegment : IDisposable
{
    private readonly ILogFile _log;
    private readonly int _indexIntervalBytes;
    private long _size;
    private long _nextOffset;
    private int _bytesSinceLastIndexEntry;

    private LogSegment(ILogFile log, OffsetIndex index, TimeIndex timeIndex, long baseOffset, int indexIntervalBytes)
    {
        _log = log;
        Index = index;
        TimeIndex = timeIndex;
        BaseOffset = baseOffset;
        _indexIntervalBytes = indexIntervalBytes;
        _nextOffset = baseOffset;
    }

    public long BaseOffset { get; }

    /// <summary>Bytes of whole batches in the segment, published after each write.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>The offset after the segment's last batch (its base offset when empty).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    public bool IsEmpty => Size == 0;

    /// <summary>The largest record timestamp in the segment; long.MinValue when empty.</summary>
    public long MaxTimestamp { get; private set; } = long.MinValue;

    /// <summary>When the segment's first batch was written (append time, or its timestamp after a reopen): segment.ms counts from here.</summary>
    public long RollingTimestamp { get; private set; } = long.MinValue;

    internal OffsetIndex Index { get; }

    internal TimeIndex TimeIndex { get; }

    public string LogPath => _log.Path;

    public static LogSegment Open(IFileSystem fileSystem, string directory, long baseOffset, LogConfig config)
    {
        var log = fileSystem.Open(LogFileNames.SegmentFile(directory, baseOffset), create: true);
        var index = new OffsetIndex(fileSystem.Open(LogFileNames.IndexFile(directory, baseOffset), create: true), baseOffset, config.SegmentIndexBytes);
        var timeIndex = new TimeIndex(fileSystem.Open(LogFileNames.TimeIndexFile(directory, baseOffset), create: true), baseOffset, config.SegmentIndexBytes);
        return new LogSegment(log, index, timeIndex, baseOffset, config.IndexIntervalBytes);
    }

    /// <summary>Creates a new, empty segment, clearing any stale files of the same base offset.</summary>
    public static LogSegment CreateEmpty(IFileSystem fileSystem, string directory, long baseOffset, LogConfig config)
    {
        var segment = Open(fileSystem, directory, baseOffset, config);
        segment._log.SetLength(0);
        segment.Index.Clear();
        segment.TimeIndex.Clear();
        return segment;
    }

    /// <summary>True when a batch of <paramref name="batchSize"/> bytes ending at <paramref name="lastOffset"/> does not fit.</summary>
    public bool IsFullFor(int batchSize, long lastOffset, int segmentBytes) =>
        !IsEmpty && (Size + batchSize > segmentBytes || Index.IsFull || TimeIndex.IsFull || lastOffset - BaseOffset > int.MaxValue);

    /// <summary>Writes one batch whose offsets are already set, then publishes it.</summary>
    public void Append(ReadOnlySpan<byte> batch, long lastOffset, long maxTimestamp, long appendTime)
    {
        var position = _size;
        _log.Write(position, batch);
        Track(position, batch.Length, lastOffset, maxTimestamp);
        if (RollingTimestamp == long.MinValue)
        {
            RollingTimestamp = appendTime;
        }
        Volatile.Write(ref _size, position + batch.Length);
        Volatile.Write(ref _nextOffset, lastOffset + 1);
    }

    // Index entries map a batch's last offset to the batch's position, one per index.interval.bytes.
    private void Track(long position, int batchSize, long lastOffset, long maxTimestamp)
    {
        if (maxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = maxTimestamp;
        }
        // A full index (segment.index.bytes lowered since the segment was written) just stays sparser.
        if (_bytesSinceLastIndexEntry > _indexIntervalBytes && !Index.IsFull && !TimeIndex.IsFull)
        {
            Index.Append(lastOffset, (int)position);
            TimeIndex.MaybeAppend(MaxTimestamp, lastOffset);
            _bytesSinceLastIndexEntry = 0;
        }
        _bytesSinceLastIndexEntry += batchSize;
    }

    /// <summary>
    /// The position of the first batch whose last offset is at or after <paramref name="offset"/>, or -1
    /// when every batch in the segment ends before it.
    /// </summary>
    public long FindBatchPosition(long offset, long limit)
    {
        var (_, start) = Index.Lookup(offset);
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        long position = start;
        while (position + RecordBatchHeader.Size <= limit)
        {
            if (_log.Read(position, header) < RecordBatchHeader.Size)
            {
                return -1;
            }
            var batch = RecordBatchHeader.Read(header);
            if (batch.LastOffset >= offset)
            {
                return position;
            }
            position += batch.TotalSize;
        }
        return -1;
    }

    /// <summary>Reads the header of the batch at <paramref name="position"/>, if a whole header is published there.</summary>
    public bool TryReadHeader(long position, out RecordBatchHeader header)
    {
        Span<byte> bytes = stackalloc byte[RecordBatchHeader.Size];
        if (position + RecordBatchHeader.Size > Size || _log.Read(position, bytes) < RecordBatchHeader.Size)
        {
            header = default;
            return false;
        }
        header = RecordBatchHeader.Read(bytes);
        return true;
    }

    /// <summary>The base offset of the batch at <paramref name="position"/>, or the segment's next offset when none is published there (its end).</summary>
    public long OffsetAt(long position) => TryReadHeader(position, out var header) ? header.BaseOffset : NextOffset;

    /// <summary>Reads raw bytes at a position; never past the published size.</summary>
    public int Read(long position, Span<byte> destination)
    {
        var available = Size - position;
        if (available <= 0)
        {
            return 0;
        }
        if (destination.Length > available)
        {
            destination = destination[..(int)available];
        }
        return _log.Read(position, destination);
    }

    /// <summary>
    /// Whole batches from the first one holding <paramref name="offset"/>, up to <paramref name="maxBytes"/>
    /// (at least one batch, whatever its size), none reaching <paramref name="maxOffset"/>. Null when the
    /// segment holds nothing at or after the offset.
    /// </summary>
    public byte[]? ReadBatches(long offset, int maxBytes, long maxOffset)
    {
        if (!TryLocate(offset, maxBytes, maxOffset, out var start, out var stop))
        {
            return null;
        }
        var records = GC.AllocateUninitializedArray<byte>((int)(stop - start));
        var read = _log.Read(start, records);
        return read == records.Length ? records : records[..WholeBatchesLength(records.AsSpan(0, read))];
    }

    /// <summary>
    /// Where <see cref="ReadBatches"/> would read: the byte position and length of the whole batches, or null when
    /// the segment holds nothing at or after the offset.
    /// </summary>
    public (long Position, int Length)? LocateBatches(long offset, int maxBytes, long maxOffset) =>
        TryLocate(offset, maxBytes, maxOffset, out var start, out var stop) ? (start, (int)(stop - start)) : null;

    /// <summary>
    /// As <see cref="ReadBatches"/>, into the caller's buffer. Returns the bytes written, 0 with
    /// <paramref name="required"/> set when even the first batch does not fit, or -1 when the segment holds
    /// nothing at or after the offset.
    /// </summary>
    public int ReadBatchesInto(long offset, Span<byte> destination, long maxOffset, out int required)
    {
        required = 0;
        if (!TryLocate(offset, destination.Length, maxOffset, out var start, out var stop))
        {
            return -1;
        }
        if (stop - start > destination.Length)
        {
            required = (int)(stop - start);
            return 0;
        }
        var read = _log.Read(start, destination[..(int)(stop - start)]);
        return read == stop - start ? read : WholeBatchesLength(destination[..read]);
    }

    // The byte range [start, stop) of whole batches to return. The index gives a batch start near where
    // maxBytes ends; a few header reads find the last batch that fits.
    private bool TryLocate(long offset, int maxBytes, long maxOffset, out long start, out long stop)
    {
        var limit = Size;
        stop = start = FindBatchPosition(offset, limit);
        if (start < 0)
        {
            return false;
        }
        var end = limit;
        if (maxOffset < NextOffset)
        {
            var beyond = FindBatchPosition(maxOffset, limit);
            end = beyond < 0 ? limit : beyond;
        }
        if (end <= start)
        {
            return true;
        }
        if (!TryReadHeader(start, out var first))
        {
            return false;
        }
        var cap = Math.Min(end, start + Math.Max(maxBytes, first.TotalSize));
        stop = Math.Max(start, Index.FloorPosition(cap));
        if (stop < start + first.TotalSize)
        {
            stop = start;
        }
        while (stop < cap && TryReadHeader(stop, out var next) && stop + next.TotalSize <= cap)
        {
            stop += next.TotalSize;
        }
        return true;
    }

    private static int WholeBatchesLength(ReadOnlySpan<byte> bytes)
    {
        var length = 0;
        while (bytes.Length - length >= RecordBatchHeader.LogOverhead)
        {
            var size = (long)RecordBatchHeader.ReadBatchLength(bytes[length..]) + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > bytes.Length - length)
            {
                break;
            }
            length += (int)size;
        }
        return length;
    }

    /// <summary>Calls <paramref name="visit"/> with the header of every batch from <paramref name="fromOffset"/> on.</summary>
    public void ForEachBatch(long fromOffset, Action<RecordBatchHeader> visit)
    {
        var limit = Size;
        var position = FindBatchPosition(fromOffset, limit);
        if (position < 0)
        {
            return;
        }
        while (TryReadHeader(position, out var header) && position + header.TotalSize <= limit)
        {
            visit(header);
            position += header.TotalSize;
        }
    }

    /// <summary>
    /// Removes every batch whose last offset is at or after <paramref name="offset"/>; returns the bytes
    /// removed. A batch that holds <paramref name="offset"/> goes whole.
    /// </summary>
    public long TruncateTo(long offset)
    {
        var size = Size;
        var position = FindBatchPosition(offset, size);
        if (position < 0)
        {
            return 0;
        }
        Volatile.Write(ref _size, position);
        _log.SetLength(position);
        Index.TruncateTo(offset);
        TimeIndex.TruncateTo(offset);
        RecomputeAfterTruncate();
        return size - position;
    }

    // Truncation is rare (a follower cutting a divergent suffix): walk the headers left to learn the
    // segment's next offset and timestamps again.
    private void RecomputeAfterTruncate()
    {
        MaxTimestamp = long.MinValue;
        RollingTimestamp = long.MinValue;
        var next = BaseOffset;
        long position = 0;
        var limit = Size;
        while (position < limit && TryReadHeader(position, out var header))
        {
            if (RollingTimestamp == long.MinValue)
            {
                RollingTimestamp = header.MaxTimestamp;
            }
            MaxTimestamp = Math.Max(MaxTimestamp, header.MaxTimestamp);
            next = header.NextOffset;
            position += header.TotalSize;
        }
        var (_, indexedPosition) = Index.Lookup(long.MaxValue);
        _bytesSinceLastIndexEntry = (int)(limit - indexedPosition);
        Volatile.Write(ref _nextOffset, next);
    }

    /// <summary>Writes pending index entries and fsyncs the segment's files.</summary>
    public void Flush()
    {
        _log.Flush();
        Index.Flush(sync: true);
        TimeIndex.Flush(sync: true);
    }

    /// <summary>fsyncs the log file only: the indexes are rebuilt by recovery for anything not closed cleanly.</summary>
    public void FlushLog() => _log.Flush();

    public void Dispose()
    {
        _log.Dispose();
        Index.Dispose();
        TimeIndex.Dispose();
    }

    /// <summary>Closes and removes the segment's files.</summary>
    public void Delete(IFileSystem fileSystem, string directory)
    {
        Dispose();
        fileSystem.Delete(LogFileNames.SegmentFile(directory, BaseOffset));
        fileSystem.Delete(LogFileNames.IndexFile(directory, BaseOffset));
        fileSystem.Delete(LogFileNames.TimeIndexFile(directory, BaseOffset));
    }
}
