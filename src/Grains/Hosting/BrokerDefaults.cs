using System.Globalization;
using Orlog.Log;

namespace Orlog.Grains.Hosting;

/// <summary>
/// The broker-wide defaults under Kafka's broker config names, and how they map onto topic configs:
/// a topic's own override wins over the broker default, as in Kafka.
/// </summary>
public sealed class BrokerDefaults
{
    /// <summary>Broker config name → the topic config it is the default of.</summary>
    public static IReadOnlyDictionary<string, string> LogConfigNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["log.retention.ms"] = LogConfig.RetentionMsName,
        ["log.retention.bytes"] = LogConfig.RetentionBytesName,
        ["log.segment.bytes"] = LogConfig.SegmentBytesName,
        ["log.roll.ms"] = LogConfig.SegmentMsName,
        ["log.index.interval.bytes"] = LogConfig.IndexIntervalBytesName,
        ["log.index.size.max.bytes"] = LogConfig.SegmentIndexBytesName,
        ["log.flush.interval.messages"] = LogConfig.FlushMessagesName,
        ["log.flush.interval.ms"] = LogConfig.FlushMsName,
        ["message.max.bytes"] = LogConfig.MaxMessageBytesName,
        ["log.message.timestamp.type"] = LogConfig.MessageTimestampTypeName,
        ["producer.id.expiration.ms"] = LogConfig.ProducerIdExpirationMsName,
    };

    public const string NumPartitionsName = "num.partitions";
    public const string DefaultReplicationFactorName = "default.replication.factor";
    public const string AutoCreateTopicsName = "auto.create.topics.enable";
    public const string RetentionCheckIntervalMsName = "log.retention.check.interval.ms";
    public const string MinInsyncReplicasName = "min.insync.replicas";
    public const string UncleanLeaderElectionName = "unclean.leader.election.enable";
    public const string AutoLeaderRebalanceName = "auto.leader.rebalance.enable";
    public const string ReplicaLagTimeMaxMsName = "replica.lag.time.max.ms";
    public const string ReplicaFetchMaxBytesName = "replica.fetch.max.bytes";
    public const string ReplicaFetchWaitMaxMsName = "replica.fetch.wait.max.ms";
    public const string LeaderReplicationThrottledRateName = "leader.replication.throttled.rate";
    public const string GroupMinSessionTimeoutMsName = "group.min.session.timeout.ms";
    public const string GroupMaxSessionTimeoutMsName = "group.max.session.timeout.ms";
    public const string GroupInitialRebalanceDelayMsName = "group.initial.rebalance.delay.ms";
    public const string GroupConsumerHeartbeatIntervalMsName = "group.consumer.heartbeat.interval.ms";
    public const string GroupMaxSizeName = "group.max.size";
    public const string OffsetsRetentionMinutesName = "offsets.retention.minutes";
    public const string OffsetsRetentionCheckIntervalMsName = "offsets.retention.check.interval.ms";

    /// <summary>Every broker config name the broker accepts (<see cref="BrokerSettings"/>).</summary>
    public static IReadOnlyList<string> Names => [.. BrokerSettings.All.Select(s => s.Name)];

    public BrokerDefaults(IReadOnlyDictionary<string, string> settings)
    {
        var log = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in settings)
        {
            if (LogConfigNames.TryGetValue(name, out var topicName))
            {
                log[topicName] = value;
            }
            else if (BrokerSettings.Find(name) is null)
            {
                throw new KafkaException(ErrorCode.InvalidConfig, $"Unknown broker config '{name}'. Known: {string.Join(", ", Names)}.");
            }
        }
        LogConfig = new LogConfig().With(log);
        NumPartitions = Int(settings, BrokerSettings.NumPartitions);
        DefaultReplicationFactor = (short)Int(settings, BrokerSettings.DefaultReplicationFactor);
        RetentionCheckIntervalMs = Int(settings, BrokerSettings.RetentionCheckIntervalMs);
        Groups = new GroupConfig(
            MinSessionTimeoutMs: Int(settings, BrokerSettings.GroupMinSessionTimeoutMs),
            MaxSessionTimeoutMs: Int(settings, BrokerSettings.GroupMaxSessionTimeoutMs),
            InitialRebalanceDelayMs: Int(settings, BrokerSettings.GroupInitialRebalanceDelayMs),
            ConsumerHeartbeatIntervalMs: Int(settings, BrokerSettings.GroupConsumerHeartbeatIntervalMs),
            MaxSize: Int(settings, BrokerSettings.GroupMaxSize),
            OffsetsRetentionMinutes: Int(settings, BrokerSettings.OffsetsRetentionMinutes),
            OffsetsRetentionCheckIntervalMs: Int(settings, BrokerSettings.OffsetsRetentionCheckIntervalMs));
        if (Groups.MinSessionTimeoutMs > Groups.MaxSessionTimeoutMs)
        {
            throw new KafkaException(ErrorCode.InvalidConfig,
                $"{GroupMinSessionTimeoutMsName}={Groups.MinSessionTimeoutMs} is above {GroupMaxSessionTimeoutMsName}={Groups.MaxSessionTimeoutMs}.");
        }
        AutoCreateTopics = Bool(settings, BrokerSettings.AutoCreateTopics);
        Replication = new ReplicationConfig(
            MinInsyncReplicas: Int(settings, BrokerSettings.MinInsyncReplicas),
            UncleanLeaderElection: Bool(settings, BrokerSettings.UncleanLeaderElection));
        AutoLeaderRebalance = Bool(settings, BrokerSettings.AutoLeaderRebalance);
        ReplicaLagTimeMaxMs = Int(settings, BrokerSettings.ReplicaLagTimeMaxMs);
        ReplicaFetchMaxBytes = Int(settings, BrokerSettings.ReplicaFetchMaxBytes);
        ReplicaFetchWaitMaxMs = Int(settings, BrokerSettings.ReplicaFetchWaitMaxMs);
        LeaderReplicationThrottledRate = Long(settings, BrokerSettings.LeaderReplicationThrottledRate);
    }

    /// <summary>The value of <see cref="LeaderReplicationThrottledRate"/> that throttles nothing (Kafka's default, Long.MaxValue).</summary>
    public const long Unthrottled = long.MaxValue;

    /// <summary>The lowest <see cref="LeaderReplicationThrottledRate"/> (0, which Kafka takes, would stop a reassignment for good).</summary>
    public const long MinLeaderReplicationThrottledRate = 1;

    /// <summary>The log config every topic starts from.</summary>
    public LogConfig LogConfig { get; }

    /// <summary>num.partitions: partitions of a topic created without a count.</summary>
    /// <value>1.</value>
    public int NumPartitions { get; }

    /// <value>1.</value>
    public short DefaultReplicationFactor { get; }

    /// <summary>auto.create.topics.enable: false in Orlog (a typo must not create a topic).</summary>
    /// <value>false.</value>
    public bool AutoCreateTopics { get; }

    /// <summary>log.retention.check.interval.ms: how often retention runs.</summary>
    /// <value>300000 (5 minutes).</value>
    public int RetentionCheckIntervalMs { get; }

    /// <summary>min.insync.replicas (1) and unclean.leader.election.enable (false): the defaults of the topic configs of those names.</summary>
    public ReplicationConfig Replication { get; }

    /// <summary>auto.leader.rebalance.enable: a preferred replica (the first) takes leadership back once it is in sync again.</summary>
    /// <value>true.</value>
    public bool AutoLeaderRebalance { get; }

    /// <summary>replica.lag.time.max.ms: a follower that has not caught up with the leader's log end for this long leaves the ISR.</summary>
    /// <value>30000.</value>
    public int ReplicaLagTimeMaxMs { get; }

    /// <summary>replica.fetch.max.bytes: what a follower asks for per partition in one fetch (a larger first batch still comes whole).</summary>
    /// <value>1048576.</value>
    public int ReplicaFetchMaxBytes { get; }

    /// <summary>replica.fetch.wait.max.ms: how long the leader holds a follower's fetch when nothing is new.</summary>
    /// <value>500.</value>
    public int ReplicaFetchWaitMaxMs { get; }

    /// <summary>
    /// leader.replication.throttled.rate: bytes per second a leader sends, all partitions together, to the
    /// followers that copy a partition for a running reassignment (its adding replicas outside the ISR); the
    /// followers in the ISR are never throttled. Read at start.
    /// </summary>
    /// <value><see cref="Unthrottled"/> (long.MaxValue).</value>
    public long LeaderReplicationThrottledRate { get; }

    /// <summary>The consumer group coordinator's settings (group.*, offsets.*).</summary>
    public GroupConfig Groups { get; }

    /// <summary>The log config of a topic: its overrides over the broker defaults.</summary>
    public LogConfig LogConfigFor(IReadOnlyDictionary<string, string> topicConfigs)
    {
        List<KeyValuePair<string, string>>? overrides = null;
        foreach (var pair in topicConfigs)
        {
            if (LogConfig.Names.Contains(pair.Key))
            {
                (overrides ??= []).Add(pair);
            }
        }
        return overrides is null ? LogConfig : LogConfig.With(overrides);
    }

    /// <summary>A topic's replication settings: its overrides over the broker defaults.</summary>
    public ReplicationConfig ReplicationConfigFor(IReadOnlyDictionary<string, string> topicConfigs) => new(
        topicConfigs.ContainsKey(MinInsyncReplicasName) ? Int(topicConfigs, BrokerSettings.MinInsyncReplicas) : Replication.MinInsyncReplicas,
        topicConfigs.ContainsKey(UncleanLeaderElectionName) ? Bool(topicConfigs, BrokerSettings.UncleanLeaderElection) : Replication.UncleanLeaderElection);

    private static int Int(IReadOnlyDictionary<string, string> settings, BrokerSetting setting) => (int)Long(settings, setting);

    private static long Long(IReadOnlyDictionary<string, string> settings, BrokerSetting setting) =>
        long.Parse(Checked(settings, setting), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static bool Bool(IReadOnlyDictionary<string, string> settings, BrokerSetting setting) =>
        Checked(settings, setting).Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The setting's value (its default when not set), checked against its definition.</summary>
    private static string Checked(IReadOnlyDictionary<string, string> settings, BrokerSetting setting)
    {
        var text = settings.TryGetValue(setting.Name, out var value) ? value : setting.Default;
        return setting.Check(text) is { } problem ? throw new KafkaException(ErrorCode.InvalidConfig, $"{setting.Name}='{text}' {problem}") : text;
    }
}
