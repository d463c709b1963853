namespace Orlog.Client;

/// <summary>Confluent.Kafka's typed properties of this config, each a Kafka setting of <see cref="ClientSettings"/> (null: not set).</summary>
public sealed partial class ConsumerConfig
{
    /// <summary><c>dotnet.consumer.consume.result.fields</c>: see docs/configuration.md.</summary>
    public string? ConsumeResultFields
    {
        get => Get("dotnet.consumer.consume.result.fields");
        set => SetNullable("dotnet.consumer.consume.result.fields", value);
    }

    /// <summary><c>partition.assignment.strategy</c>: see docs/configuration.md.</summary>
    public PartitionAssignmentStrategy? PartitionAssignmentStrategy
    {
        get => ConfigValues.Parse<PartitionAssignmentStrategy>(Get("partition.assignment.strategy"));
        set => SetNullable("partition.assignment.strategy", value);
    }

    /// <summary><c>heartbeat.interval.ms</c>: see docs/configuration.md.</summary>
    public int? HeartbeatIntervalMs
    {
        get => GetNullableInt("heartbeat.interval.ms");
        set => SetNullable("heartbeat.interval.ms", value);
    }

    /// <summary><c>group.protocol.type</c>: see docs/configuration.md.</summary>
    public string? GroupProtocolType
    {
        get => Get("group.protocol.type");
        set => SetNullable("group.protocol.type", value);
    }

    /// <summary><c>group.protocol</c>: see docs/configuration.md.</summary>
    public GroupProtocol? GroupProtocol
    {
        get => ConfigValues.Parse<GroupProtocol>(Get("group.protocol"));
        set => SetNullable("group.protocol", value);
    }

    /// <summary><c>coordinator.query.interval.ms</c>: see docs/configuration.md.</summary>
    public int? CoordinatorQueryIntervalMs
    {
        get => GetNullableInt("coordinator.query.interval.ms");
        set => SetNullable("coordinator.query.interval.ms", value);
    }

    /// <summary><c>queued.min.messages</c>: see docs/configuration.md.</summary>
    public int? QueuedMinMessages
    {
        get => GetNullableInt("queued.min.messages");
        set => SetNullable("queued.min.messages", value);
    }

    /// <summary><c>fetch.wait.max.ms</c>: see docs/configuration.md.</summary>
    public int? FetchWaitMaxMs
    {
        get => GetNullableInt("fetch.wait.max.ms");
        set => SetNullable("fetch.wait.max.ms", value);
    }

    /// <summary><c>fetch.queue.backoff.ms</c>: see docs/configuration.md.</summary>
    public int? FetchQueueBackoffMs
    {
        get => GetNullableInt("fetch.queue.backoff.ms");
        set => SetNullable("fetch.queue.backoff.ms", value);
    }

    /// <summary><c>fetch.error.backoff.ms</c>: see docs/configuration.md.</summary>
    public int? FetchErrorBackoffMs
    {
        get => GetNullableInt("fetch.error.backoff.ms");
        set => SetNullable("fetch.error.backoff.ms", value);
    }

    /// <summary><c>isolation.level</c>: see docs/configuration.md.</summary>
    public IsolationLevel? IsolationLevel
    {
        get => ConfigValues.Parse<IsolationLevel>(Get("isolation.level"));
        set => SetNullable("isolation.level", value);
    }

    /// <summary><c>max.poll.records</c>: see docs/configuration.md.</summary>
    public int? MaxPollRecords
    {
        get => GetNullableInt("max.poll.records");
        set => SetNullable("max.poll.records", value);
    }

    /// <summary><c>share.acknowledgement.mode</c>: see docs/configuration.md.</summary>
    public string? ShareAcknowledgementMode
    {
        get => Get("share.acknowledgement.mode");
        set => SetNullable("share.acknowledgement.mode", value);
    }
}
