namespace Orlog.Benchmarks.Groups;

/// <summary>
/// The members' client settings in the rebalance runs: session.timeout.ms, heartbeat.interval.ms (classic; the
/// server-side interval is the group's answer) and the rebalance timeout (max.poll.interval.ms).
/// </summary>
internal sealed record GroupSettings(int SessionTimeoutMs, int HeartbeatIntervalMs, int RebalanceTimeoutMs);
