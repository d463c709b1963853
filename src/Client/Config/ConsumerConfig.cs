namespace Orlog.Client;

/// <summary>
/// A consumer's settings (auto.offset.reset, fetch.min.bytes, fetch.max.wait.ms, max.partition.fetch.bytes, ...)
/// besides the common ones, with Kafka's defaults. group.id and the commit settings are kept for consumer groups.
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

    /// <summary>The consumer group (group.id); groups come with Subscribe in a later release.</summary>
    /// <value>Default none.</value>
    public string? GroupId
    {
        get => Get(ConfigProperties.GroupId);
        set => Set(ConfigProperties.GroupId, value ?? throw new ArgumentNullException(nameof(value)));
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
