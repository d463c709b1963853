using System.Globalization;
using Orlog.Log;

namespace Orlog.Grains.Hosting;

/// <summary>How a broker setting's value is written.</summary>
public enum BrokerSettingKind
{
    Int,
    Long,
    Bool,

    /// <summary>The default of a topic config: its type, default and range are the storage engine's (<see cref="LogConfig"/>).</summary>
    TopicDefault,
}

/// <summary>One broker setting by Kafka's broker config name: its type, default, range and what it does in Orlog.</summary>
public sealed record BrokerSetting(string Name, BrokerSettingKind Kind, string Description)
{
    /// <summary>The value when the broker does not set it (for <see cref="BrokerSettingKind.TopicDefault"/>: the topic config's default).</summary>
    public string Default { get; init; } = "";

    public long Min { get; init; }

    public long Max { get; init; } = int.MaxValue;

    /// <summary>The topic config this is the broker-wide default of (<c>log.roll.ms</c> of <c>segment.ms</c>), or null.</summary>
    public string? TopicConfig { get; init; }

    /// <summary>Why <paramref name="value"/> is not a valid value ("is out of range: ..."), or null when it is.</summary>
    public string? Check(string value)
    {
        switch (Kind)
        {
            case BrokerSettingKind.Bool:
                return value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)
                    ? null
                    : "must be true or false.";
            case BrokerSettingKind.TopicDefault:
                try
                {
                    _ = new LogConfig().With([new KeyValuePair<string, string>(TopicConfig!, value)]);
                    return null;
                }
                catch (KafkaException e)
                {
                    // The engine's message starts "segment.bytes=VALUE ...": the caller names the broker setting and value itself.
                    var prefix = $"{TopicConfig}={value} ";
                    var quoted = $"{TopicConfig}='{value}' ";
                    return e.Detail.StartsWith(prefix, StringComparison.Ordinal) ? e.Detail[prefix.Length..]
                        : e.Detail.StartsWith(quoted, StringComparison.Ordinal) ? e.Detail[quoted.Length..]
                        : e.Detail;
                }
            default:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Kind == BrokerSettingKind.Int ? "is not a 32-bit integer." : "is not a 64-bit integer.";
                }
                return parsed < Min || parsed > Max ? $"is out of range: it must be between {Min} and {Max}." : null;
        }
    }

    /// <summary>The range as the docs show it.</summary>
    public string Range => Kind switch
    {
        BrokerSettingKind.Bool => "true, false",
        BrokerSettingKind.TopicDefault => $"as {TopicConfig}",
        _ when Max == int.MaxValue || Max == long.MaxValue => $"at least {Min}",
        _ => $"{Min} .. {Max}",
    };
}

/// <summary>
/// The one definition of the broker scope: every broker setting Orlog takes (under Orlog:Defaults, by Kafka's broker
/// config names), with its type, default and range. <see cref="BrokerDefaults"/> reads the settings with it,
/// <see cref="BrokerOptionsValidator"/> checks them with it at start, and the docs' table (docs/configuration.md) is
/// written from it.
/// </summary>
public static class BrokerSettings
{
    private static readonly Dictionary<string, BrokerSetting> _byName = new(StringComparer.Ordinal);

    public static readonly BrokerSetting NumPartitions = Add(new(BrokerDefaults.NumPartitionsName, BrokerSettingKind.Int,
        "Partitions of a topic created without a count (auto-created topics too).")
    { Default = "1", Min = 1 });

    public static readonly BrokerSetting DefaultReplicationFactor = Add(new(BrokerDefaults.DefaultReplicationFactorName, BrokerSettingKind.Int,
        "Replicas per partition of a topic created without a replication factor.")
    { Default = "1", Min = 1, Max = short.MaxValue });

    public static readonly BrokerSetting AutoCreateTopics = Add(new(BrokerDefaults.AutoCreateTopicsName, BrokerSettingKind.Bool,
        "Whether a Kafka client's metadata request for an unknown topic creates it (false in Orlog: a typo must not create a topic).")
    { Default = "false" });

    public static readonly BrokerSetting RetentionCheckIntervalMs = Add(new(BrokerDefaults.RetentionCheckIntervalMsName, BrokerSettingKind.Int,
        "How often retention deletes old segments.")
    { Default = "300000", Min = 1 });

    public static readonly BrokerSetting MinInsyncReplicas = Add(new(BrokerDefaults.MinInsyncReplicasName, BrokerSettingKind.Int,
        "The default of the topic config min.insync.replicas: with acks=all, a write needs this many in-sync replicas.")
    { Default = "1", Min = 1 });

    public static readonly BrokerSetting UncleanLeaderElection = Add(new(BrokerDefaults.UncleanLeaderElectionName, BrokerSettingKind.Bool,
        "The default of the topic config unclean.leader.election.enable.")
    { Default = "false" });

    public static readonly BrokerSetting AutoLeaderRebalance = Add(new(BrokerDefaults.AutoLeaderRebalanceName, BrokerSettingKind.Bool,
        "A partition's preferred replica (the first) takes leadership back once it is in sync again.")
    { Default = "true" });

    public static readonly BrokerSetting ReplicaLagTimeMaxMs = Add(new(BrokerDefaults.ReplicaLagTimeMaxMsName, BrokerSettingKind.Int,
        "A follower that has not caught up with the leader's log end for this long leaves the ISR.")
    { Default = "30000", Min = 1 });

    public static readonly BrokerSetting ReplicaFetchMaxBytes = Add(new(BrokerDefaults.ReplicaFetchMaxBytesName, BrokerSettingKind.Int,
        "What a follower asks for per partition in one fetch (a larger first batch still comes whole).")
    { Default = "1048576", Min = 1024 });

    public static readonly BrokerSetting ReplicaFetchWaitMaxMs = Add(new(BrokerDefaults.ReplicaFetchWaitMaxMsName, BrokerSettingKind.Int,
        "How long a leader holds a follower's fetch when nothing is new.")
    { Default = "500", Min = 0 });

    public static readonly BrokerSetting LeaderReplicationThrottledRate = Add(new(BrokerDefaults.LeaderReplicationThrottledRateName, BrokerSettingKind.Long,
        "Bytes per second a leader sends, all partitions together, to replicas that copy a partition for a reassignment; the ISR is never throttled. Read at start.")
    { Default = long.MaxValue.ToString(CultureInfo.InvariantCulture), Min = BrokerDefaults.MinLeaderReplicationThrottledRate, Max = long.MaxValue });

    public static readonly BrokerSetting GroupMinSessionTimeoutMs = Add(new(BrokerDefaults.GroupMinSessionTimeoutMsName, BrokerSettingKind.Int,
        "The shortest session.timeout.ms a group member may ask for.")
    { Default = "6000", Min = 1 });

    public static readonly BrokerSetting GroupMaxSessionTimeoutMs = Add(new(BrokerDefaults.GroupMaxSessionTimeoutMsName, BrokerSettingKind.Int,
        "The longest session.timeout.ms a group member may ask for.")
    { Default = "1800000", Min = 1 });

    public static readonly BrokerSetting GroupInitialRebalanceDelayMs = Add(new(BrokerDefaults.GroupInitialRebalanceDelayMsName, BrokerSettingKind.Int,
        "How long a new classic group waits for more members before its first rebalance.")
    { Default = "3000", Min = 0 });

    public static readonly BrokerSetting GroupConsumerHeartbeatIntervalMs = Add(new(BrokerDefaults.GroupConsumerHeartbeatIntervalMsName, BrokerSettingKind.Int,
        "The heartbeat interval the coordinator gives members of consumer-protocol groups (KIP-848).")
    { Default = "5000", Min = 1 });

    public static readonly BrokerSetting GroupMaxSize = Add(new(BrokerDefaults.GroupMaxSizeName, BrokerSettingKind.Int,
        "The most members a group takes; one more is refused with GROUP_MAX_SIZE_REACHED.")
    { Default = int.MaxValue.ToString(CultureInfo.InvariantCulture), Min = 1 });

    public static readonly BrokerSetting OffsetsRetentionMinutes = Add(new(BrokerDefaults.OffsetsRetentionMinutesName, BrokerSettingKind.Int,
        "How long an empty group's committed offsets are kept.")
    { Default = "10080", Min = 1 });

    public static readonly BrokerSetting OffsetsRetentionCheckIntervalMs = Add(new(BrokerDefaults.OffsetsRetentionCheckIntervalMsName, BrokerSettingKind.Int,
        "How often expired offsets are removed.")
    { Default = "600000", Min = 1 });

    static BrokerSettings()
    {
        var log = new LogConfig();
        foreach (var (broker, topic) in BrokerDefaults.LogConfigNames)
        {
            Add(new(broker, BrokerSettingKind.TopicDefault, $"The default of the topic config {topic}.") { TopicConfig = topic, Default = log.ValueOf(topic) ?? "" });
        }
    }

    /// <summary>Kafka's broker names Orlog does not take, with the one to use instead.</summary>
    public static IReadOnlyDictionary<string, string> InsteadOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["log.retention.hours"] = "log.retention.ms",
        ["log.retention.minutes"] = "log.retention.ms",
        ["log.roll.hours"] = "log.roll.ms",
        ["log.segment.ms"] = "log.roll.ms",
        ["log.flush.interval.ms.per.topic"] = "log.flush.interval.ms",
        ["broker.id"] = $"{BrokerOptions.SectionName}:BrokerId",
        ["log.dirs"] = $"{BrokerOptions.SectionName}:DataDirectory",
        ["log.dir"] = $"{BrokerOptions.SectionName}:DataDirectory",
    };

    /// <summary>Every broker setting, by name.</summary>
    public static IEnumerable<BrokerSetting> All => _byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    public static BrokerSetting? Find(string name) => _byName.GetValueOrDefault(name);

    private static BrokerSetting Add(BrokerSetting setting)
    {
        _byName.Add(setting.Name, setting);
        return setting;
    }
}
