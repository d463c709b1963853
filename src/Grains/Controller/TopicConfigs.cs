using System.Globalization;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Controller;

/// <summary>The topic configs Orlog accepts (Kafka's names), checked before a topic is created or altered.</summary>
public static class TopicConfigs
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string UncleanLeaderElection = "unclean.leader.election.enable";

    public const string CompressionType = "compression.type";
    public const string RemoteStorage = "remote.storage.enable";

    /// <summary>The topic configs Orlog applies (<see cref="TopicSettings"/> has every one Kafka knows).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. TopicSettings.All.Where(s => s.Effect == TopicSettingEffect.Applied).Select(s => s.Name)];

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
                CompressionType => "producer",
                RemoteStorage => "false",
                MinInsyncReplicas => defaults.Replication.MinInsyncReplicas.ToString(CultureInfo.InvariantCulture),
                UncleanLeaderElection => defaults.Replication.UncleanLeaderElection ? "true" : "false",
                _ => defaults.LogConfig.ValueOf(name) ?? "",
            };
            var fromBroker = brokerNames.TryGetValue(name, out var brokerName) && brokerSettings.ContainsKey(brokerName);
            described.Add(new TopicConfigValue(name, value, fromBroker ? TopicConfigSource.Broker : TopicConfigSource.Default));
        }
        // Settings with no effect are described as the topic has them.
        foreach (var (name, value) in topicConfigs)
        {
            if (TopicSettings.Find(name) is { Effect: TopicSettingEffect.NoEffect })
            {
                described.Add(new TopicConfigValue(name, value, TopicConfigSource.Topic));
            }
        }
        return described;
    }

    /// <summary>
    /// Throws INVALID_CONFIG naming the first unknown name (with the closest known one), refused setting or bad value.
    /// Settings with no effect in Orlog are accepted (and kept on the topic).
    /// </summary>
    public static void Validate(IReadOnlyDictionary<string, string> configs, BrokerDefaults defaults, short replicationFactor)
    {
        foreach (var (name, value) in configs)
        {
            var setting = TopicSettings.Find(name);
            if (setting is null)
            {
                var closest = TopicSettings.Closest(name);
                var hint = closest is null ? "" : $" Did you mean '{closest}'?";
                throw new KafkaException(ErrorCode.InvalidConfig, $"'{name}' is not a topic config Kafka or Orlog know.{hint} docs/configuration.md lists them.");
            }
            if (setting.Effect == TopicSettingEffect.Refused || setting.Refuse?.Invoke(value) is not null)
            {
                throw new KafkaException(ErrorCode.InvalidConfig, $"{name}='{value}' is not supported by Orlog: {setting.Refuse?.Invoke(value) ?? setting.Why}");
            }
            switch (name)
            {
                case MinInsyncReplicas when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var min) || min < 1 || min > replicationFactor:
                    throw new KafkaException(ErrorCode.InvalidConfig, $"{MinInsyncReplicas}='{value}' must be between 1 and the replication factor {replicationFactor}.");
                case UncleanLeaderElection when value is not ("true" or "false"):
                    throw new KafkaException(ErrorCode.InvalidConfig, $"{UncleanLeaderElection}='{value}' must be true or false.");
            }
        }
        defaults.LogConfigFor(configs);
    }

    /// <summary>The settings among <paramref name="configs"/> that have no effect in Orlog, each with why (said once when a topic takes them).</summary>
    public static IEnumerable<string> NoEffectNotes(IReadOnlyDictionary<string, string> configs)
    {
        foreach (var (name, value) in configs)
        {
            if (TopicSettings.Find(name) is { Effect: TopicSettingEffect.NoEffect } setting)
            {
                yield return $"{name}={value} has no effect in Orlog: {setting.Why}";
            }
        }
    }
}
