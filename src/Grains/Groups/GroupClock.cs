namespace Orlog.Grains.Groups;

/// <summary>The clock of the group coordinator (sessions, commit times, offset expiry); a seam for tests.</summary>
public sealed class GroupClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
}
