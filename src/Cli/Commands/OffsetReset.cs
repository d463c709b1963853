namespace Orlog.Cli.Commands;

/// <summary>The scenarios of `groups reset-offsets`: where each partition's committed offset moves.</summary>
internal enum OffsetResetScenario
{
    ToEarliest,
    ToLatest,
    ToDatetime,
    ShiftBy,
    ToOffset,
}

/// <summary>Computes a partition's new offset for a scenario, clamped into the partition's range as Kafka's tool does.</summary>
internal static class OffsetReset
{
    /// <param name="scenario">The scenario.</param>
    /// <param name="value">--shift-by's shift or --to-offset's offset (unused otherwise).</param>
    /// <param name="committed">The group's committed offset, or null.</param>
    /// <param name="logStart">The partition's log start offset.</param>
    /// <param name="logEnd">The partition's log end offset.</param>
    /// <param name="forTimestamp">--to-datetime: the first offset at or after the time, or -1 when no record is that new.</param>
    public static long NewOffset(OffsetResetScenario scenario, long value, long? committed, long logStart, long logEnd, long forTimestamp)
    {
        var offset = scenario switch
        {
            OffsetResetScenario.ToEarliest => logStart,
            OffsetResetScenario.ToLatest => logEnd,
            // No record at or after the time: every record is older, so the group starts after them all.
            OffsetResetScenario.ToDatetime => forTimestamp >= 0 ? forTimestamp : logEnd,
            // Without a committed offset, a forward shift counts from the log start and a backward one from the end.
            OffsetResetScenario.ShiftBy => (committed ?? (value >= 0 ? logStart : logEnd)) + value,
            OffsetResetScenario.ToOffset => value,
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        return Math.Clamp(offset, logStart, Math.Max(logStart, logEnd));
    }
}
