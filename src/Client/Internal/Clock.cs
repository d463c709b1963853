namespace Orlog.Client;

/// <summary>Monotonic milliseconds and wall-clock epoch milliseconds from a <see cref="TimeProvider"/>.</summary>
internal sealed class Clock
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly long _startTick;
    private readonly bool _system;

    public Clock(TimeProvider time)
    {
        _time = time;
        _start = time.GetTimestamp();
        _startTick = Environment.TickCount64;
        _system = ReferenceEquals(time, TimeProvider.System);
    }

    public TimeProvider Provider => _time;

    /// <summary>Milliseconds since this clock was made, monotonic.</summary>
    public long NowMs => (long)_time.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>
    /// <see cref="NowMs"/> from the coarse tick (<see cref="Environment.TickCount64"/>, 1 to 4 ms, no high-resolution
    /// read) with the system clock; a test clock is read as <see cref="NowMs"/>. For checks a few milliseconds do not
    /// change, made per record (a metadata entry's age).
    /// </summary>
    public long CoarseNowMs => _system ? Environment.TickCount64 - _startTick : NowMs;

    /// <summary>Epoch milliseconds (record timestamps).</summary>
    public long UnixNowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
