using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Orlog.Log.Storage;

namespace Orlog.Log;

// Kafka's DeleteRecords: the log start offset moved up on request, to any offset, not only to a segment's
// base as retention does. The offset is kept in a checkpoint file, since the first segment's base alone
// would bring the deleted records back after a restart.
public sealed partial class PartitionLog
{
    /// <summary>
    /// Moves the log start offset up to <paramref name="offset"/> (never down, never past the log end): records
    /// below it are no longer read, and the segments wholly below it are deleted. The new start is on disk
    /// before this returns. Returns the log start offset.
    /// </summary>
    /// <exception cref="KafkaException">OFFSET_OUT_OF_RANGE: past the log end.</exception>
    public long AdvanceLogStartOffset(long offset)
    {
        ThrowIfUnwritable();
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                if (offset > _logEndOffset)
                {
                    throw OffsetOutOfRange(offset, _logStartOffset, _logEndOffset);
                }
                if (offset <= _logStartOffset)
                {
                    return _logStartOffset;
                }
                try
                {
                    WriteLogStartCheckpoint(offset);
                    Volatile.Write(ref _logStartOffset, offset);
                    var segments = Volatile.Read(ref _segments);
                    var delete = 0;
                    while (delete < segments.Length - 1 && segments[delete + 1].BaseOffset <= offset)
                    {
                        delete++;
                    }
                    if (delete > 0)
                    {
                        Volatile.Write(ref _segments, segments[delete..]);
                        for (var i = 0; i < delete; i++)
                        {
                            segments[i].Delete(_fileSystem, Directory);
                        }
                    }
                    _epochs.TruncateFromStart(offset);
                    DeleteSnapshotsBelow(offset);
                    LogStartAdvanced(_logger, Directory, offset, delete);
                    return offset;
                }
                catch (Exception error) when (IsStorageError(error))
                {
                    throw Fail(error, "Moving the log start");
                }
            }
        }
    }

    private string LogStartCheckpointPath => Path.Combine(Directory, LogFileNames.LogStartOffsetCheckpoint);

    private void WriteLogStartCheckpoint(long offset) =>
        _fileSystem.WriteAtomically(LogStartCheckpointPath, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"0\n{offset}\n")));

    // The start a DeleteRecords left, or -1 when there is none (the first segment's base is the start).
    private long ReadLogStartCheckpoint()
    {
        var content = _fileSystem.ReadAllBytesOrNull(LogStartCheckpointPath);
        if (content is null)
        {
            return -1;
        }
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 2 && lines[0] == "0" && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : -1;
    }

    // A truncation that moves the start down: the checkpoint must not bring a higher start back at the next open.
    private void LowerLogStartCheckpoint(long offset)
    {
        if (ReadLogStartCheckpoint() > offset)
        {
            _fileSystem.Delete(LogStartCheckpointPath);
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Log {Directory}: log start offset moved to {LogStartOffset} on request; {Segments} segments deleted")]
    private static partial void LogStartAdvanced(ILogger logger, string directory, long logStartOffset, int segments);
}
