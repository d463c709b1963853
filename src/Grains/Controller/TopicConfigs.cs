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
