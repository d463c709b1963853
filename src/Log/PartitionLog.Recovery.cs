using Microsoft.Extensions.Logging;
using Orlog.Log.Producers;
using Orlog.Log.Storage;

namespace Orlog.Log;

// Opening a log. After a clean close (the clean-shutdown marker is there) the segments and indexes are
// trusted, with a cheap check of each tail. Otherwise every segment from the recovery point on is
// scanned batch by batch (length, magic, CRC, offsets) and cut at the first torn or corrupt batch;
// segments after a cut are deleted, since they would follow a hole. Then the leader-epoch checkpoint and
// the producer state are brought in line with what survived.
public sealed partial class PartitionLog
{
    private void Load(Guid? topicId)
    {
        _fileSystem.CreateDirectory(Directory);
        if (topicId is { } id)
        {
            PartitionMetadataFile.EnsureTopicId(_fileSystem, Directory, id);
        }
        var markerPath = Path.Combine(Directory, LogFileNames.CleanShutdownMarker);
        var clean = _fileSystem.FileExists(markerPath);
        _recoveryPoint = clean ? long.MaxValue : ReadRecoveryPoint();

        var bases = ListSegmentsAndRemoveLeftovers();
        var existed = bases.Count > 0;
        var segments = new List<LogSegment>(bases.Count);
        var recovered = false;
        try
        {
            foreach (var baseOffset in bases)
            {
                var segment = LogSegment.Open(_fileSystem, Directory, baseOffset, Config);
                segments.Add(segment);
                var nextBase = bases.Count > segments.Count ? bases[segments.Count] : long.MaxValue;
                var mayHoldUnflushed = nextBase > _recoveryPoint;
                if (mayHoldUnflushed || !segment.TryLoadClean())
                {
                    recovered = true;
                    var cut = segment.Recover();
                    if (cut > 0)
                    {
                        LogTruncatedTail(_logger, Directory, segment.BaseOffset, cut, segment.NextOffset);
                        DeleteSegmentsAfter(segments.Count, bases);
                        break;
                    }
                }
                if (nextBase != long.MaxValue && segment.NextOffset > nextBase)
                {
                    LogOverlap(_logger, Directory, segment.BaseOffset, segment.NextOffset, nextBase);
                    DeleteSegmentsAfter(segments.Count, bases);
                    break;
                }
            }
            if (segments.Count == 0)
            {
                segments.Add(LogSegment.CreateEmpty(_fileSystem, Directory, 0, Config));
            }
        }
        catch
        {
            segments.ForEach(s => s.Dispose());
            throw;
        }
        _segments = [.. segments];
        _logEndOffset = segments[^1].NextOffset;
        // A DeleteRecords may have left the start inside the first segment; a tail lost in a crash may have
        // taken the log end below it.
        _logStartOffset = Math.Clamp(ReadLogStartCheckpoint(), segments[0].BaseOffset, Math.Max(segments[0].BaseOffset, _logEndOffset));

        _epochs.Load();
        _epochs.TruncateFromEnd(_logEndOffset);
        _epochs.TruncateFromStart(_logStartOffset);
        if (_epochs.Entries.Count == 0 && _logEndOffset > _logStartOffset)
        {
            RebuildEpochsFromBatches();
        }
        LoadProducerState();

        if (recovered || !clean)
        {
            // What survived a crash may sit only in the page cache: make it durable before trusting it.
            foreach (var segment in _segments)
            {
                segment.Flush();
            }
            _recoveryPoint = 0;
            WriteRecoveryPoint(_logEndOffset);
            if (existed)
            {
                // Snapshots of rolls that were still pending at the crash are lost: record the state now.
                WriteProducerSnapshot(_logEndOffset, ProducerSnapshot.Serialize(_producers));
            }
        }
        else
        {
            _recoveryPoint = _logEndOffset;
        }
        if (clean)
        {
            _fileSystem.Delete(markerPath);
            _fileSystem.SyncDirectory(Directory);
        }
        _flushedOffset = _logEndOffset;
        LogOpened(_logger, Directory, _logStartOffset, _logEndOffset, _segments.Length, clean);
    }

    // Segment base offsets in order. Temporary and half-deleted files from an interrupted operation are
    // removed, as are indexes without a segment; files the log does not know are left alone.
    private List<long> ListSegmentsAndRemoveLeftovers()
    {
        var names = _fileSystem.ListFiles(Directory);
        var bases = new List<long>();
        foreach (var name in names)
        {
            if (LogFileNames.TryParseOffsetFile(name, LogFileNames.LogSuffix, out var baseOffset))
            {
                bases.Add(baseOffset);
            }
        }
        bases.Sort();
        foreach (var name in names)
        {
            var orphanIndex = (LogFileNames.TryParseOffsetFile(name, LogFileNames.IndexSuffix, out var offset)
                || LogFileNames.TryParseOffsetFile(name, LogFileNames.TimeIndexSuffix, out offset)) && bases.BinarySearch(offset) < 0;
            if (orphanIndex || name.EndsWith(LogFileNames.TemporarySuffix, StringComparison.Ordinal) || name.EndsWith(LogFileNames.DeletedSuffix, StringComparison.Ordinal))
            {
                _fileSystem.Delete(Path.Combine(Directory, name));
            }
        }
        return bases;
    }

    private void DeleteSegmentsAfter(int keep, List<long> bases)
    {
        for (var i = keep; i < bases.Count; i++)
        {
            _fileSystem.Delete(LogFileNames.SegmentFile(Directory, bases[i]));
            _fileSystem.Delete(LogFileNames.IndexFile(Directory, bases[i]));
            _fileSystem.Delete(LogFileNames.TimeIndexFile(Directory, bases[i]));
        }
        bases.RemoveRange(keep, bases.Count - keep);
    }

    // The checkpoint was lost or unreadable: every batch carries the epoch of the leader that wrote it.
    private void RebuildEpochsFromBatches()
    {
        foreach (var segment in _segments)
        {
            segment.ForEachBatch(segment.BaseOffset, header => _epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset));
        }
    }

    // The newest snapshot at or below the log end, then every batch after it. Snapshots past the end
    // (the log was cut below them) are deleted.
    private void LoadProducerState()
    {
        _producers.Clear();
        var snapshots = ProducerSnapshot.List(_fileSystem, Directory);
        var from = _logStartOffset;
        for (var i = snapshots.Count - 1; i >= 0; i--)
        {
            var path = LogFileNames.SnapshotFile(Directory, snapshots[i]);
            if (snapshots[i] > _logEndOffset)
            {
                _fileSystem.Delete(path);
                continue;
            }
            if (_fileSystem.ReadAllBytesOrNull(path) is { } bytes && ProducerSnapshot.TryDeserialize(bytes, _producers))
            {
                from = Math.Max(snapshots[i], _logStartOffset);
                break;
            }
            LogBadSnapshot(_logger, Directory, snapshots[i]);
        }
        foreach (var segment in _segments)
        {
            if (segment.NextOffset > from)
            {
                segment.ForEachBatch(from, header => _producers.Update(header, header.MaxTimestamp));
            }
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} had {Bytes} bytes of torn or corrupt batches after offset {NextOffset}; cut them and every later segment")]
    private static partial void LogTruncatedTail(ILogger logger, string directory, long baseOffset, long bytes, long nextOffset);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Log {Directory}: segment {BaseOffset} ends at {NextOffset}, past the next segment's base {NextBase}; deleted the later segments")]
    private static partial void LogOverlap(ILogger logger, string directory, long baseOffset, long nextOffset, long nextBase);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Log {Directory}: producer snapshot {Offset} is damaged; using an older one")]
    private static partial void LogBadSnapshot(ILogger logger, string directory, long offset);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Log {Directory}: opened offsets {LogStartOffset} to {LogEndOffset} in {Segments} segments (clean: {Clean})")]
    private static partial void LogOpened(ILogger logger, string directory, long logStartOffset, long logEndOffset, int segments, bool clean);
}
