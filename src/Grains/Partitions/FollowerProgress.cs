namespace Orlog.Grains.Partitions;

/// <summary>
/// What a leader knows of one follower, learnt from its fetches: how far its log reaches, and when it was
/// last caught up with the leader's log end (Kafka's lastCaughtUpTime). A follower that fetches at the
/// leader's end is caught up now; one that fetches at the end the leader had at its previous fetch was
/// caught up then, so a steady stream of appends does not make a keeping-up follower look behind.
/// </summary>
public sealed class FollowerProgress
{
    public FollowerProgress(int brokerId, long lastCaughtUpMs)
    {
        BrokerId = brokerId;
        LastCaughtUpMs = lastCaughtUpMs;
    }

    public int BrokerId { get; }

    /// <summary>The broker epoch of the follower's run that fetched last; -1 before a fetch or before it registered.</summary>
    public long BrokerEpoch { get; private set; } = -1;

    /// <summary>The follower's log end offset as of its last fetch; -1 before one at this leader epoch.</summary>
    public long LogEndOffset { get; private set; } = -1;

    public long LastCaughtUpMs { get; private set; }

    private long _lastFetchMs = -1;
    private long _leaderEndAtLastFetch = -1;

    /// <summary>
    /// A fetch from <paramref name="fetchOffset"/> by the follower's run at <paramref name="brokerEpoch"/> arrived
    /// while the leader's log ended at <paramref name="leaderEnd"/>. A run other than the last one's fetch starts
    /// the history over: what an earlier run copied says nothing of what this one holds.
    /// </summary>
    public void OnFetch(long brokerEpoch, long fetchOffset, long leaderEnd, long nowMs)
    {
        if (brokerEpoch != BrokerEpoch)
        {
            BrokerEpoch = brokerEpoch;
            _lastFetchMs = -1;
            _leaderEndAtLastFetch = -1;
        }
        if (fetchOffset >= leaderEnd)
        {
            LastCaughtUpMs = Math.Max(LastCaughtUpMs, nowMs);
        }
        else if (_leaderEndAtLastFetch >= 0 && fetchOffset >= _leaderEndAtLastFetch)
        {
            LastCaughtUpMs = Math.Max(LastCaughtUpMs, _lastFetchMs);
        }
        LogEndOffset = fetchOffset;
        _lastFetchMs = nowMs;
        _leaderEndAtLastFetch = leaderEnd;
    }

    /// <summary>Out of sync: behind the leader's end and not caught up for longer than <paramref name="maxLagMs"/>.</summary>
    public bool IsLagging(long leaderEnd, long nowMs, long maxLagMs) =>
        LogEndOffset < leaderEnd && nowMs - LastCaughtUpMs > maxLagMs;
}
