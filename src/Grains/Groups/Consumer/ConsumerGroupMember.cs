using System.Text.RegularExpressions;

namespace Orlog.Grains.Groups.Consumer;

/// <summary>
/// One member of a server-side (KIP-848) group as the coordinator tracks it: its subscription, its epoch, the
/// partitions it owns (<see cref="Owned"/>, including those it was asked to give up and has not yet let go)
/// and its deadlines.
/// </summary>
internal sealed class ConsumerGroupMember
{
    public ConsumerGroupMember(string memberId)
    {
        MemberId = memberId;
    }

    public string MemberId { get; set; }

    public string? InstanceId { get; set; }

    public string ClientId { get; set; } = "";

    public string ClientHost { get; set; } = "";

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string? ServerAssignor { get; set; }

    public HashSet<string> SubscribedTopicNames { get; set; } = new(StringComparer.Ordinal);

    public string? SubscribedTopicRegex { get; set; }

    public Regex? CompiledRegex { get; set; }

    /// <summary>The epoch the member is at; it moves to the assignment epoch once it has given up what it had to.</summary>
    public int MemberEpoch { get; set; }

    /// <summary>The epoch before the last move: a heartbeat at this epoch is a retry whose answer was lost.</summary>
    public int PreviousMemberEpoch { get; set; } = -1;

    /// <summary>Partitions this member owns, as far as the coordinator knows (revocations not yet acknowledged included).</summary>
    public HashSet<TopicPartition> Owned { get; } = [];

    /// <summary>Owned partitions the member was asked to give up.</summary>
    public HashSet<TopicPartition> Revoking { get; } = [];

    /// <summary>The assignment last sent to the member (what it should own), to send only changes.</summary>
    public HashSet<TopicPartition>? LastSent { get; set; }

    public long SessionDeadlineMs { get; set; }

    /// <summary>When the member must have given up <see cref="Revoking"/> (long.MaxValue when nothing is being revoked).</summary>
    public long RevocationDeadlineMs { get; set; } = long.MaxValue;

    /// <summary>A static member that left for a while (epoch -2): it keeps its partitions until its session ends.</summary>
    public bool StaticLeft { get; set; }

    /// <summary>The topic names this member subscribes to, its regex resolved against the existing topics.</summary>
    public HashSet<string> ResolvedTopics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What the member should own now: <see cref="Owned"/> without what it is giving up.</summary>
    public HashSet<TopicPartition> CurrentView()
    {
        var view = new HashSet<TopicPartition>(Owned);
        view.ExceptWith(Revoking);
        return view;
    }
}
