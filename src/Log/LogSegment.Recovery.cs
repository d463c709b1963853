using System.Buffers;
using Orlog.Records;

namespace Orlog.Log;

internal sealed partial class LogSegment
{
    private const int ScanChunkBytes = 1024 * 1024;

    /// <summary>
    /// Opens a segment that was closed cleanly: loads its indexes and walks the batch headers after the
    /// last index entry. Returns false when anything disagrees (a short or inconsistent index, a tail that
    /// is not whole batches), in which case the caller runs <see cref="Recover"/>.
    /// </summary>
    public bool TryLoadClean()
    {
        var fileLength = _log.Length;
        if (!Index.TryLoad(fileLength))
        {
            return false;
        }
        var (_, indexedPosition) = Index.Lookup(long.MaxValue);
        long position = indexedPosition;
        var next = BaseOffset;
        var maxTimestamp = long.MinValue;
        var sinceIndexEntry = 0L;
        Span<byte> bytes = stackalloc byte[RecordBatchHeader.Size];
        while (position < fileLength)
        {
            // Appends add an entry whenever more than index.interval.bytes passed since the last one: an index
            // that lacks one here is short (cut, or lost) and is rebuilt.
            if (position > indexedPosition && sinceIndexEntry > _indexIntervalBytes)
            {
                return false;
            }
            if (fileLength - position < RecordBatchHeader.Size || _log.Read(position, bytes) < RecordBatchHeader.Size)
            {
                return false;
            }
            var header = RecordBatchHeader.Read(bytes);
            if (!LooksWhole(header, fileLength - position, next))
            {
                return false;
            }
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            next = header.NextOffset;
            sinceIndexEntry += header.TotalSize;
            position += header.TotalSize;
        }
        if (!TimeIndex.TryLoad(next) || (Index.Count > 0 && TimeIndex.Count == 0))
        {
            return false;
        }
        MaxTimestamp = Math.Max(maxTimestamp, TimeIndex.LastTimestamp);
        _bytesSinceLastIndexEntry = (int)(fileLength - indexedPosition);
        _size = fileLength;
        _nextOffset = fileLength == 0 ? BaseOffset : next;
        RollingTimestamp = fileLength > 0 && TryReadHeader(0, out var first) ? first.MaxTimestamp : long.MinValue;
        return true;
    }

    /// <summary>
    /// Checks every batch (length, magic, CRC, offsets increasing), rebuilds both indexes, and cuts the
    /// file at the first batch that fails. Returns the number of bytes cut off.
    /// </summary>
    public long Recover()
    {
        Index.Clear();
        TimeIndex.Clear();
        MaxTimestamp = long.MinValue;
        RollingTimestamp = long.MinValue;
        _bytesSinceLastIndexEntry = 0;
        _size = 0;
        _nextOffset = BaseOffset;

        var fileLength = _log.Length;
        var validEnd = Scan(fileLength, (header, position) =>
        {
            if (RollingTimestamp == long.MinValue)
            {
                RollingTimestamp = header.MaxTimestamp;
            }
            Track(position, header.TotalSize, header.LastOffset, header.MaxTimestamp);
            _nextOffset = header.NextOffset;
        });
        _size = validEnd;
        if (validEnd < fileLength)
        {
            _log.SetLength(validEnd);
        }
        return fileLength - validEnd;
    }

    /// <summary>
    /// Reads the segment from the start, checking each batch's length, magic, CRC and offsets, and calls
    /// <paramref name="onBatch"/> for each good one. Returns the position after the last good batch.
    /// </summary>
    public long Scan(long length, Action<RecordBatchHeader, long>? onBatch)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunkBytes);
        try
        {
            long bufferStart = 0;
            var bufferLength = 0;
            long position = 0;
            var next = BaseOffset;
            while (position < length)
            {
                if (bufferStart + bufferLength - position < RecordBatchHeader.Size)
                {
                    bufferLength = Refill(ref buffer, position, RecordBatchHeader.Size, length);
                    bufferStart = position;
                    if (bufferLength < RecordBatchHeader.Size)
                    {
                        return position;
                    }
                }
                var header = RecordBatchHeader.Read(buffer.AsSpan((int)(position - bufferStart)));
                if (!LooksWhole(header, length - position, next))
                {
                    return position;
                }
                if (bufferStart + bufferLength - position < header.TotalSize)
                {
                    bufferLength = Refill(ref buffer, position, header.TotalSize, length);
                    bufferStart = position;
                    if (bufferLength < header.TotalSize)
                    {
                        return position;
                    }
                }
                var batch = buffer.AsSpan((int)(position - bufferStart), header.TotalSize);
                if (RecordBatchHeader.ComputeCrc(batch) != header.Crc)
                {
                    return position;
                }
                onBatch?.Invoke(header, position);
                next = header.NextOffset;
                position += header.TotalSize;
            }
            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Reads from position on, at least `needed` bytes when the file has them; grows the buffer for a large batch.
    private int Refill(ref byte[] buffer, long position, int needed, long length)
    {
        if (needed > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        return _log.Read(position, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - position)));
    }

    // The cheap checks that tell a batch from zeros, garbage or a torn tail (the CRC is checked apart).
    private static bool LooksWhole(in RecordBatchHeader header, long remaining, long expectedMinimumOffset) =>
        header.BatchLength >= RecordBatchHeader.Size - RecordBatchHeader.LogOverhead
        && (long)header.BatchLength + RecordBatchHeader.LogOverhead <= remaining
        && header.Magic == RecordBatchHeader.CurrentMagic
        && header.LastOffsetDelta >= 0
        && header.BaseOffset >= expectedMinimumOffset;
}
