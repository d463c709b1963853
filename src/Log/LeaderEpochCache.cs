using System.Globalization;
using System.Text;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// Which leader epoch wrote which offsets: a list of (epoch, start offset), both increasing, persisted as
/// Kafka's <c>leader-epoch-checkpoint</c> text file (a version line "0", a count line, then one
/// "epoch startOffset" line each). Replication asks it where an epoch ended to find a divergent suffix.
/// </summary>
internal sealed class LeaderEpochCache
{
    private const int Version = 0;
    private readonly IFileSystem _fileSystem;
    private readonly string _path;
    private readonly List<EpochEntry> _entries = [];

    public LeaderEpochCache(IFileSystem fileSystem, string directory)
    {
        _fileSystem = fileSystem;
        _path = Path.Combine(directory, LogFileNames.LeaderEpochCheckpoint);
    }

    public IReadOnlyList<EpochEntry> Entries => _entries;

    /// <summary>The newest epoch, or -1 when no epoch wrote to the log.</summary>
    public int LatestEpoch => _entries.Count == 0 ? -1 : _entries[^1].Epoch;

    /// <summary>Loads the checkpoint; an unreadable file is treated as empty (it is rebuilt from batches on append).</summary>
    public void Load()
    {
        _entries.Clear();
        var content = _fileSystem.ReadAllBytesOrNull(_path);
        if (content is null)
        {
            return;
        }
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], CultureInfo.InvariantCulture, out var count) || lines.Length - 2 < count)
        {
            return;
        }
        for (var i = 0; i < count; i++)
        {
            var parts = lines[2 + i].Split(' ');
            if (parts.Length != 2
                || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
                || (_entries.Count > 0 && (epoch <= _entries[^1].Epoch || start < _entries[^1].StartOffset)))
            {
                _entries.Clear();
                return;
            }
            _entries.Add(new EpochEntry(epoch, start));
        }
    }

    /// <summary>Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/>, if it is newer than the latest.</summary>
    public bool Assign(int epoch, long startOffset)
    {
        if (epoch < 0 || epoch <= LatestEpoch)
        {
            return false;
        }
        // A newer epoch starting below an older entry's start means that suffix was truncated away.
        _entries.RemoveAll(e => e.StartOffset >= startOffset);
        _entries.Add(new EpochEntry(epoch, startOffset));
        Persist();
        return true;
    }

    /// <summary>
    /// Kafka's OffsetsForLeaderEpoch answer: the largest epoch at or below <paramref name="epoch"/> and the
    /// offset where it ended (the next epoch's start, or the log end offset for the latest); (-1, -1) if none.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int epoch, long logEndOffset)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Epoch <= epoch)
            {
                var end = i == _entries.Count - 1 ? logEndOffset : _entries[i + 1].StartOffset;
                return (_entries[i].Epoch, end);
            }
        }
        return (-1, -1);
    }

    /// <summary>Forgets epochs that start at or after <paramref name="endOffset"/> (after a truncation).</summary>
    public void TruncateFromEnd(long endOffset)
    {
        if (_entries.RemoveAll(e => e.StartOffset >= endOffset) > 0)
        {
            Persist();
        }
    }

    /// <summary>Moves the first kept epoch's start up to <paramref name="startOffset"/> (after retention).</summary>
    public void TruncateFromStart(long startOffset)
    {
        var changed = false;
        while (_entries.Count > 1 && _entries[1].StartOffset <= startOffset)
        {
            _entries.RemoveAt(0);
            changed = true;
        }
        if (_entries.Count > 0 && _entries[0].StartOffset < startOffset)
        {
            _entries[0] = _entries[0] with { StartOffset = startOffset };
            changed = true;
        }
        if (changed)
        {
            Persist();
        }
    }

    private void Persist()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Version}\n{_entries.Count}\n");
        foreach (var entry in _entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Epoch} {entry.StartOffset}\n");
        }
        _fileSystem.WriteAtomically(_path, Encoding.UTF8.GetBytes(text.ToString()));
    }
}

/// <summary>A leader epoch and the first offset it wrote.</summary>
public readonly record struct EpochEntry(int Epoch, long StartOffset);
