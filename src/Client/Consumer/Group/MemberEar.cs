using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// The object the coordinator calls (<see cref="IGroupMemberObserver"/>) when a member's next heartbeat has news; it
/// asks the membership loop to heartbeat at once. Orleans holds observers weakly: the loop keeps this alive.
/// </summary>
internal sealed class MemberEar(MembershipLoop loop) : IGroupMemberObserver
{
    private IGroupMemberObserver? _reference;

    public void AssignmentChanged(string groupId) => loop.Told();

    /// <summary>The reference to send with heartbeats; null where the client cannot take calls (then the member hears at its interval).</summary>
    public IGroupMemberObserver? Reference(IGrainFactory? grains)
    {
        if (grains is null)
        {
            return null;
        }
        try
        {
            return _reference ??= grains.CreateObjectReference<IGroupMemberObserver>(this);
        }
        catch (Exception error) when (error is NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Delete(IGrainFactory? grains)
    {
        if (grains is not null && _reference is not null)
        {
            grains.DeleteObjectReference<IGroupMemberObserver>(_reference);
            _reference = null;
        }
    }
}
