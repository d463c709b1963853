using Microsoft.Extensions.Logging;
using Orlog.Log.Producers;
using Orlog.Log.Storage;

namespace Orlog.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Applies retention.ms and retention.bytes: deletes whole segments from the oldest (never the active
    /// one) whose newest record is older than retention.ms, or while the log without them would still be
    /// at least retention.bytes; the log start offset moves to the first kept segment. Also forgets
    /// producers idle past producer.id.expiration.ms. Returns the number of segments deleted.
    /// </summary>
    public int EnforceRetention()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                var now = NowMs;
                _producers.RemoveExpired(now, Config.ProducerIdExpirationMs);
                var segments = Volatile.Read(ref _segments);
                var size = Size;
                var delete = 0;
                while (delete < segments.Length - 1)
                {
                    var segment = segments[delete];
                    var expired = Config.RetentionMs >= 0 && segment.MaxTimestamp != long.MinValue && now - segment.MaxTimestamp > Config.RetentionMs;
                    var oversized = Config.RetentionBytes >= 0 && size - segment.Size >= Config.RetentionBytes;
                    if (!expired && !oversized)
                    {
                        break;
                    }
                    size -= segment.Size;
                    delete++;
                }
                if (delete == 0)
                {
                    return 0;
                }
                var newStart = segments[delete].BaseOffset;
                Volatile.Write(ref _segments, segments[delete..]);
                Volatile.Write(ref _logStartOffset, newStart);
                // Pending rolls stay: their segment flush finds the segment gone, but their producer
                // snapshot is still written, and it is the only record of producers in the deleted segments.
                for (var i = 0; i < delete; i++)
                {
                    segments[i].Delete(_fileSystem, Directory);
                }
                _epochs.TruncateFromStart(newStart);
                DeleteSnapshotsBelow(newStart);
                LogRetention(_logger, Directory, delete, newStart);
                return delete;
            }
        }
    }

    /// <summary>
    /// Removes every batch at or after <paramref name="offset"/> (a batch holding it goes whole), as a
    /// follower does to drop a divergent suffix before it follows a new leader. The leader-epoch checkpoint
    /// and the producer state follow. Returns the new log end offset.
    /// </summary>
    public long TruncateTo(long offset)
    {
        ThrowIfUnwritable();
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                if (offset >= _logEndOffset)
                {
                    return _logEndOffset;
                }
                try
                {
                    var segments = Volatile.Read(ref _segments);
                    var keep = segments.Length;
                    while (keep > 1 && segments[keep - 1].BaseOffset >= offset)
                    {
                        keep--;
                    }
                    if (offset < _logStartOffset)
                    {
                        return TruncateFullyAndStartAtLocked(offset);
                    }
                    Volatile.Write(ref _segments, segments[..keep]);
                    for (var i = keep; i < segments.Length; i++)
                    {
                        segments[i].Delete(_fileSystem, Directory);
                    }
                    var active = segments[keep - 1];
                    active.TruncateTo(offset);
                    active.FlushLog();
                    _fileSystem.SyncDirectory(Directory);
                    var end = active.NextOffset;
                    FailWaitersAbove(end);
                    Volatile.Write(ref _logEndOffset, end);
                    if (_logStartOffset > end)
                    {
                        LowerLogStartCheckpoint(end);
                        Volatile.Write(ref _logStartOffset, end);
                    }
                    if (_flushedOffset > end)
                    {
                        Volatile.Write(ref _flushedOffset, end);
                    }
                    _pendingRolls.RemoveAll(roll => roll.NextBaseOffset > end);
                    if (_recoveryPoint > end)
                    {
                        // The recovery point may only move down by rewriting it.
                        _recoveryPoint = -1;
                        WriteRecoveryPoint(Math.Min(end, active.BaseOffset));
                    }
                    _epochs.TruncateFromEnd(end);
                    foreach (var snapshot in ProducerSnapshot.List(_fileSystem, Directory))
                    {
                        if (snapshot > end)
                        {
                            _fileSystem.Delete(LogFileNames.SnapshotFile(Directory, snapshot));
                        }
                    }
                    LoadProducerState();
                    return end;
                }
                catch (Exception error) when (IsStorageError(error))
                {
                    throw Fail(error, "Truncation");
                }
            }
        }
    }

    /// <summary>
    /// Kafka's truncateFullyAndStartAt: a follower far behind a leader whose log starts later drops everything
    /// and restarts its log, empty, at the leader's log start.
    /// </summary>
    public long TruncateFullyAndStartAt(long offset)
    {
        ThrowIfUnwritable();
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                try
                {
                    return TruncateFullyAndStartAtLocked(offset);
                }
                catch (Exception error) when (IsStorageError(error))
                {
                    throw Fail(error, "Truncation");
                }
            }
        }
    }

    private long TruncateFullyAndStartAtLocked(long offset)
    {
        var segments = Volatile.Read(ref _segments);
        var fresh = LogSegment.CreateEmpty(_fileSystem, Directory, offset, Config);
        Volatile.Write(ref _segments, [fresh]);
        foreach (var segment in segments)
        {
            if (segment.BaseOffset != offset)
            {
                segment.Delete(_fileSystem, Directory);
            }
            else
            {
                segment.Dispose();
            }
        }
        _fileSystem.SyncDirectory(Directory);
        LowerLogStartCheckpoint(offset);
        Volatile.Write(ref _logEndOffset, offset);
        Volatile.Write(ref _logStartOffset, offset);
        Volatile.Write(ref _flushedOffset, offset);
        FailWaitersAbove(offset);
        _pendingRolls.Clear();
        _recoveryPoint = -1;
        WriteRecoveryPoint(offset);
        _epochs.TruncateFromEnd(offset);
        _epochs.TruncateFromStart(offset);
        foreach (var snapshot in ProducerSnapshot.List(_fileSystem, Directory))
        {
            _fileSystem.Delete(LogFileNames.SnapshotFile(Directory, snapshot));
        }
        _producers.Clear();
        return offset;
    }

    // Only the newest snapshot at or below the log end is loaded; a few older ones serve a truncation below
    // it. Older snapshots go, so restarts and rolls do not pile them up.
    private const int SnapshotsKept = 3;

    private void WriteProducerSnapshot(long offset, byte[] snapshot)
    {
        _fileSystem.WriteAtomically(LogFileNames.SnapshotFile(Directory, offset), snapshot);
        var snapshots = ProducerSnapshot.List(_fileSystem, Directory);
        for (var i = 0; i < snapshots.Count - SnapshotsKept; i++)
        {
            _fileSystem.Delete(LogFileNames.SnapshotFile(Directory, snapshots[i]));
        }
    }

    // Kafka keeps snapshots at or above the log start; the newest is kept whatever its offset, so a
    // producer whose batches were all deleted is still known after a restart.
    private void DeleteSnapshotsBelow(long logStartOffset)
    {
        var snapshots = ProducerSnapshot.List(_fileSystem, Directory);
        for (var i = 0; i < snapshots.Count - 1; i++)
        {
            if (snapshots[i] < logStartOffset)
            {
                _fileSystem.Delete(LogFileNames.SnapshotFile(Directory, snapshots[i]));
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Log {Directory}: retention deleted {Segments} segments; log start offset is now {LogStartOffset}")]
    private static partial void LogRetention(ILogger logger, string directory, int segments, long logStartOffset);
}
