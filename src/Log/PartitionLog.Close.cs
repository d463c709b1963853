using Orlog.Log.Producers;
using Orlog.Log.Storage;

namespace Orlog.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Closes the log cleanly: flushes every segment and index, snapshots the producer state, records the
    /// recovery point and leaves the clean-shutdown marker so the next open trusts what it finds.
    /// After a disk failure the marker is not written, so the next open recovers.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _stopFlusher.Cancel();
        try
        {
            _flusher.Wait();
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                if (Volatile.Read(ref _failure) is null)
                {
                    try
                    {
                        foreach (var segment in _segments)
                        {
                            segment.Flush();
                        }
                        _flushedOffset = _logEndOffset;
                        ReleaseWaiters(_logEndOffset);
                        WriteProducerSnapshot(_logEndOffset, ProducerSnapshot.Serialize(_producers));
                        WriteRecoveryPoint(_logEndOffset);
                        _fileSystem.WriteAtomically(Path.Combine(Directory, LogFileNames.CleanShutdownMarker), []);
                    }
                    catch (Exception error) when (IsStorageError(error))
                    {
                        _ = Fail(error, "Clean close");
                    }
                }
                _disposed = true;
                FailWaiters();
                DisposeSegments();
            }
        }
        _stopFlusher.Dispose();
        _wake.Dispose();
    }

    /// <summary>Deletes the log's directory and everything in it (the topic was deleted).</summary>
    public void Delete()
    {
        Dispose();
        _fileSystem.DeleteDirectory(Directory);
    }

    private void DisposeSegments()
    {
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }
    }
}
