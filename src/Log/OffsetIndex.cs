using System.Buffers.Binary;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// A segment's sparse offset index (<c>.index</c>), in Kafka's layout: 8-byte entries of the offset
/// relative to the segment's base offset and the batch's byte position in the <c>.log</c> file, both
/// big-endian int32, both strictly increasing. An entry points at the start of a batch.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly IndexFile<Entry> _entries;

    public OffsetIndex(ILogFile file, long baseOffset, int maxIndexBytes)
    {
        BaseOffset = baseOffset;
        _entries = new IndexFile<Entry>(file, EntrySize, maxIndexBytes / EntrySize, static (entry, span) =>
        {
            BinaryPrimitives.WriteInt32BigEndian(span, entry.RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(span[4..], entry.Position);
        });
    }

    public long BaseOffset { get; }

    public int Count => _entries.Count;

    public bool IsFull => _entries.IsFull;

    public void Append(long offset, int position) => _entries.Append(new Entry((int)(offset - BaseOffset), position));

    /// <summary>The last indexed batch at or before <paramref name="offset"/>: (its offset, its position); (base, 0) if none.</summary>
    public (long Offset, int Position) Lookup(long offset)
    {
        var entries = _entries.Entries;
        var target = offset - BaseOffset;
        int low = 0, high = entries.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (entries[middle].RelativeOffset <= target)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found < 0 ? (BaseOffset, 0) : (BaseOffset + entries[found].RelativeOffset, entries[found].Position);
    }

    /// <summary>The largest indexed batch position at or below <paramref name="position"/>, or 0.</summary>
    public int FloorPosition(long position)
    {
        var entries = _entries.Entries;
        int low = 0, high = entries.Length - 1, found = 0;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (entries[middle].Position <= position)
            {
                found = entries[middle].Position;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }

    /// <summary>Drops entries for offsets at or after <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset) => _entries.TruncateFromEnd(entry => BaseOffset + entry.RelativeOffset >= offset);

    public void Clear() => _entries.Clear();

    /// <summary>
    /// Loads the file and checks it against the segment: whole entries, offsets and positions strictly
    /// increasing, every position inside the log. Returns false (and leaves the index empty) when it fails.
    /// </summary>
    public bool TryLoad(long segmentSize)
    {
        if (!_entries.HasWholeEntries)
        {
            return false;
        }
        _entries.Load(static span => new Entry(BinaryPrimitives.ReadInt32BigEndian(span), BinaryPrimitives.ReadInt32BigEndian(span[4..])));
        var entries = _entries.Entries;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var increasing = i == 0 ? entry.RelativeOffset >= 0 && entry.Position >= 0
                : entry.RelativeOffset > entries[i - 1].RelativeOffset && entry.Position > entries[i - 1].Position;
            if (!increasing || entry.Position >= segmentSize)
            {
                _entries.TruncateToCount(0);
                return false;
            }
        }
        return true;
    }

    public void Flush(bool sync) => _entries.Flush(sync);

    public void Dispose() => _entries.Dispose();

    private readonly record struct Entry(int RelativeOffset, int Position);
}
