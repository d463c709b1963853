namespace Orlog.Kafka.Server;

/// <summary>
/// Topic and config administration behind the Kafka listener: the silo maps it onto the controller (the one the
/// SDK's admin client and the CLI use). Refusals come back as Kafka codes with a message.
/// </summary>
public interface IKafkaAdmin
{
    /// <summary>Creates a topic (-1 partitions or replication factor: the broker's defaults), or only checks that it could.</summary>
    Task<KafkaTopicOutcome> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly,
        CancellationToken cancellationToken);

    Task<KafkaOutcome> DeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>Grows a topic to <paramref name="totalCount"/> partitions, or only checks that it could.</summary>
    Task<KafkaOutcome> CreatePartitionsAsync(string name, int totalCount, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Every config of a topic with its value in force and its source.</summary>
    Task<KafkaConfigsOutcome> DescribeTopicConfigsAsync(string name, CancellationToken cancellationToken);

    /// <summary>auto.create.topics.enable: whether Metadata creates a topic it is asked for that does not exist.</summary>
    bool AutoCreateTopics { get; }

    /// <summary>This broker's settings, as set at its start or by default.</summary>
    IReadOnlyList<KafkaConfigEntry> BrokerConfigs { get; }

    /// <summary>Sets (a value) or removes (null) topic configs, or only checks that it could.</summary>
    Task<KafkaOutcome> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Every group with its protocol type, state and type ("classic" or "consumer").</summary>
    Task<IReadOnlyList<KafkaGroupListing>> ListGroupsAsync(CancellationToken cancellationToken);

    /// <summary>A group's state, protocol and members (a group that does not exist is Dead with no members).</summary>
    Task<KafkaGroupDescription> DescribeGroupAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>Deletes an empty group and its offsets.</summary>
    Task<ErrorCode> DeleteGroupAsync(string groupId, CancellationToken cancellationToken);
}

/// <summary>An admin call's code and message (null when it succeeded).</summary>
public readonly record struct KafkaOutcome(ErrorCode Error, string? Message)
{
    public static KafkaOutcome Ok => new(ErrorCode.None, null);
}

/// <summary>A created (or checked) topic: its id, size and configs.</summary>
public sealed record KafkaTopicOutcome(ErrorCode Error, string? Message, Guid TopicId, int Partitions, short ReplicationFactor, IReadOnlyList<KafkaConfigEntry> Configs);

/// <summary>A topic's configs, or the error that refused to describe them.</summary>
public sealed record KafkaConfigsOutcome(ErrorCode Error, string? Message, IReadOnlyList<KafkaConfigEntry> Configs);

/// <summary>One config: its value in force, where it comes from, and whether it can be changed through the API.</summary>
public sealed record KafkaConfigEntry(string Name, string? Value, KafkaConfigSource Source, bool ReadOnly);

/// <summary>Kafka's config sources (the values DescribeConfigs writes).</summary>
public enum KafkaConfigSource : sbyte
{
    TopicConfig = 1,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
}

/// <summary>A group in a listing.</summary>
public sealed record KafkaGroupListing(string GroupId, string ProtocolType, string State, string Type);

/// <summary>A group as DescribeGroups shows it; members carry their subscription and assignment in the consumer protocol's bytes.</summary>
public sealed record KafkaGroupDescription(ErrorCode Error, string GroupId, string State, string ProtocolType, string ProtocolName, IReadOnlyList<KafkaGroupMember> Members);

/// <summary>A member as DescribeGroups shows it.</summary>
public sealed record KafkaGroupMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);
