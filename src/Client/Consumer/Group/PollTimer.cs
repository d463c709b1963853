namespace Orlog.Client;

/// <summary>
/// When the application last called Consume, and whether it is inside one now (max.poll.interval.ms counts only the
/// time outside). Written by the consuming thread, read by the membership loop.
/// </summary>
internal sealed class PollTimer
{
    private readonly Clock _clock;
    private long _lastPollMs;
    private volatile bool _polling;

    public PollTimer(Clock clock)
    {
        _clock = clock;
        _lastPollMs = clock.NowMs;
    }

    public bool Polling => _polling;

    public long LastPollMs => Volatile.Read(ref _lastPollMs);

    // Inside Consume the interval does not run, so entering needs no clock read: leaving stamps the time.
    public void Started() => _polling = true;

    public void Ended()
    {
        Volatile.Write(ref _lastPollMs, _clock.NowMs);
        _polling = false;
    }

    /// <summary>Starts the interval afresh (a new subscription).</summary>
    public void Restart() => Volatile.Write(ref _lastPollMs, _clock.NowMs);
}
