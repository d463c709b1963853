namespace Orlog.Client.Admin;

/// <summary>What a config belongs to (Kafka's resource types, with their protocol numbers).</summary>
public enum ResourceType
{
    Unknown = 0,
    Any = 1,
    Topic = 2,
    Group = 3,
    Broker = 4,
}

/// <summary>A topic or broker whose configs are described or altered (Confluent.Kafka's ConfigResource).</summary>
public sealed class ConfigResource : IEquatable<ConfigResource>
{
    public ResourceType Type { get; set; }

    /// <summary>The topic's name, or the broker's id as a number.</summary>
    public string Name { get; set; } = "";

    public bool Equals(ConfigResource? other) => other is not null && other.Type == Type && other.Name == Name;

    public override bool Equals(object? obj) => Equals(obj as ConfigResource);

    public override int GetHashCode() => HashCode.Combine(Type, Name);

    public static bool operator ==(ConfigResource? a, ConfigResource? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(ConfigResource? a, ConfigResource? b) => !(a == b);

    public override string ToString() => $"[{Type}] {Name}";
}

/// <summary>What an incremental alter does to a config (Kafka's OpType).</summary>
public enum AlterConfigOpType
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

/// <summary>A config to set (Confluent.Kafka's ConfigEntry).</summary>
public sealed class ConfigEntry
{
    public string Name { get; set; } = "";

    /// <summary>The value; ignored by <see cref="AlterConfigOpType.Delete"/>.</summary>
    public string? Value { get; set; }

    /// <summary>What <see cref="IAdminClient.IncrementalAlterConfigsAsync"/> does with it (AlterConfigsAsync only sets).</summary>
    public AlterConfigOpType IncrementalOperation { get; set; }

    public override string ToString() => $"{Name}={Value}";
}

/// <summary>Where a described config's value comes from (Kafka's ConfigSource).</summary>
public enum ConfigSource
{
    UnknownConfig = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    GroupConfig = 8,
}

/// <summary>A value a described config would have from another source.</summary>
public sealed class ConfigSynonym
{
    public string Name { get; init; } = "";
    public string? Value { get; init; }
    public ConfigSource Source { get; init; }
}

/// <summary>A described config: its value in force and where it comes from (Confluent.Kafka's ConfigEntryResult).</summary>
public sealed class ConfigEntryResult
{
    public string Name { get; init; } = "";
    public string? Value { get; init; }
    public ConfigSource Source { get; init; }

    /// <summary>The value is the default (nothing set on the topic or the broker).</summary>
    public bool IsDefault { get; init; }
    public bool IsReadOnly { get; init; }
    public bool IsSensitive { get; init; }
    public List<ConfigSynonym> Synonyms { get; init; } = [];

    public override string ToString() => $"{Name}={Value} ({Source})";
}

/// <summary>The configs of one resource (Confluent.Kafka's DescribeConfigsResult).</summary>
public sealed class DescribeConfigsResult
{
    public required ConfigResource ConfigResource { get; init; }
    public Dictionary<string, ConfigEntryResult> Entries { get; init; } = [];
}

/// <summary>One resource altered by <see cref="IAdminClient.IncrementalAlterConfigsAsync"/>.</summary>
public sealed class IncrementalAlterConfigsResult
{
    public required ConfigResource ConfigResource { get; init; }
}
