using Orlog.Grains;

namespace Orlog.Client;

/// <summary>What a member does next: wait (for <see cref="WaitMs"/>, -1 until something happens), heartbeat, or leave.</summary>
internal readonly record struct MemberStep(MemberStepKind Kind, GroupHeartbeatRequest? Request, long WaitMs)
{
    public static MemberStep Wait(long waitMs) => new(MemberStepKind.Wait, null, waitMs);

    public static MemberStep Heartbeat(GroupHeartbeatRequest request) => new(MemberStepKind.Heartbeat, request, 0);

    /// <summary>A leave; without a request when the group never heard of the member.</summary>
    public static MemberStep Leave(GroupHeartbeatRequest? request) => new(MemberStepKind.Leave, request, 0);
}

internal enum MemberStepKind
{
    Wait,
    Heartbeat,
    Leave,
}
