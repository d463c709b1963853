namespace Orlog.Client.Admin;

/// <summary>
/// A consumer group as <see cref="IAdminClient.DescribeConsumerGroupsAsync"/> and
/// <see cref="IAdminClient.DescribeConsumerGroupAsync"/> describe it (Confluent.Kafka's ConsumerGroupDescription,
/// with Orlog's epoch and per-partition lag beside it).
/// </summary>
public sealed class ConsumerGroupDescription
{
    public string GroupId { get; init; } = "";

    /// <summary>None, or why the group could not be described (GROUP_ID_NOT_FOUND).</summary>
    public Error Error { get; init; } = new(ErrorCode.None);

    /// <summary>A group that only stores offsets (no members ever joined).</summary>
    public bool IsSimpleConsumerGroup { get; init; }

    /// <summary>The server-side assignor, or the protocol the classic group chose ("" when none).</summary>
    public string PartitionAssignor { get; init; } = "";

    public ConsumerGroupState State { get; init; }

    /// <summary>Kafka's group type: consumer (server-side assignment) or classic.</summary>
    public ConsumerGroupType GroupType { get; init; }

    /// <summary>The broker whose silo hosts the group's coordinator.</summary>
    public Node? Coordinator { get; init; }

    /// <summary>The members with the partitions they own now.</summary>
    public List<MemberDescription> Members { get; init; } = [];

    /// <summary>The group epoch (server-side) or generation (classic).</summary>
    public int Epoch { get; init; }

    /// <summary>One row per partition that is assigned or has a committed offset, by topic and partition.</summary>
    public List<GroupPartitionLag> Partitions { get; init; } = [];

    public override string ToString() => $"{GroupId} ({State}, {GroupType}): {Members.Count} members";
}

/// <summary>A member of a described consumer group.</summary>
public sealed class MemberDescription
{
    /// <summary>The member's id.</summary>
    public string ConsumerId { get; init; } = "";

    /// <summary>The static member's group.instance.id, or null.</summary>
    public string? GroupInstanceId { get; init; }

    public string ClientId { get; init; } = "";

    /// <summary>The host the member connected from.</summary>
    public string Host { get; init; } = "";

    /// <summary>The partitions the member owns now.</summary>
    public MemberAssignment Assignment { get; init; } = new();

    /// <summary>The partitions the coordinator means it to own (consumer groups), or null.</summary>
    public MemberAssignment? TargetAssignment { get; init; }

    public override string ToString() => $"{ConsumerId} ({ClientId}@{Host}): {Assignment}";
}

/// <summary>Partitions of a member.</summary>
public sealed class MemberAssignment
{
    public List<TopicPartition> TopicPartitions { get; init; } = [];

    public override string ToString() => string.Join(", ", TopicPartitions);
}

/// <summary>What <see cref="IAdminClient.DescribeConsumerGroupsAsync"/> returns, in the order asked.</summary>
public sealed class DescribeConsumerGroupsResult
{
    public List<ConsumerGroupDescription> ConsumerGroupDescriptions { get; init; } = [];

    public override string ToString() => string.Join(", ", ConsumerGroupDescriptions);
}

/// <summary>A group's committed offsets (Confluent.Kafka's ListConsumerGroupOffsetsResult).</summary>
public sealed class ListConsumerGroupOffsetsResult
{
    public string Group { get; init; } = "";

    /// <summary>Each partition asked (or with an offset), its offset <see cref="Offset.Unset"/> where none is committed.</summary>
    public List<TopicPartitionOffsetError> Partitions { get; init; } = [];

    public override string ToString() => $"{Group}: {string.Join(", ", Partitions)}";
}

/// <summary>The offsets committed for a group by <see cref="IAdminClient.AlterConsumerGroupOffsetsAsync(IEnumerable{ConsumerGroupTopicPartitionOffsets}, AlterConsumerGroupOffsetsOptions?, CancellationToken)"/>.</summary>
public sealed class AlterConsumerGroupOffsetsResult
{
    public string Group { get; init; } = "";
    public List<TopicPartitionOffset> Partitions { get; init; } = [];

    public override string ToString() => $"{Group}: {string.Join(", ", Partitions)}";
}
