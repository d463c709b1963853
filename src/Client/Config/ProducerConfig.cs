namespace Orlog.Client;

/// <summary>
/// A producer's settings (acks, enable.idempotence, linger.ms, batch.size, compression.type, ...) besides the
/// common ones, with Kafka's defaults and Kafka 3's idempotence rule: acks set explicitly to 0 or 1 with
/// enable.idempotence left unset turns idempotence off; acks 0 or 1 with enable.idempotence=true is an error.
/// </summary>
public sealed partial class ProducerConfig : ClientConfig
{
    /// <summary>An empty producer configuration: every setting at its default.</summary>
    public ProducerConfig()
    {
    }

    /// <summary>A producer configuration holding <paramref name="settings"/> (for example a <see cref="ClientConfig"/>).</summary>
    /// <exception cref="ArgumentException">A setting is unknown or its value is invalid.</exception>
    public ProducerConfig(IEnumerable<KeyValuePair<string, string>> settings)
        : base(settings)
    {
    }

    /// <summary>acks: 0, 1 or all.</summary>
    /// <value>Default <see cref="Acks.All"/>.</value>
    public Acks Acks
    {
        get => Value(ClientSettings.Acks) switch
        {
            "0" => Acks.None,
            "1" => Acks.Leader,
            _ => Acks.All,
        };
        set => Set(ClientSettings.Acks, value switch
        {
            Acks.None => "0",
            Acks.Leader => "1",
            Acks.All => "all",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, "acks must be None, Leader or All."),
        });
    }

    /// <summary>
    /// enable.idempotence as given (or its default true); see <see cref="IsIdempotent"/> for the effect after
    /// Kafka 3's rule.
    /// </summary>
    /// <value>Default true.</value>
    public bool EnableIdempotence
    {
        get => Bool(ClientSettings.EnableIdempotence);
        set => SetBool(ClientSettings.EnableIdempotence, value);
    }

    /// <summary>
    /// Whether the producer is idempotent: enable.idempotence when given; otherwise true unless acks was set
    /// explicitly to 0 or 1 (Kafka 3's rule).
    /// </summary>
    public bool IsIdempotent => IsSet(ClientSettings.EnableIdempotence)
        ? EnableIdempotence
        : !IsSet(ClientSettings.Acks) || Acks == Acks.All;

    /// <summary>How long a batch waits for more records before it is sent (linger.ms).</summary>
    /// <value>Default 5.</value>
    public int LingerMs
    {
        get => (int)Math.Ceiling(Double(ClientSettings.LingerMs));
        set => SetInt(ClientSettings.LingerMs, value);
    }

    /// <summary>The most bytes of a batch for one partition (batch.size); a larger record makes a batch of its own.</summary>
    /// <value>Default 16384.</value>
    public int BatchSize
    {
        get => Int(ClientSettings.BatchSize);
        set => SetInt(ClientSettings.BatchSize, value);
    }

    /// <summary>The codec applied to batches (compression.type: none, gzip, snappy, lz4, zstd).</summary>
    /// <value>Default <see cref="CompressionType.None"/>.</value>
    public CompressionType CompressionType
    {
        get => Value(ClientSettings.CompressionType) switch
        {
            "gzip" => CompressionType.Gzip,
            "snappy" => CompressionType.Snappy,
            "lz4" => CompressionType.Lz4,
            "zstd" => CompressionType.Zstd,
            _ => CompressionType.None,
        };
        set => Set(ClientSettings.CompressionType, value.ToString().ToLowerInvariant());
    }

    /// <summary>Requests in flight to one broker at a time (max.in.flight.requests.per.connection); at most 5 when idempotent.</summary>
    /// <value>Default 5.</value>
    public int MaxInFlight
    {
        get => Int(ClientSettings.MaxInFlight);
        set => SetInt(ClientSettings.MaxInFlight, value);
    }

    /// <summary>How often a batch that failed with a retriable error is sent again (retries); delivery.timeout.ms bounds it too.</summary>
    /// <value>Default int.MaxValue.</value>
    public int Retries
    {
        get => Int(ClientSettings.Retries);
        set => SetInt(ClientSettings.Retries, value);
    }

    /// <summary>The most time from a produce call to its delivery report, retries included (delivery.timeout.ms).</summary>
    /// <value>Default 120000.</value>
    public int DeliveryTimeoutMs
    {
        get => Int(ClientSettings.DeliveryTimeoutMs);
        set => SetInt(ClientSettings.DeliveryTimeoutMs, value);
    }

    /// <summary>Bytes of records waiting to be sent before produce calls wait for room (buffer.memory).</summary>
    /// <value>Default 33554432.</value>
    public int BufferMemory
    {
        get => (int)Long(ClientSettings.BufferMemory);
        set => SetInt(ClientSettings.BufferMemory, value);
    }

    /// <summary>How long a produce call may wait for metadata or buffer room (max.block.ms).</summary>
    /// <value>Default 60000.</value>
    public int MaxBlockMs
    {
        get => (int)Long(ClientSettings.MaxBlockMs);
        set => SetInt(ClientSettings.MaxBlockMs, value);
    }

    /// <summary>The largest record (and produce request) in bytes (max.request.size).</summary>
    /// <value>Default 1048576.</value>
    public int MaxRequestSize
    {
        get => Int(ClientSettings.MaxRequestSize);
        set => SetInt(ClientSettings.MaxRequestSize, value);
    }

    private protected override SettingScope Scope => SettingScope.Producer;

    /// <summary>Checks the rules between settings (Kafka's): called by <see cref="ProducerBuilder{TKey, TValue}.Build"/>.</summary>
    /// <exception cref="ArgumentException">Settings contradict each other; the message names them.</exception>
    public void Validate()
    {
        if (IsSet(ClientSettings.EnableIdempotence) && EnableIdempotence && Acks != Acks.All)
        {
            throw new ConfigException("enable.idempotence", $"enable.idempotence=true requires acks=all, but acks={Value(ClientSettings.Acks)}. Set acks=all or enable.idempotence=false.");
        }
        if (IsIdempotent && MaxInFlight > 5)
        {
            throw new ConfigException("max.in.flight.requests.per.connection", $"enable.idempotence=true requires max.in.flight.requests.per.connection of at most 5, but it is {MaxInFlight}.");
        }
        if (IsIdempotent && Retries == 0)
        {
            throw new ConfigException("retries", "enable.idempotence=true requires retries above 0. Set retries or enable.idempotence=false.");
        }
    }
}
