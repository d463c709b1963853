namespace Orlog.Grains.Groups.Consumer;

/// <summary>
/// A server-side (KIP-848) group's members and target assignment as persisted with the group's state, so that
/// a coordinator that moves to another silo carries on with the same members, epochs and assignment instead
/// of making every member join again. Deadlines are not kept: a restored member has a full session from the
/// moment its coordinator comes back.
/// </summary>
[GenerateSerializer, Alias("orlog.consumer-group-snapshot")]
public sealed class ConsumerGroupSnapshot
{
    [Id(0)]
    public int AssignmentEpoch { get; set; }

    [Id(1)]
    public List<ConsumerGroupMemberRecord> Members { get; set; } = [];

    /// <summary>The target assignment: member id → its partitions.</summary>
    [Id(2)]
    public Dictionary<string, List<TopicPartition>> Target { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The group epoch.</summary>
    [Id(3)]
    public int Epoch { get; set; }
}

/// <summary>One member of a <see cref="ConsumerGroupSnapshot"/>.</summary>
[GenerateSerializer, Alias("orlog.consumer-group-member-record")]
public sealed class ConsumerGroupMemberRecord
{
    [Id(0)]
    public string MemberId { get; set; } = "";

    [Id(1)]
    public string? InstanceId { get; set; }

    [Id(2)]
    public string ClientId { get; set; } = "";

    [Id(3)]
    public string ClientHost { get; set; } = "";

    [Id(4)]
    public int SessionTimeoutMs { get; set; }

    [Id(5)]
    public int RebalanceTimeoutMs { get; set; }

    [Id(6)]
    public string? ServerAssignor { get; set; }

    [Id(7)]
    public List<string> SubscribedTopicNames { get; set; } = [];

    [Id(8)]
    public string? SubscribedTopicRegex { get; set; }

    [Id(9)]
    public List<string> ResolvedTopics { get; set; } = [];

    [Id(10)]
    public int MemberEpoch { get; set; }

    [Id(11)]
    public int PreviousMemberEpoch { get; set; } = -1;

    [Id(12)]
    public List<TopicPartition> Owned { get; set; } = [];

    [Id(13)]
    public List<TopicPartition> Revoking { get; set; } = [];

    [Id(14)]
    public bool StaticLeft { get; set; }
}
