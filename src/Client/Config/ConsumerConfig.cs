namespace Orlog.Client;

/// <summary>
/// A consumer's settings (auto.offset.reset, fetch.min.bytes, fetch.max.wait.ms, max.partition.fetch.bytes, ...)
/// besides the common ones, with Kafka's defaults; group.id and the group settings (session.timeout.ms,
/// max.poll.interval.ms, enable.auto.commit, ...) for <see cref="IConsumer{TKey, TValue}.Subscribe(IEnumerable{string})"/>.
/// </summary>
public sealed class ConsumerConfig : ClientConfig
{
    /// <summary>An empty consumer configuration: every setting at its default.</summary>
    public ConsumerConfig()
    {
    }

    /// <summary>A consumer configuration holding <paramref name="settings"/> (for example a <see cref="ClientConfig"/>).</summary>
    /// <exception cref="ArgumentException">A setting is unknown or its value is invalid.</exception>
    public ConsumerConfig(IEnumerable<KeyValuePair<string, string>> settings)
        : base(settings)
    {
    }

    /// <summary>The consumer group (group.id): needed to subscribe and to commit offsets.</summary>
    /// <value>Default none.</value>
    public string? GroupId
    {
        get => Get(ConfigProperties.GroupId);
        set => Set(ConfigProperties.GroupId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// A static member's name in its group (group.instance.id): a consumer that restarts with the same name within
    /// session.timeout.ms gets its partitions back without a rebalance.
    /// </summary>
    /// <value>Default none (a dynamic member).</value>
    public string? GroupInstanceId
    {
        get => Get(ConfigProperties.GroupInstanceId);
        set => Set(ConfigProperties.GroupInstanceId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>How long the group waits for a heartbeat before it gives the member's partitions to others (session.timeout.ms).</summary>
    /// <value>Default 45000.</value>
    public int SessionTimeoutMs
    {
        get => GetInt(ConfigProperties.SessionTimeoutMs);
        set => SetInt(ConfigProperties.SessionTimeoutMs, value);
    }

    /// <summary>
    /// The longest time between two Consume calls (max.poll.interval.ms): past it the consumer leaves its group and
    /// its partitions go to others; the next Consume joins again.
    /// </summary>
    /// <value>Default 300000.</value>
    public int MaxPollIntervalMs
    {
        get => GetInt(ConfigProperties.MaxPollIntervalMs);
        set => SetInt(ConfigProperties.MaxPollIntervalMs, value);
    }

    /// <summary>Whether stored offsets are committed in the background, before partitions are revoked, and at close (enable.auto.commit).</summary>
    /// <value>Default true.</value>
    public bool EnableAutoCommit
    {
        get => GetBool(ConfigProperties.EnableAutoCommit);
        set => SetBool(ConfigProperties.EnableAutoCommit, value);
    }

    /// <summary>How often stored offsets that changed are committed with enable.auto.commit (auto.commit.interval.ms).</summary>
    /// <value>Default 5000.</value>
    public int AutoCommitIntervalMs
    {
        get => GetInt(ConfigProperties.AutoCommitIntervalMs);
        set => SetInt(ConfigProperties.AutoCommitIntervalMs, value);
    }

    /// <summary>Whether Consume stores the offset after each record it returns (enable.auto.offset.store); when false, call StoreOffset.</summary>
    /// <value>Default true.</value>
    public bool EnableAutoOffsetStore
    {
        get => GetBool(ConfigProperties.EnableAutoOffsetStore);
        set => SetBool(ConfigProperties.EnableAutoOffsetStore, value);
    }

    /// <summary>The server-side assignor the group uses (group.remote.assignor): "uniform" or "range".</summary>
    /// <value>Default none: the group coordinator's choice.</value>
    public string? GroupRemoteAssignor
    {
        get => Get(ConfigProperties.GroupRemoteAssignor);
        set => Set(ConfigProperties.GroupRemoteAssignor, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Where to start without an offset, or when the offset is out of range (auto.offset.reset: earliest, latest, none).</summary>
    /// <value>Default <see cref="AutoOffsetReset.Latest"/>.</value>
    public AutoOffsetReset AutoOffsetReset
    {
        get => GetString(ConfigProperties.AutoOffsetReset) switch
        {
            "earliest" => AutoOffsetReset.Earliest,
            "none" => AutoOffsetReset.Error,
            _ => AutoOffsetReset.Latest,
        };
        set => Set(ConfigProperties.AutoOffsetReset, value switch
        {
            AutoOffsetReset.Earliest => "earliest",
            AutoOffsetReset.Error => "none",
            AutoOffsetReset.Latest => "latest",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, "auto.offset.reset must be Earliest, Latest or Error."),
        });
    }

    /// <summary>The bytes a fetch waits for before the broker answers (fetch.min.bytes).</summary>
    /// <value>Default 1.</value>
    public int FetchMinBytes
    {
        get => GetInt(ConfigProperties.FetchMinBytes);
        set => SetInt(ConfigProperties.FetchMinBytes, value);
    }

    /// <summary>How long the broker holds a fetch waiting for fetch.min.bytes (fetch.max.wait.ms).</summary>
    /// <value>Default 500.</value>
    public int FetchMaxWaitMs
    {
        get => GetInt(ConfigProperties.FetchMaxWaitMs);
        set => SetInt(ConfigProperties.FetchMaxWaitMs, value);
    }

    /// <summary>The most bytes one fetch returns for one partition (max.partition.fetch.bytes); a larger batch still comes whole.</summary>
    /// <value>Default 1048576.</value>
    public int MaxPartitionFetchBytes
    {
        get => GetInt(ConfigProperties.MaxPartitionFetchBytes);
        set => SetInt(ConfigProperties.MaxPartitionFetchBytes, value);
    }

    /// <summary>The most bytes one fetch returns over all partitions (fetch.max.bytes).</summary>
    /// <value>Default 52428800.</value>
    public int FetchMaxBytes
    {
        get => GetInt(ConfigProperties.FetchMaxBytes);
        set => SetInt(ConfigProperties.FetchMaxBytes, value);
    }

    /// <summary>Whether Consume reports reaching the end of a partition (enable.partition.eof) as <see cref="ConsumeResult{TKey, TValue}.IsPartitionEOF"/>.</summary>
    /// <value>Default false.</value>
    public bool EnablePartitionEof
    {
        get => GetBool(ConfigProperties.EnablePartitionEof);
        set => SetBool(ConfigProperties.EnablePartitionEof, value);
    }

    /// <summary>Whether fetched batches' CRC-32C is checked (check.crcs).</summary>
    /// <value>Default true.</value>
    public bool CheckCrcs
    {
        get => GetBool(ConfigProperties.CheckCrcs);
        set => SetBool(ConfigProperties.CheckCrcs, value);
    }

    /// <summary>Kilobytes of fetched data held ahead of Consume (queued.max.messages.kbytes); prefetching pauses above it.</summary>
    /// <value>Default 65536.</value>
    public int QueuedMaxMessagesKbytes
    {
        get => GetInt(ConfigProperties.QueuedMaxMessagesKbytes);
        set => SetInt(ConfigProperties.QueuedMaxMessagesKbytes, value);
    }

    private protected override ConfigRole Role => ConfigRole.Consumer;
}
