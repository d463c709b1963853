namespace Orlog.Grains.Replication;

/// <summary>
/// leader.replication.throttled.rate on a leader broker: a token bucket of bytes, refilled at the rate and
/// holding at most one second of it, that the answers to throttled followers (those copying a partition for
/// a running reassignment, not yet in its ISR) draw from, all partitions together. A read may return a first
/// batch larger than what was allowed (a batch always comes whole): the bucket then goes into debt, and
/// nothing more is sent until the debt is paid back, so the rate holds over time.
/// </summary>
public sealed class ReplicationThrottle
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    public ReplicationThrottle(long bytesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        ArgumentNullException.ThrowIfNull(time);
        BytesPerSecond = bytesPerSecond;
        _time = time;
        _tokens = bytesPerSecond;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>The rate, bytes per second.</summary>
    public long BytesPerSecond { get; }

    /// <summary>How many bytes may be sent now, at most <paramref name="maxBytes"/>: 0 while the bucket is empty or in debt.</summary>
    public int Allowance(int maxBytes)
    {
        lock (_lock)
        {
            RefillLocked();
            return _tokens < 1 ? 0 : (int)Math.Min(maxBytes, _tokens);
        }
    }

    /// <summary>Takes the bytes sent out of the bucket (more than allowed leaves it in debt).</summary>
    public void Consumed(int bytes)
    {
        lock (_lock)
        {
            RefillLocked();
            _tokens -= bytes;
        }
    }

    /// <summary>How long until some bytes may be sent again: zero when they may now.</summary>
    public TimeSpan UntilAvailable()
    {
        lock (_lock)
        {
            RefillLocked();
            return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / BytesPerSecond);
        }
    }

    private void RefillLocked()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now).TotalSeconds;
        _refilledAt = now;
        _tokens = Math.Min(BytesPerSecond, _tokens + elapsed * BytesPerSecond);
    }
}
