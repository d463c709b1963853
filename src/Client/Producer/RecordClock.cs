namespace Orlog.Client;

/// <summary>
/// Record timestamps (CreateTime) without a wall-clock read per record: the wall clock is read once per coarse tick
/// (<see cref="Environment.TickCount64"/>, 1 to 4 ms on Linux, read from the kernel's page without a system call)
/// and that reading is shared by every record of the tick, so a batch of thousands costs a few reads. A record's
/// timestamp is at most one tick earlier than the moment it was produced, never later, and never goes backwards
/// with the wall clock steady. A test clock (anything but <see cref="TimeProvider.System"/>) is read every time.
/// </summary>
internal sealed class RecordClock(TimeProvider time)
{
    private readonly bool _coarse = ReferenceEquals(time, TimeProvider.System);
    private long _tick = long.MinValue;
    private long _unixMs;

    public long UnixNowMs()
    {
        if (!_coarse)
        {
            return time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        var tick = Environment.TickCount64;
        if (tick == Volatile.Read(ref _tick))
        {
            // Written before the tick (below): a thread that sees this tick sees its reading.
            return Volatile.Read(ref _unixMs);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Volatile.Write(ref _unixMs, now);
        Volatile.Write(ref _tick, tick);
        return now;
    }
}
