using System.Buffers.Binary;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// A segment's sparse time index (<c>.timeindex</c>), in Kafka's layout: 12-byte entries of a timestamp
/// (big-endian int64) and the relative offset (int32) of the batch that first reached it. Timestamps
/// strictly increase: an entry is added only when the segment's largest timestamp grew.
/// </summary>
internal sealed class TimeIndex : IDisposable
{
    public const int EntrySize = 12;

    private readonly IndexFile<Entry> _entries;

    public TimeIndex(ILogFile file, long baseOffset, int maxIndexBytes)
    {
        BaseOffset = baseOffset;
        _entries = new IndexFile<Entry>(file, EntrySize, maxIndexBytes / EntrySize, static (entry, span) =>
        {
            BinaryPrimitives.WriteInt64BigEndian(span, entry.Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(span[8..], entry.RelativeOffset);
        });
    }

    public long BaseOffset { get; }

    public bool IsFull => _entries.IsFull;

    public int Count => _entries.Count;

    public long LastTimestamp => _entries.Count == 0 ? long.MinValue : _entries.Last.Timestamp;

    /// <summary>Adds an entry if <paramref name="timestamp"/> is newer than the last one.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (timestamp > LastTimestamp)
        {
            _entries.Append(new Entry(timestamp, (int)(offset - BaseOffset)));
        }
    }

    /// <summary>The offset from which to scan for the first record at or after <paramref name="timestamp"/>.</summary>
    public long Lookup(long timestamp)
    {
        var entries = _entries.Entries;
        int low = 0, high = entries.Length - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (entries[middle].Timestamp < timestamp)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found < 0 ? BaseOffset : BaseOffset + entries[found].RelativeOffset;
    }

    /// <summary>Drops entries for offsets at or after <paramref name="offset"/>.</summary>
    public void TruncateTo(long offset) => _entries.TruncateFromEnd(entry => BaseOffset + entry.RelativeOffset >= offset);

    public void Clear() => _entries.Clear();

    /// <summary>Loads and checks the file: whole entries, timestamps and offsets increasing, offsets inside the segment.</summary>
    public bool TryLoad(long nextOffset)
    {
        if (!_entries.HasWholeEntries)
        {
            return false;
        }
        _entries.Load(static span => new Entry(BinaryPrimitives.ReadInt64BigEndian(span), BinaryPrimitives.ReadInt32BigEndian(span[8..])));
        var entries = _entries.Entries;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var increasing = i == 0 ? entry.RelativeOffset >= 0
                : entry.Timestamp > entries[i - 1].Timestamp && entry.RelativeOffset >= entries[i - 1].RelativeOffset;
            if (!increasing || BaseOffset + entry.RelativeOffset >= nextOffset)
            {
                _entries.TruncateToCount(0);
                return false;
            }
        }
        return true;
    }

    public void Flush(bool sync) => _entries.Flush(sync);

    public void Dispose() => _entries.Dispose();

    private readonly record struct Entry(long Timestamp, int RelativeOffset);
}
