using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// A call a group member asks its loop to make; the loop makes it and hands the answer back to the member. The
/// member decides what to send, the loop only sends it: the member stays plain and testable.
/// </summary>
internal abstract record MemberCall
{
    /// <summary>A call the coordinator may hold until a rebalance completes (classic JoinGroup and SyncGroup).</summary>
    public virtual bool WaitsForRebalance => false;
}

/// <summary>KIP-848's ConsumerGroupHeartbeat (join, heartbeat or leave); the answer is a <see cref="GroupHeartbeatResponse"/>.</summary>
internal sealed record HeartbeatCall(GroupHeartbeatRequest Request) : MemberCall;

/// <summary>Classic JoinGroup; the answer is a <see cref="JoinGroupResponse"/>.</summary>
internal sealed record JoinCall(JoinGroupRequest Request) : MemberCall
{
    public override bool WaitsForRebalance => true;
}

/// <summary>Classic SyncGroup; the answer is a <see cref="SyncGroupResponse"/>.</summary>
internal sealed record SyncCall(SyncGroupRequest Request) : MemberCall
{
    public override bool WaitsForRebalance => true;
}

/// <summary>Classic Heartbeat; the answer is an <see cref="ErrorCode"/>.</summary>
internal sealed record ClassicHeartbeatCall(string MemberId, int GenerationId, string? GroupInstanceId) : MemberCall;

/// <summary>Classic LeaveGroup for this member; the answer is its <see cref="LeaveGroupResult"/>.</summary>
internal sealed record LeaveCall(LeavingMember Member) : MemberCall;

/// <summary>The cluster's topics with their partition counts (not a group call); the answer is a <see cref="TopicCounts"/>.</summary>
internal sealed record TopicsCall : MemberCall;

/// <summary>Every topic of the cluster and its partition count.</summary>
internal sealed record TopicCounts(IReadOnlyDictionary<string, int> Partitions);
