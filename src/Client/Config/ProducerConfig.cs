using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// A producer's settings (acks, enable.idempotence, linger.ms, batch.size, compression.type, ...) besides the
/// common ones, with Kafka's defaults and Kafka 3's idempotence rule: acks set explicitly to 0 or 1 with
/// enable.idempotence left unset turns idempotence off; acks 0 or 1 with enable.idempotence=true is an error.
/// </summary>
public sealed class ProducerConfig : ClientConfig
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
        get => GetString(ConfigProperties.Acks) switch
        {
            "0" => Acks.None,
            "1" => Acks.Leader,
            _ => Acks.All,
        };
        set => Set(ConfigProperties.Acks, value switch
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
        get => GetBool(ConfigProperties.EnableIdempotence);
        set => SetBool(ConfigProperties.EnableIdempotence, value);
    }

    /// <summary>
    /// Whether the producer is idempotent: enable.idempotence when given; otherwise true unless acks was set
    /// explicitly to 0 or 1 (Kafka 3's rule).
    /// </summary>
    public bool IsIdempotent => IsSet(ConfigProperties.EnableIdempotence)
        ? EnableIdempotence
        : !IsSet(ConfigProperties.Acks) || Acks == Acks.All;

    /// <summary>How long a batch waits for more records before it is sent (linger.ms).</summary>
    /// <value>Default 5.</value>
    public int LingerMs
    {
        get => GetInt(ConfigProperties.LingerMs);
        set => SetInt(ConfigProperties.LingerMs, value);
    }

    /// <summary>The most bytes of a batch for one partition (batch.size); a larger record makes a batch of its own.</summary>
    /// <value>Default 16384.</value>
    public int BatchSize
    {
        get => GetInt(ConfigProperties.BatchSize);
        set => SetInt(ConfigProperties.BatchSize, value);
    }

    /// <summary>The codec applied to batches (compression.type: none, gzip, snappy, lz4, zstd).</summary>
    /// <value>Default <see cref="CompressionType.None"/>.</value>
    public CompressionType CompressionType
    {
        get => GetString(ConfigProperties.CompressionType) switch
        {
            "gzip" => CompressionType.Gzip,
            "snappy" => CompressionType.Snappy,
            "lz4" => CompressionType.Lz4,
            "zstd" => CompressionType.Zstd,
            _ => CompressionType.None,
        };
        set => Set(ConfigProperties.CompressionType, value.ToString().ToLowerInvariant());
    }

    /// <summary>Requests in flight to one broker at a time (max.in.flight.requests.per.connection); at most 5 when idempotent.</summary>
    /// <value>Default 5.</value>
    public int MaxInFlight
    {
        get => GetInt(ConfigProperties.MaxInFlight);
        set => SetInt(ConfigProperties.MaxInFlight, value);
    }

    /// <summary>How often a batch that failed with a retriable error is sent again (retries); delivery.timeout.ms bounds it too.</summary>
    /// <value>Default int.MaxValue.</value>
    public int Retries
    {
        get => GetInt(ConfigProperties.Retries);
        set => SetInt(ConfigProperties.Retries, value);
    }

    /// <summary>The most time from a produce call to its delivery report, retries included (delivery.timeout.ms).</summary>
    /// <value>Default 120000.</value>
    public int DeliveryTimeoutMs
    {
        get => GetInt(ConfigProperties.DeliveryTimeoutMs);
        set => SetInt(ConfigProperties.DeliveryTimeoutMs, value);
    }

    /// <summary>Bytes of records waiting to be sent before produce calls wait for room (buffer.memory).</summary>
    /// <value>Default 33554432.</value>
    public int BufferMemory
    {
        get => GetInt(ConfigProperties.BufferMemory);
        set => SetInt(ConfigProperties.BufferMemory, value);
    }

    /// <summary>How long a produce call may wait for metadata or buffer room (max.block.ms).</summary>
    /// <value>Default 60000.</value>
    public int MaxBlockMs
    {
        get => GetInt(ConfigProperties.MaxBlockMs);
        set => SetInt(ConfigProperties.MaxBlockMs, value);
    }

    /// <summary>The largest record (and produce request) in bytes (max.request.size).</summary>
    /// <value>Default 1048576.</value>
    public int MaxRequestSize
    {
        get => GetInt(ConfigProperties.MaxRequestSize);
        set => SetInt(ConfigProperties.MaxRequestSize, value);
    }

    private protected override ConfigRole Role => ConfigRole.Producer;

    /// <summary>Checks the rules between settings (Kafka's): called by <see cref="ProducerBuilder{TKey, TValue}.Build"/>.</summary>
    /// <exception cref="ArgumentException">Settings contradict each other; the message names them.</exception>
    public void Validate()
    {
        if (IsSet(ConfigProperties.EnableIdempotence) && EnableIdempotence && Acks != Acks.All)
        {
            throw new ArgumentException($"enable.idempotence=true requires acks=all, but acks={GetString(ConfigProperties.Acks)}. Set acks=all or enable.idempotence=false.");
        }
        if (IsIdempotent && MaxInFlight > 5)
        {
            throw new ArgumentException($"enable.idempotence=true requires max.in.flight.requests.per.connection of at most 5, but it is {MaxInFlight}.");
        }
        if (IsIdempotent && Retries == 0)
        {
            throw new ArgumentException("enable.idempotence=true requires retries above 0. Set retries or enable.idempotence=false.");
        }
        if ((long)DeliveryTimeoutMs < (long)LingerMs + RequestTimeoutMs)
        {
            throw new ArgumentException($"delivery.timeout.ms ({DeliveryTimeoutMs}) must be at least linger.ms + request.timeout.ms ({(long)LingerMs + RequestTimeoutMs}).");
        }
    }
}
