namespace Orlog.Client;

/// <summary>What a member does next: wait (for <see cref="WaitMs"/>, -1 until something happens), make a call, or leave.</summary>
internal readonly record struct MemberStep(MemberStepKind Kind, MemberCall? Call, long WaitMs)
{
    public static MemberStep Wait(long waitMs) => new(MemberStepKind.Wait, null, waitMs);

    public static MemberStep Send(MemberCall call) => new(MemberStepKind.Send, call, 0);

    /// <summary>A leave because Consume was not called in time; without a call when the group never heard of the member.</summary>
    public static MemberStep Leave(MemberCall? call) => new(MemberStepKind.Leave, call, 0);
}

internal enum MemberStepKind
{
    Wait,
    Send,
    Leave,
}
