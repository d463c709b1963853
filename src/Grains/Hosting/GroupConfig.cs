namespace Orlog.Grains.Hosting;

/// <summary>The group coordinator's broker settings, by Kafka's names, with Kafka's defaults.</summary>
/// <param name="MinSessionTimeoutMs">group.min.session.timeout.ms: the shortest session a member may ask for (6000).</param>
/// <param name="MaxSessionTimeoutMs">group.max.session.timeout.ms: the longest (1800000).</param>
/// <param name="InitialRebalanceDelayMs">group.initial.rebalance.delay.ms: how long a classic group's first rebalance waits for more members (3000).</param>
/// <param name="ConsumerHeartbeatIntervalMs">group.consumer.heartbeat.interval.ms: the server-side dialect's heartbeat interval (5000), never more than a third of a member's session.</param>
/// <param name="MaxSize">group.max.size: members per group (unbounded).</param>
/// <param name="OffsetsRetentionMinutes">offsets.retention.minutes: how long an empty group keeps its offsets (10080, 7 days).</param>
/// <param name="OffsetsRetentionCheckIntervalMs">offsets.retention.check.interval.ms: how often expired offsets are looked for (600000).</param>
public sealed record GroupConfig(
    int MinSessionTimeoutMs,
    int MaxSessionTimeoutMs,
    int InitialRebalanceDelayMs,
    int ConsumerHeartbeatIntervalMs,
    int MaxSize,
    int OffsetsRetentionMinutes,
    int OffsetsRetentionCheckIntervalMs);
