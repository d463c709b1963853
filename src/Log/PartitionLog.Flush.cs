using System.Globalization;
using System.Text;
using Orlog.Log.Storage;

namespace Orlog.Log;

// Durability: one background flusher per log runs every fsync. It wakes every flush.ms, when
// flush.messages records are unflushed, or when an appender waits for its batch to be on disk
// (flush.messages=1). Each pass captures the log end offset, fsyncs the segments that hold data past
// the flushed offset, then releases every waiter at or below what it captured: one fsync serves every
// append that arrived meanwhile, and no fsync runs on an appender's own path.
public sealed partial class PartitionLog
{
    private readonly Lock _flushLock = new();
    private readonly Lock _waitersLock = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopFlusher = new();
    private readonly List<(long Offset, TaskCompletionSource Done)> _waiters = [];
    private readonly List<PendingRoll> _pendingRolls = [];
    private Task _flusher = Task.CompletedTask;
    private long _flushedOffset;
    private long _unflushedRecords;
    private long _recoveryPoint;

    /// <summary>Completes when every record below <paramref name="offset"/> is on disk.</summary>
    public Task WaitForFlushAsync(long offset)
    {
        if (FlushedOffset >= offset)
        {
            return Task.CompletedTask;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            if (Volatile.Read(ref _failure) is { } failure)
            {
                return Task.FromException(new KafkaException(ErrorCode.KafkaStorageError, $"The log in '{Directory}' failed: {failure.Message}", failure));
            }
            if (FlushedOffset >= offset)
            {
                return Task.CompletedTask;
            }
            _waiters.Add((offset, done));
        }
        WakeFlusher();
        return done.Task;
    }

    /// <summary>Flushes everything appended so far, on the caller's thread, and returns the flushed offset.</summary>
    public long Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushPass();
        return FlushedOffset;
    }

    private void StartFlusher() => _flusher = Task.Run(FlushLoopAsync);

    private void WakeFlusher()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread woke it first: one wake-up is enough.
            }
        }
    }

    private async Task FlushLoopAsync()
    {
        var stop = _stopFlusher.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // flush.ms=0 means "as often as possible": one pass a millisecond, not a busy loop.
                var flushMs = Math.Max(1, Config.FlushMs);
                if (flushMs >= int.MaxValue)
                {
                    await _wake.WaitAsync(stop).ConfigureAwait(false);
                }
                else
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    var delay = Task.Delay(TimeSpan.FromMilliseconds(flushMs), _time, timeout.Token);
                    var woken = _wake.WaitAsync(timeout.Token);
                    await Task.WhenAny(delay, woken).ConfigureAwait(false);
                    timeout.Cancel();
                    await IgnoreCancellation(woken).ConfigureAwait(false);
                    await IgnoreCancellation(delay).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            if (Volatile.Read(ref _failure) is null && !stop.IsCancellationRequested)
            {
                FlushPass();
            }
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // One flush pass: what was appended before it started is on disk when it ends.
    private void FlushPass()
    {
        lock (_flushLock)
        {
            if (Volatile.Read(ref _failure) is not null)
            {
                return;
            }
            try
            {
                var target = LogEndOffset;
                PendingRoll[] rolls;
                lock (_writeLock)
                {
                    target = _logEndOffset;
                    _unflushedRecords = 0;
                    rolls = [.. _pendingRolls];
                    _pendingRolls.Clear();
                }
                var flushed = FlushedOffset;
                var started = _time.GetTimestamp();
                if (target > flushed)
                {
                    foreach (var segment in _segments)
                    {
                        if (segment.NextOffset > flushed && segment.BaseOffset < target)
                        {
                            FlushUnlessDeleted(segment, wholeSegment: false);
                        }
                    }
                }
                foreach (var roll in rolls)
                {
                    // A rolled segment is complete: its indexes go to disk and recovery never scans it again.
                    FlushUnlessDeleted(roll.Segment, wholeSegment: true);
                    WriteProducerSnapshot(roll.NextBaseOffset, roll.ProducerSnapshot);
                    WriteRecoveryPoint(roll.NextBaseOffset);
                }
                if (target > flushed)
                {
                    Volatile.Write(ref _flushedOffset, target);
                    LogInstruments.FlushTime.Record(_time.GetElapsedTime(started).TotalSeconds);
                }
                ReleaseWaiters(target);
            }
            catch (Exception error) when (IsStorageError(error))
            {
                if (!_disposed)
                {
                    _ = Fail(error, "Flush");
                }
            }
        }
    }

    // Retention or truncation may have deleted a segment since the pass looked at the list.
    private static void FlushUnlessDeleted(LogSegment segment, bool wholeSegment)
    {
        try
        {
            if (wholeSegment)
            {
                segment.Flush();
            }
            else
            {
                segment.FlushLog();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void ScheduleRollFlush(LogSegment segment, long nextBaseOffset, byte[] producerSnapshot)
    {
        _pendingRolls.Add(new PendingRoll(segment, nextBaseOffset, producerSnapshot));
        WakeFlusher();
    }

    private void ReleaseWaiters(long flushed)
    {
        lock (_waitersLock)
        {
            ReleaseWaitersLocked(flushed);
        }
    }

    private void ReleaseWaitersLocked(long flushed)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Offset <= flushed)
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private void FailWaiters()
    {
        lock (_waitersLock)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(new KafkaException(ErrorCode.KafkaStorageError, $"The log in '{Directory}' failed before the batch was on disk."));
            }
            _waiters.Clear();
        }
    }

    // A truncation removed these batches: their appenders must not be told they are on disk.
    private void FailWaitersAbove(long end)
    {
        lock (_waitersLock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Offset > end)
                {
                    _waiters[i].Done.TrySetException(new KafkaException(ErrorCode.NotLeaderOrFollower,
                        $"The batch ending at offset {_waiters[i].Offset - 1} was truncated from '{Directory}' before it was on disk: the replica lost leadership. Retry."));
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void WriteRecoveryPoint(long offset)
    {
        if (offset <= _recoveryPoint)
        {
            return;
        }
        _fileSystem.WriteAtomically(Path.Combine(Directory, LogFileNames.RecoveryPointCheckpoint),
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"0\n{offset}\n")));
        _recoveryPoint = offset;
    }

    private long ReadRecoveryPoint()
    {
        var content = _fileSystem.ReadAllBytesOrNull(Path.Combine(Directory, LogFileNames.RecoveryPointCheckpoint));
        if (content is null)
        {
            return 0;
        }
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 2 && lines[0] == "0" && long.TryParse(lines[1], CultureInfo.InvariantCulture, out var offset) && offset >= 0 ? offset : 0;
    }

    private sealed record PendingRoll(LogSegment Segment, long NextBaseOffset, byte[] ProducerSnapshot);
}
