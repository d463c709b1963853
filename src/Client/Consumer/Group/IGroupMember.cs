namespace Orlog.Client;

/// <summary>
/// A consumer's membership of its group, in one of the two dialects (<see cref="GroupMember"/>: KIP-848;
/// <see cref="ClassicMember"/>: JoinGroup and SyncGroup), as a plain state machine with the clock passed in. The
/// <see cref="MembershipLoop"/> asks it for the next step, makes the calls it asks for and hands it the answers;
/// the consuming thread learns what changed through <see cref="TryTakeChange"/> and <see cref="Target"/>, and reports
/// what it owns with <see cref="Reconciled"/>. Nothing here does I/O.
/// </summary>
internal interface IGroupMember
{
    /// <summary>The member id ("" until a classic member is given one).</summary>
    string MemberId { get; }

    /// <summary>The member epoch or generation commits carry: 0 while not in the group.</summary>
    int Epoch { get; }

    /// <summary>The group has accepted this member at least once.</summary>
    bool HasJoined { get; }

    bool IsSubscribed { get; }

    /// <summary>The group's latest assignment for this member in this membership (null: none yet).</summary>
    IReadOnlySet<TopicPartition>? Target { get; }

    /// <summary>Changes with every new <see cref="Target"/>.</summary>
    int TargetVersion { get; }

    /// <summary>What the consuming thread last said it owns.</summary>
    IReadOnlySet<TopicPartition> Owned { get; }

    /// <summary>Waiting for the consuming thread to let go of its partitions after the membership ended.</summary>
    bool AwaitingRelease { get; }

    /// <summary>Subscribes (or changes the subscription).</summary>
    void Subscribe(TopicSubscription subscription);

    /// <summary>Ends the membership for good (Unsubscribe, Close); returns the leave to send, or null when there is none to send.</summary>
    MemberCall? Leave();

    /// <summary>The consuming thread acted on the changes: it owns <paramref name="owned"/> now.</summary>
    void Reconciled(IEnumerable<TopicPartition> owned);

    /// <summary>Heartbeats at the next step (a commit found its epoch stale, or the application asked).</summary>
    void HeartbeatNow();

    /// <summary>The next change for the consuming thread, if any.</summary>
    bool TryTakeChange(out MemberChange change);

    /// <summary>What to do now, given whether the application is inside Consume and when it last left it.</summary>
    MemberStep Next(bool polling, long lastPollMs);

    /// <summary>Takes the answer to <paramref name="call"/>; returns what to log when it is a retriable failure, else null.</summary>
    string? OnAnswer(MemberCall call, object answer);

    /// <summary>The call got no answer (timeout, lost connection): returns what to log.</summary>
    string OnNoAnswer(MemberCall call, string error);

    /// <summary>The group refused the member in a way no retry helps (a bad group id).</summary>
    void OnRefused(KafkaException error);
}
