using System.Buffers;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// The entries of a sparse index, kept in memory for lookups and written to the index file at flush
/// (an index is only trusted after a clean close or up to the recovery point; anything newer is rebuilt
/// from the log). One writer; readers may look up concurrently: an entry is stored before the count
/// that makes it visible is published.
/// </summary>
internal sealed class IndexFile<TEntry> : IDisposable
    where TEntry : struct
{
    private readonly ILogFile _file;
    private readonly int _entrySize;
    private readonly Action<TEntry, Span<byte>> _write;
    private TEntry[] _entries = new TEntry[16];
    private int _count;
    private int _persisted;

    public IndexFile(ILogFile file, int entrySize, int maxEntries, Action<TEntry, Span<byte>> write)
    {
        _file = file;
        _entrySize = entrySize;
        _write = write;
        MaxEntries = maxEntries;
    }

    public int MaxEntries { get; }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => _count >= MaxEntries;

    public string Path => _file.Path;

    /// <summary>The entries visible to a reader: a snapshot that later appends do not disturb.</summary>
    public ReadOnlySpan<TEntry> Entries
    {
        get
        {
            var count = Volatile.Read(ref _count);
            return new ReadOnlySpan<TEntry>(Volatile.Read(ref _entries), 0, count);
        }
    }

    public TEntry Last => _entries[_count - 1];

    public void Append(TEntry entry)
    {
        if (_count >= MaxEntries)
        {
            return;
        }
        if (_count == _entries.Length)
        {
            var grown = new TEntry[Math.Min(Math.Max(16, _entries.Length * 2), Math.Max(MaxEntries, 16))];
            Array.Copy(_entries, grown, _count);
            Volatile.Write(ref _entries, grown);
        }
        _entries[_count] = entry;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Drops entries from the end while <paramref name="remove"/> holds for the last one.</summary>
    public void TruncateFromEnd(Func<TEntry, bool> remove)
    {
        var entries = Entries;
        var keep = entries.Length;
        while (keep > 0 && remove(entries[keep - 1]))
        {
            keep--;
        }
        TruncateToCount(keep);
    }

    /// <summary>Keeps the first <paramref name="count"/> entries.</summary>
    public void TruncateToCount(int count)
    {
        if (count >= _count)
        {
            return;
        }
        Volatile.Write(ref _count, count);
        if (_persisted > count)
        {
            _persisted = count;
            _file.SetLength((long)count * _entrySize);
        }
    }

    /// <summary>Drops every entry, in memory and on disk (before a rebuild).</summary>
    public void Clear()
    {
        Volatile.Write(ref _count, 0);
        _persisted = 0;
        _file.SetLength(0);
    }

    /// <summary>Loads the entries the file holds (after a clean close). The caller checks them.</summary>
    public void Load(Func<ReadOnlySpan<byte>, TEntry> read)
    {
        var length = _file.Length;
        var count = (int)Math.Min(length / _entrySize, MaxEntries);
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * _entrySize));
        try
        {
            var read1 = _file.Read(0, bytes.AsSpan(0, count * _entrySize));
            count = read1 / _entrySize;
            _entries = new TEntry[Math.Max(16, count)];
            for (var i = 0; i < count; i++)
            {
                _entries[i] = read(bytes.AsSpan(i * _entrySize, _entrySize));
            }
            _count = count;
            _persisted = count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>True when the file length is a whole number of entries.</summary>
    public bool HasWholeEntries => _file.Length % _entrySize == 0;

    /// <summary>Writes the entries not yet on disk and, when asked, fsyncs the file.</summary>
    public void Flush(bool sync)
    {
        var count = _count;
        if (count > _persisted)
        {
            var pending = count - _persisted;
            var bytes = ArrayPool<byte>.Shared.Rent(pending * _entrySize);
            try
            {
                for (var i = 0; i < pending; i++)
                {
                    _write(_entries[_persisted + i], bytes.AsSpan(i * _entrySize, _entrySize));
                }
                _file.Write((long)_persisted * _entrySize, bytes.AsSpan(0, pending * _entrySize));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
            _persisted = count;
        }
        if (sync)
        {
            _file.Flush();
        }
    }

    public void Dispose() => _file.Dispose();
}
