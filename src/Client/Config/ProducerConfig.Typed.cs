namespace Orlog.Client;

/// <summary>Confluent.Kafka's typed properties of this config, each a Kafka setting of <see cref="ClientSettings"/> (null: not set).</summary>
public sealed partial class ProducerConfig
{
    /// <summary><c>dotnet.producer.enable.background.poll</c>: see docs/configuration.md.</summary>
    public bool? EnableBackgroundPoll
    {
        get => GetNullableBool("dotnet.producer.enable.background.poll");
        set => SetNullable("dotnet.producer.enable.background.poll", value);
    }

    /// <summary><c>dotnet.producer.enable.delivery.reports</c>: see docs/configuration.md.</summary>
    public bool? EnableDeliveryReports
    {
        get => GetNullableBool("dotnet.producer.enable.delivery.reports");
        set => SetNullable("dotnet.producer.enable.delivery.reports", value);
    }

    /// <summary><c>dotnet.producer.delivery.report.fields</c>: see docs/configuration.md.</summary>
    public string? DeliveryReportFields
    {
        get => Get("dotnet.producer.delivery.report.fields");
        set => SetNullable("dotnet.producer.delivery.report.fields", value);
    }

    /// <summary><c>message.timeout.ms</c>: see docs/configuration.md.</summary>
    public int? MessageTimeoutMs
    {
        get => GetNullableInt("message.timeout.ms");
        set => SetNullable("message.timeout.ms", value);
    }

    /// <summary><c>partitioner</c>: see docs/configuration.md.</summary>
    public Partitioner? Partitioner
    {
        get => ConfigValues.Parse<Partitioner>(Get("partitioner"));
        set => SetNullable("partitioner", value);
    }

    /// <summary><c>compression.level</c>: see docs/configuration.md.</summary>
    public int? CompressionLevel
    {
        get => GetNullableInt("compression.level");
        set => SetNullable("compression.level", value);
    }

    /// <summary><c>transactional.id</c>: see docs/configuration.md.</summary>
    public string? TransactionalId
    {
        get => Get("transactional.id");
        set => SetNullable("transactional.id", value);
    }

    /// <summary><c>transaction.timeout.ms</c>: see docs/configuration.md.</summary>
    public int? TransactionTimeoutMs
    {
        get => GetNullableInt("transaction.timeout.ms");
        set => SetNullable("transaction.timeout.ms", value);
    }

    /// <summary><c>enable.gapless.guarantee</c>: see docs/configuration.md.</summary>
    public bool? EnableGaplessGuarantee
    {
        get => GetNullableBool("enable.gapless.guarantee");
        set => SetNullable("enable.gapless.guarantee", value);
    }

    /// <summary><c>queue.buffering.max.messages</c>: see docs/configuration.md.</summary>
    public int? QueueBufferingMaxMessages
    {
        get => GetNullableInt("queue.buffering.max.messages");
        set => SetNullable("queue.buffering.max.messages", value);
    }

    /// <summary><c>queue.buffering.max.kbytes</c>: see docs/configuration.md.</summary>
    public int? QueueBufferingMaxKbytes
    {
        get => GetNullableInt("queue.buffering.max.kbytes");
        set => SetNullable("queue.buffering.max.kbytes", value);
    }

    /// <summary><c>message.send.max.retries</c>: see docs/configuration.md.</summary>
    public int? MessageSendMaxRetries
    {
        get => GetNullableInt("message.send.max.retries");
        set => SetNullable("message.send.max.retries", value);
    }

    /// <summary><c>queue.buffering.backpressure.threshold</c>: see docs/configuration.md.</summary>
    public int? QueueBufferingBackpressureThreshold
    {
        get => GetNullableInt("queue.buffering.backpressure.threshold");
        set => SetNullable("queue.buffering.backpressure.threshold", value);
    }

    /// <summary><c>batch.num.messages</c>: see docs/configuration.md.</summary>
    public int? BatchNumMessages
    {
        get => GetNullableInt("batch.num.messages");
        set => SetNullable("batch.num.messages", value);
    }

    /// <summary><c>sticky.partitioning.linger.ms</c>: see docs/configuration.md.</summary>
    public int? StickyPartitioningLingerMs
    {
        get => GetNullableInt("sticky.partitioning.linger.ms");
        set => SetNullable("sticky.partitioning.linger.ms", value);
    }
}
