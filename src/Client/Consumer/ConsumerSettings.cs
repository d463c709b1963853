namespace Orlog.Client;

/// <summary>A consumer's settings, read once from its <see cref="ConsumerConfig"/>.</summary>
internal sealed class ConsumerSettings
{
    public ConsumerSettings(ConsumerConfig config)
    {
        AutoOffsetReset = config.AutoOffsetReset;
        FetchMinBytes = config.FetchMinBytes;
        FetchMaxWaitMs = config.FetchMaxWaitMs;
        MaxPartitionFetchBytes = config.MaxPartitionFetchBytes;
        FetchMaxBytes = config.FetchMaxBytes;
        EnablePartitionEof = config.EnablePartitionEof;
        CheckCrcs = config.CheckCrcs;
        QueuedMaxBytes = config.QueuedMaxMessagesKbytes * 1024L;
        RequestTimeoutMs = config.RequestTimeoutMs;
        RetryBackoffMs = config.RetryBackoffMs;
        ClientId = config.ClientId;
        GroupId = config.GroupId;
        GroupInstanceId = config.GroupInstanceId;
        SessionTimeoutMs = config.SessionTimeoutMs;
        MaxPollIntervalMs = config.MaxPollIntervalMs;
        EnableAutoCommit = config.EnableAutoCommit;
        AutoCommitIntervalMs = config.AutoCommitIntervalMs;
        EnableAutoOffsetStore = config.EnableAutoOffsetStore;
        GroupRemoteAssignor = config.GroupRemoteAssignor;
        Classic = config.Value(ClientSettings.GroupProtocol) == "classic";
        HeartbeatIntervalMs = config.Int(ClientSettings.HeartbeatIntervalMs);
        Assignors = ClientSettings.OfferedAssignors(config.Value(ClientSettings.PartitionAssignmentStrategy));
        MetadataMaxAgeMs = config.MetadataMaxAgeMs;
    }

    public AutoOffsetReset AutoOffsetReset { get; }

    public int FetchMinBytes { get; }

    public int FetchMaxWaitMs { get; }

    public int MaxPartitionFetchBytes { get; }

    public int FetchMaxBytes { get; }

    public bool EnablePartitionEof { get; }

    public bool CheckCrcs { get; }

    public long QueuedMaxBytes { get; }

    public int RequestTimeoutMs { get; }

    public int RetryBackoffMs { get; }

    public string ClientId { get; }

    public string? GroupId { get; }

    public string? GroupInstanceId { get; }

    public int SessionTimeoutMs { get; }

    public int MaxPollIntervalMs { get; }

    /// <summary>enable.auto.commit, which matters only with a group.id.</summary>
    public bool EnableAutoCommit { get; }

    public int AutoCommitIntervalMs { get; }

    public bool EnableAutoOffsetStore { get; }

    public string? GroupRemoteAssignor { get; }

    /// <summary>group.protocol=classic: JoinGroup and SyncGroup, the leader member assigning.</summary>
    public bool Classic { get; }

    /// <summary>heartbeat.interval.ms (classic only: under KIP-848 the coordinator sets it).</summary>
    public int HeartbeatIntervalMs { get; }

    /// <summary>The classic assignors offered, by protocol name, in order of preference.</summary>
    public IReadOnlyList<string> Assignors { get; }

    /// <summary>How often a classic member re-reads the topics (a pattern's matches; the leader: partition counts).</summary>
    public int MetadataMaxAgeMs { get; }
}
