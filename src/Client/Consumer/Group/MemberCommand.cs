namespace Orlog.Client;

/// <summary>What the consuming thread asks of the membership loop.</summary>
internal abstract record MemberCommand
{
    public sealed record Subscribe(TopicSubscription Subscription) : MemberCommand;

    /// <summary>Leave the group; <see cref="Done"/> completes once the leave was sent (or could not be).</summary>
    public sealed record Leave(TaskCompletionSource Done) : MemberCommand;

    /// <summary>The consuming thread owns <see cref="Owned"/> after acting on the changes up to target version <see cref="TargetVersion"/>.</summary>
    public sealed record Reconciled(IReadOnlyList<TopicPartition> Owned, int TargetVersion) : MemberCommand;

    /// <summary>The coordinator said the next heartbeat has news: send it now.</summary>
    public sealed record Told : MemberCommand;

    /// <summary>Heartbeat now; <see cref="Answered"/> completes when the answer is in (or there is no membership to heartbeat).</summary>
    public sealed record Heartbeat(TaskCompletionSource Answered) : MemberCommand;
}

/// <summary>Who the member is now, for commits: its id and epoch (0: not in the group).</summary>
internal sealed record MemberIdentity(string MemberId, int Epoch, bool HasJoined);
