using Orleans.Concurrency;

namespace Orlog.Grains;

/// <summary>
/// A server-side (KIP-848) member's ear at its coordinator: the coordinator calls it when the member's next
/// heartbeat would be answered with something new (partitions to give up, or partitions now free to take), so the
/// member heartbeats at once instead of waiting out its interval. The heartbeat stays the authority: a call that is
/// lost costs one interval, nothing else. Members send it with every heartbeat, so a coordinator that moved or a
/// client that reconnected has it again at the next one.
/// </summary>
[Alias("orlog.group-member-observer")]
public interface IGroupMemberObserver : IGrainObserver
{
    [Alias("assignment-changed")]
    [OneWay]
    void AssignmentChanged(string groupId);
}
