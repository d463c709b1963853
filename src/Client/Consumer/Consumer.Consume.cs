using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Orlog.Client;

internal sealed partial class Consumer<TKey, TValue>
{
    private readonly Queue<FetchedChunk<TKey, TValue>> _chunks = new();
    private readonly AsyncSignal _available = new();
    private FetchedChunk<TKey, TValue>? _current;
    private long _queuedBytes;
    // Set by the membership loop when a rebalance, a loss or a group error waits for the consuming thread.
    private volatile bool _groupEvents;
    // Inside Consume (max.poll.interval.ms counts only the time outside), and when it was last entered or left.
    private volatile bool _polling;
    private long _lastPollMs;

    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        PollStarted();
        try
        {
            if (TryTake(out var ready))
            {
                return ready;
            }
            var deadline = _client.Clock.NowMs + (long)timeout.TotalMilliseconds;
            while (true)
            {
                var result = TakeBefore(deadline, out var signal, out var left);
                if (result is not null || left <= 0)
                {
                    return result;
                }
                signal.Wait(TimeSpan.FromMilliseconds(left));
            }
        }
        finally
        {
            PollEnded();
        }
    }

    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default)
    {
        PollStarted();
        try
        {
            while (true)
            {
                var signal = _available.Reset();
                if (TryTake(out var result))
                {
                    return result;
                }
                signal.Wait(cancellationToken);
            }
        }
        finally
        {
            PollEnded();
        }
    }

    public async ValueTask<ConsumeResult<TKey, TValue>?> ConsumeAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        PollStarted();
        try
        {
            var deadline = _client.Clock.NowMs + (long)timeout.TotalMilliseconds;
            while (true)
            {
                var result = TakeBefore(deadline, out var signal, out var left);
                if (result is not null || left <= 0)
                {
                    return result;
                }
                await AsyncSignal.WaitAsync(signal, TimeSpan.FromMilliseconds(left), _client.Clock.Provider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            PollEnded();
        }
    }

    public async IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await NextAsync(cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                yield break;
            }
            // The application works on the record outside Consume: max.poll.interval.ms counts from here.
            yield return result;
        }
    }

    /// <summary>The next record for <see cref="ConsumeAllAsync"/>, or null when the token is cancelled.</summary>
    private async ValueTask<ConsumeResult<TKey, TValue>?> NextAsync(CancellationToken cancellationToken)
    {
        PollStarted();
        try
        {
            while (true)
            {
                var signal = _available.Reset();
                if (TryTake(out var result))
                {
                    return result;
                }
                try
                {
                    await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
        finally
        {
            PollEnded();
        }
    }

    private void PollStarted()
    {
        _polling = true;
        Volatile.Write(ref _lastPollMs, _client.Clock.NowMs);
    }

    private void PollEnded()
    {
        Volatile.Write(ref _lastPollMs, _client.Clock.NowMs);
        _polling = false;
    }

    /// <summary>
    /// One turn of a Consume with a deadline: the next record, or null with the signal to wait on and the
    /// milliseconds left until <paramref name="deadline"/> (none left: the deadline has passed).
    /// </summary>
    // Once per record on ConsumeAsync's path: inlined, it costs what the loop's own lines cost.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ConsumeResult<TKey, TValue>? TakeBefore(long deadline, out Task signal, out long leftMs)
    {
        // Reset before looking, so that records queued after the look still wake the wait.
        signal = _available.Reset();
        if (TryTake(out var result))
        {
            leftMs = 0;
            return result;
        }
        leftMs = deadline - _client.Clock.NowMs;
        return null;
    }

    /// <summary>The next record of the queue, if any; throws the next error in its place.</summary>
    private bool TryTake([NotNullWhen(true)] out ConsumeResult<TKey, TValue>? result)
    {
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        if (_groupEvents)
        {
            RunGroupEvents();
        }
        while (true)
        {
            FetchedChunk<TKey, TValue>? toDecode = null;
            lock (_lock)
            {
                var chunk = _current;
                if (chunk is null || chunk.IsStale || (chunk.Next >= chunk.Items.Count && !chunk.HasUndecodedBatches))
                {
                    if (chunk is not null)
                    {
                        Release(chunk);
                    }
                    if (!_chunks.TryDequeue(out _current))
                    {
                        _current = null;
                        result = null;
                        return false;
                    }
                    continue;
                }
                if (chunk.Next < chunk.Items.Count)
                {
                    var item = chunk.Items[chunk.Next++];
                    chunk.Partition.ConsumePosition = item.NextOffset;
                    if (item.Error is { } error)
                    {
                        throw error;
                    }
                    result = item.Result!;
                    if (_settings.EnableAutoOffsetStore && !result.IsPartitionEOF)
                    {
                        chunk.Partition.StoredOffset = item.NextOffset;
                    }
                    return true;
                }
                toDecode = chunk;
            }
            // Decoding runs on the consuming thread, outside the lock; only this thread touches the chunk's items.
            if (!_decoder.DecodeNext(toDecode))
            {
                lock (_lock)
                {
                    if (!toDecode.IsStale)
                    {
                        // A corrupt batch: nothing after it is trusted until the application seeks past it.
                        var state = toDecode.Partition;
                        state.Halted = true;
                        state.Version++;
                        var at = toDecode.Items[0].NextOffset;
                        state.FetchPosition = at;
                        state.ConsumePosition = at;
                        var error = toDecode.Items[0].Error!;
                        Release(toDecode);
                        _current = null;
                        throw error;
                    }
                }
            }
        }
    }

    /// <summary>Queues fetched records (under the lock).</summary>
    private void Enqueue(FetchedChunk<TKey, TValue> chunk)
    {
        _chunks.Enqueue(chunk);
        _queuedBytes += chunk.Bytes;
        _available.Set();
    }

    private void Release(FetchedChunk<TKey, TValue> chunk)
    {
        var before = _queuedBytes;
        _queuedBytes -= chunk.Bytes;
        if (before >= _settings.QueuedMaxBytes && _queuedBytes < _settings.QueuedMaxBytes)
        {
            _fetchWake.Set();
        }
    }

    /// <summary>Halts a partition and queues its error for Consume to throw (under the lock).</summary>
    private void Fail(PartitionState state, Error error, Exception? inner)
    {
        state.Halted = true;
        var position = new TopicPartitionOffset(state.TopicPartition, state.ConsumePosition >= 0 ? state.ConsumePosition : Offset.Unset);
        var chunk = new FetchedChunk<TKey, TValue>(state, state.Version, null, state.ConsumePosition);
        chunk.Items.Add(new ConsumeItem<TKey, TValue>(null, new ConsumeException(error, position, inner), state.ConsumePosition));
        Enqueue(chunk);
    }
}
