using System.Globalization;
using Orlog.Grains.Hosting;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Grains.Controller;

/// <summary>The topic configs Orlog accepts (Kafka's names), checked before a topic is created or altered.</summary>
public static class TopicConfigs
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string UncleanLeaderElection = "unclean.leader.election.enable";

    public static IReadOnlyList<string> Names { get; } = [.. LogConfig.Names, CleanupPolicy, MinInsyncReplicas, UncleanLeaderElection];

    /// <summary>
    /// Every topic config with the value in force and where it comes from (Kafka's DescribeConfigs): set on the
    /// topic, set on the broker (its broker-level name in <paramref name="brokerSettings"/>), or the default.
    /// </summary>
    public static IReadOnlyList<TopicConfigValue> Describe(IReadOnlyDictionary<string, string> topicConfigs, IReadOnlyDictionary<string, string> brokerSettings)
    {
        var defaults = new BrokerDefaults(brokerSettings);
        var brokerNames = BrokerDefaults.LogConfigNames.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        brokerNames[MinInsyncReplicas] = BrokerDefaults.MinInsyncReplicasName;
        brokerNames[UncleanLeaderElection] = BrokerDefaults.UncleanLeaderElectionName;
        var described = new List<TopicConfigValue>();
        foreach (var name in Names)
        {
            if (topicConfigs.TryGetValue(name, out var own))
            {
                described.Add(new TopicConfigValue(name, own, TopicConfigSource.Topic));
                continue;
            }
            var value = name switch
            {
                CleanupPolicy => "delete",
                MinInsyncReplicas => defaults.Replication.MinInsyncReplicas.ToString(CultureInfo.InvariantCulture),
                UncleanLeaderElection => defaults.Replication.UncleanLeaderElection ? "true" : "false",
                _ => defaults.LogConfig.ValueOf(name) ?? "",
            };
            var fromBroker = brokerNames.TryGetValue(name, out var brokerName) && brokerSettings.ContainsKey(brokerName);
            described.Add(new TopicConfigValue(name, value, fromBroker ? TopicConfigSource.Broker : TopicConfigSource.Default));
        }
        return described;
    }

    /// <summary>Throws INVALID_CONFIG naming the first unknown name or bad value.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> configs, BrokerDefaults defaults, short replicationFactor)
    {
        foreach (var (name, value) in configs)
        {
            if (!Names.Contains(name))
            {
                throw new KafkaException(ErrorCode.InvalidConfig, $"Unknown topic config '{name}'. Known: {string.Join(", ", Names)}.");
            }
            switch (name)
            {
                case CleanupPolicy when value != "delete":
                    throw new KafkaException(ErrorCode.InvalidConfig, $"{CleanupPolicy}='{value}' is not supported: only 'delete' (compaction is not implemented yet).");
                case MinInsyncReplicas when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var min) || min < 1 || min > replicationFactor:
                    throw new KafkaException(ErrorCode.InvalidConfig, $"{MinInsyncReplicas}='{value}' must be between 1 and the replication factor {replicationFactor}.");
                case UncleanLeaderElection when value is not ("true" or "false"):
                    throw new KafkaException(ErrorCode.InvalidConfig, $"{UncleanLeaderElection}='{value}' must be true or false.");
            }
        }
        defaults.LogConfigFor(configs);
    }
}

/// <summary>Where a topic config's value in force comes from.</summary>
public enum TopicConfigSource
{
    /// <summary>Set on the topic.</summary>
    Topic,

    /// <summary>Set on the broker, for every topic that does not set it.</summary>
    Broker,

    /// <summary>Nobody set it.</summary>
    Default,
}

/// <summary>A topic config's value in force and its source.</summary>
public sealed record TopicConfigValue(string Name, string Value, TopicConfigSource Source);
