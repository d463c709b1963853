namespace Orlog.Client;

/// <summary>
/// The two deadlines every group member keeps, whatever its dialect: max.poll.interval.ms (Consume not called: the
/// member leaves) and session.timeout.ms (no answer from the group: its partitions are gone by now).
/// </summary>
internal static class MemberDeadlines
{
    /// <summary>Why the member must leave for want of Consume calls, or null while it need not.</summary>
    public static string? PollExpired(ConsumerSettings settings, bool polling, long sincePollMs) =>
        !polling && sincePollMs > settings.MaxPollIntervalMs
            ? $"Consume was not called for {sincePollMs} ms, above max.poll.interval.ms ({settings.MaxPollIntervalMs}); the next Consume joins again"
            : null;

    /// <summary>Why the session is over on the member's side, or null while it is not.</summary>
    public static string? SessionExpired(ConsumerSettings settings, long nowMs, long lastAnswerMs) =>
        nowMs - lastAnswerMs > settings.SessionTimeoutMs
            ? $"no heartbeat was answered for {nowMs - lastAnswerMs} ms, above session.timeout.ms ({settings.SessionTimeoutMs})"
            : null;

    /// <summary><paramref name="waitMs"/> cut short so that the member wakes when either deadline passes.</summary>
    public static long Clamp(ConsumerSettings settings, long waitMs, bool polling, long sincePollMs, bool inSession, long nowMs, long lastAnswerMs)
    {
        if (!polling)
        {
            waitMs = Math.Min(waitMs, Math.Max(0, settings.MaxPollIntervalMs - sincePollMs + 1));
        }
        if (inSession)
        {
            waitMs = Math.Min(waitMs, Math.Max(0, lastAnswerMs + settings.SessionTimeoutMs - nowMs + 1));
        }
        return waitMs;
    }
}
