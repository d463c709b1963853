namespace Orlog.Client;

/// <summary>A consumed record with its topic, partition and offset; or, with enable.partition.eof, the end of a partition.</summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class ConsumeResult<TKey, TValue>
{
    /// <summary>The topic.</summary>
    public string Topic { get; init; } = "";

    /// <summary>The partition.</summary>
    public Partition Partition { get; init; }

    /// <summary>The record's offset (for an end-of-partition result, the next offset to be written).</summary>
    public Offset Offset { get; init; }

    /// <summary>The record; null for an end-of-partition result.</summary>
    public Message<TKey, TValue>? Message { get; init; }

    /// <summary>True when this result only reports that the consumer reached the end of the partition.</summary>
    public bool IsPartitionEOF { get; init; }

    /// <summary>The topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary>The record's key (default for an end-of-partition notice).</summary>
    public TKey Key => Message is { } message ? message.Key : default!;

    /// <summary>The record's value (default for an end-of-partition notice).</summary>
    public TValue Value => Message is { } message ? message.Value : default!;

    /// <summary>The record's timestamp.</summary>
    public Timestamp Timestamp => Message?.Timestamp ?? default;

    /// <summary>The record's headers (null when it has none).</summary>
    public Headers? Headers => Message?.Headers;

    /// <summary>The partition leader's epoch when the record was fetched; Orlog does not report it (null).</summary>
    public int? LeaderEpoch => null;

    /// <summary>The topic, partition and offset.</summary>
    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);
}
