namespace Orlog.Client;

/// <summary>
/// A consumer's settings (auto.offset.reset, fetch.min.bytes, fetch.max.wait.ms, max.partition.fetch.bytes, ...)
/// besides the common ones, with Kafka's defaults; group.id and the group settings (session.timeout.ms,
/// max.poll.interval.ms, enable.auto.commit, ...) for <see cref="IConsumer{TKey, TValue}.Subscribe(IEnumerable{string})"/>.
/// </summary>
public sealed partial class ConsumerConfig : ClientConfig
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
        get => Text(ClientSettings.GroupId);
        set => Set(ClientSettings.GroupId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// A static member's name in its group (group.instance.id): a consumer that restarts with the same name within
    /// session.timeout.ms gets its partitions back without a rebalance.
    /// </summary>
    /// <value>Default none (a dynamic member).</value>
    public string? GroupInstanceId
    {
        get => Text(ClientSettings.GroupInstanceId);
        set => Set(ClientSettings.GroupInstanceId, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>How long the group waits for a heartbeat before it gives the member's partitions to others (session.timeout.ms).</summary>
    /// <value>Default 45000.</value>
    public int SessionTimeoutMs
    {
        get => Int(ClientSettings.SessionTimeoutMs);
        set => SetInt(ClientSettings.SessionTimeoutMs, value);
    }

    /// <summary>
    /// The longest time between two Consume calls (max.poll.interval.ms): past it the consumer leaves its group and
    /// its partitions go to others; the next Consume joins again.
    /// </summary>
    /// <value>Default 300000.</value>
    public int MaxPollIntervalMs
    {
        get => Int(ClientSettings.MaxPollIntervalMs);
        set => SetInt(ClientSettings.MaxPollIntervalMs, value);
    }

    /// <summary>Whether stored offsets are committed in the background, before partitions are revoked, and at close (enable.auto.commit).</summary>
    /// <value>Default true.</value>
    public bool EnableAutoCommit
    {
        get => Bool(ClientSettings.EnableAutoCommit);
        set => SetBool(ClientSettings.EnableAutoCommit, value);
    }

    /// <summary>How often stored offsets that changed are committed with enable.auto.commit (auto.commit.interval.ms).</summary>
    /// <value>Default 5000.</value>
    public int AutoCommitIntervalMs
    {
        get => Int(ClientSettings.AutoCommitIntervalMs);
        set => SetInt(ClientSettings.AutoCommitIntervalMs, value);
    }

    /// <summary>Whether Consume stores the offset after each record it returns (enable.auto.offset.store); when false, call StoreOffset.</summary>
    /// <value>Default true.</value>
    public bool EnableAutoOffsetStore
    {
        get => Bool(ClientSettings.EnableAutoOffsetStore);
        set => SetBool(ClientSettings.EnableAutoOffsetStore, value);
    }

    /// <summary>The server-side assignor the group uses (group.remote.assignor): "uniform" or "range".</summary>
    /// <value>Default none: the group coordinator's choice.</value>
    public string? GroupRemoteAssignor
    {
        get => Text(ClientSettings.GroupRemoteAssignor);
        set => Set(ClientSettings.GroupRemoteAssignor, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Where to start without an offset, or when the offset is out of range (auto.offset.reset: earliest, latest, none).</summary>
    /// <value>Default <see cref="AutoOffsetReset.Latest"/>.</value>
    public AutoOffsetReset AutoOffsetReset
    {
        get => Value(ClientSettings.AutoOffsetReset) switch
        {
            "earliest" or "smallest" or "beginning" => AutoOffsetReset.Earliest,
            "none" or "error" => AutoOffsetReset.Error,
            _ => AutoOffsetReset.Latest,
        };
        set => Set(ClientSettings.AutoOffsetReset, value switch
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
        get => Int(ClientSettings.FetchMinBytes);
        set => SetInt(ClientSettings.FetchMinBytes, value);
    }

    /// <summary>How long the broker holds a fetch waiting for fetch.min.bytes (fetch.max.wait.ms).</summary>
    /// <value>Default 500.</value>
    public int FetchMaxWaitMs
    {
        get => Int(ClientSettings.FetchMaxWaitMs);
        set => SetInt(ClientSettings.FetchMaxWaitMs, value);
    }

    /// <summary>The most bytes one fetch returns for one partition (max.partition.fetch.bytes); a larger batch still comes whole.</summary>
    /// <value>Default 1048576.</value>
    public int MaxPartitionFetchBytes
    {
        get => Int(ClientSettings.MaxPartitionFetchBytes);
        set => SetInt(ClientSettings.MaxPartitionFetchBytes, value);
    }

    /// <summary>The most bytes one fetch returns over all partitions (fetch.max.bytes).</summary>
    /// <value>Default 52428800.</value>
    public int FetchMaxBytes
    {
        get => Int(ClientSettings.FetchMaxBytes);
        set => SetInt(ClientSettings.FetchMaxBytes, value);
    }

    /// <summary>Whether Consume reports reaching the end of a partition (enable.partition.eof) as <see cref="ConsumeResult{TKey, TValue}.IsPartitionEOF"/>.</summary>
    /// <value>Default false.</value>
    public bool EnablePartitionEof
    {
        get => Bool(ClientSettings.EnablePartitionEof);
        set => SetBool(ClientSettings.EnablePartitionEof, value);
    }

    /// <summary>Whether fetched batches' CRC-32C is checked (check.crcs).</summary>
    /// <value>Default true.</value>
    public bool CheckCrcs
    {
        get => Bool(ClientSettings.CheckCrcs);
        set => SetBool(ClientSettings.CheckCrcs, value);
    }

    /// <summary>Kilobytes of fetched data held ahead of Consume (queued.max.messages.kbytes); prefetching pauses above it.</summary>
    /// <value>Default 65536.</value>
    public int QueuedMaxMessagesKbytes
    {
        get => Int(ClientSettings.QueuedMaxMessagesKbytes);
        set => SetInt(ClientSettings.QueuedMaxMessagesKbytes, value);
    }

    private protected override SettingScope Scope => SettingScope.Consumer;
}
