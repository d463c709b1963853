namespace Orlog.Grains.Partitions;

/// <summary>
/// Where a follower cuts its log before it follows a leader, from the leader's answer to
/// OffsetsForLeaderEpoch (KIP-101, with KIP-279's rounds). The follower asked for its latest epoch; the
/// leader answered with the largest epoch it has at or below it, and where that epoch ends in its log.
/// <list type="bullet">
/// <item>The follower has that epoch too: both logs agree up to the smaller of the two ends of it; cut there. Done.</item>
/// <item>The follower lacks it, but has an earlier one: cut to where the follower's own earlier epoch ends
/// (no further than the leader's end), and ask again with that epoch: after several quick leader changes one
/// round may not find where the logs part (KIP-279).</item>
/// <item>The follower has no epoch at or below it: its data is all newer than what the leader answered for;
/// cut to the leader's end. Done.</item>
/// <item>The leader has no such epoch at all: nothing the follower has is known to match; cut everything. Done.</item>
/// </list>
/// Never the follower's own high watermark: it may be behind records the cluster acknowledged (KIP-101).
/// </summary>
public static class EpochTruncation
{
    /// <param name="leaderEpoch">The epoch the leader answered with; -1 when it has none at or below the one asked.</param>
    /// <param name="leaderEndOffset">Where that epoch ends in the leader's log.</param>
    /// <param name="followerEpoch">The follower's largest epoch at or below <paramref name="leaderEpoch"/>; -1 when none.</param>
    /// <param name="followerEndOffset">Where that epoch ends in the follower's log.</param>
    /// <param name="logStartOffset">The follower's log start.</param>
    /// <param name="logEndOffset">The follower's log end.</param>
    /// <returns>The offset to truncate to (never above the log end) and whether the follower may fetch after it.</returns>
    public static (long TruncateTo, bool Complete) Decide(int leaderEpoch, long leaderEndOffset, int followerEpoch, long followerEndOffset, long logStartOffset, long logEndOffset)
    {
        if (leaderEpoch < 0 || leaderEndOffset < 0)
        {
            return (logStartOffset, true);
        }
        if (followerEpoch < 0)
        {
            return (Math.Min(leaderEndOffset, logEndOffset), true);
        }
        if (followerEpoch == leaderEpoch)
        {
            return (Math.Min(Math.Min(leaderEndOffset, followerEndOffset), logEndOffset), true);
        }
        return (Math.Min(Math.Min(leaderEndOffset, followerEndOffset), logEndOffset), false);
    }
}
