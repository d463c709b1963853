namespace Orlog.Client;

/// <summary>Monotonic milliseconds and wall-clock epoch milliseconds from a <see cref="TimeProvider"/>.</summary>
internal sealed class Clock
{
    private readonly TimeProvider _time;
    private readonly long _start;

    public Clock(TimeProvider time)
    {
        _time = time;
        _start = time.GetTimestamp();
    }

    public TimeProvider Provider => _time;

    /// <summary>Milliseconds since this clock was made, monotonic.</summary>
    public long NowMs => (long)_time.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>Epoch milliseconds (record timestamps).</summary>
    public long UnixNowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
