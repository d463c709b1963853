using System.Diagnostics;
using Orleans.Streams;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// A client-side stream subscriber that counts what it is delivered (records, bytes, first and last arrival) and, for
/// latency runs, keeps each record's age from the time stamped into its value.
/// </summary>
internal sealed class OrleansStreamsCounter(int latencyCapacity = 0) : IAsyncObserver<byte[]>
{
    private readonly Lock _lock = new();
    private readonly double[] _ages = new double[latencyCapacity];
    private long _count;
    private long _bytes;
    private long _first;
    private long _last;
    private Exception? _error;

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Stopwatch timestamp of the first delivery (0 before any).</summary>
    public long First
    {
        get
        {
            lock (_lock)
            {
                return _first;
            }
        }
    }

    /// <summary>Stopwatch timestamp of the latest delivery.</summary>
    public long Last
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    public Exception? Error => _error;

    /// <summary>The ages recorded so far (latency runs), in arrival order.</summary>
    public double[] Ages()
    {
        lock (_lock)
        {
            return _ages.AsSpan(0, (int)Math.Min(_count, _ages.Length)).ToArray();
        }
    }

    public Task OnNextAsync(byte[] item, StreamSequenceToken? token = null)
    {
        var now = Stopwatch.GetTimestamp();
        var age = _ages.Length > 0 ? RecordGenerator.AgeMs(item) : 0;
        lock (_lock)
        {
            if (_count < _ages.Length)
            {
                _ages[_count] = age;
            }
            if (_count == 0)
            {
                _first = now;
            }
            _last = now;
            _count++;
            _bytes += item.Length;
        }
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        _error = ex;
        return Task.CompletedTask;
    }
}
