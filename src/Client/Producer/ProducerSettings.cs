namespace Orlog.Client;

/// <summary>A producer's settings, read once from its <see cref="ProducerConfig"/> (the hot path reads fields, not strings).</summary>
internal sealed class ProducerSettings
{
    public ProducerSettings(ProducerConfig config)
    {
        config.Validate();
        Acks = (short)config.Acks;
        Idempotent = config.IsIdempotent;
        LingerMs = config.LingerMs;
        BatchSize = config.BatchSize;
        Compression = config.CompressionType;
        MaxInFlight = config.MaxInFlight;
        Retries = config.Retries;
        RetryBackoffMs = config.RetryBackoffMs;
        DeliveryTimeoutMs = config.DeliveryTimeoutMs;
        // Java's client refuses delivery.timeout.ms below linger.ms + request.timeout.ms; librdkafka takes it, and
        // Confluent.Kafka users set message.timeout.ms below 30 s: a request then waits at most the delivery timeout.
        RequestTimeoutMs = Math.Min(config.RequestTimeoutMs, config.DeliveryTimeoutMs);
        // librdkafka's queue.buffering.max.kbytes stands for buffer.memory unless that is given too.
        BufferMemory = !config.IsSet(ClientSettings.BufferMemory) && config.IsSet(ClientSettings.QueueBufferingMaxKbytes)
            ? config.Int(ClientSettings.QueueBufferingMaxKbytes) * 1024
            : config.BufferMemory;
        MaxBlockMs = config.MaxBlockMs;
        MaxRequestSize = config.MaxRequestSize;
    }

    public short Acks { get; }

    public bool Idempotent { get; }

    public int LingerMs { get; }

    public int BatchSize { get; }

    public CompressionType Compression { get; }

    public int MaxInFlight { get; }

    public int Retries { get; }

    public int RetryBackoffMs { get; }

    public int DeliveryTimeoutMs { get; }

    public int RequestTimeoutMs { get; }

    public long BufferMemory { get; }

    public int MaxBlockMs { get; }

    public int MaxRequestSize { get; }
}
