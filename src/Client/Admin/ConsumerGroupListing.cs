namespace Orlog.Client.Admin;

/// <summary>A consumer group as <see cref="IAdminClient.ListConsumerGroupsAsync"/> lists it.</summary>
public sealed class ConsumerGroupListing
{
    public string GroupId { get; init; } = "";
    public ConsumerGroupState State { get; init; }

    /// <summary>Kafka's group type: consumer (server-side assignment) or classic.</summary>
    public ConsumerGroupType Type { get; init; }

    /// <summary>A group that only stores offsets (no members ever joined: its protocol type is empty).</summary>
    public bool IsSimpleConsumerGroup { get; init; }

    /// <summary>The protocol type ("consumer" for consumer groups, "" for a group made by offset commits alone).</summary>
    public string ProtocolType { get; init; } = "";

    public override string ToString() => $"{GroupId} ({State}, {Type})";
}

/// <summary>What <see cref="IAdminClient.ListConsumerGroupsAsync"/> returns: the groups, by id.</summary>
public sealed class ListConsumerGroupsResult
{
    public List<ConsumerGroupListing> Valid { get; init; } = [];

    public override string ToString() => string.Join(", ", Valid);
}
