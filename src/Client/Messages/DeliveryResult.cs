namespace Orlog.Client;

/// <summary>Where a produced record went: its topic, partition and offset, its timestamp and whether it is in the log.</summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public class DeliveryResult<TKey, TValue>
{
    /// <summary>The topic.</summary>
    public string Topic { get; init; } = "";

    /// <summary>The partition (-1 when the record never reached one).</summary>
    public Partition Partition { get; init; } = Partition.Any;

    /// <summary>The record's offset; <see cref="Offset.Unset"/> with acks=0 or on failure.</summary>
    public Offset Offset { get; init; } = Offset.Unset;

    /// <summary>Whether the record is in the log.</summary>
    public PersistenceStatus Status { get; init; }

    /// <summary>The record that was produced.</summary>
    public Message<TKey, TValue> Message { get; init; } = null!;

    /// <summary>The record's key.</summary>
    public TKey Key => Message.Key;

    /// <summary>The record's value.</summary>
    public TValue Value => Message.Value;

    /// <summary>The record's timestamp (the broker's, for LogAppendTime topics).</summary>
    public Timestamp Timestamp { get; init; }

    /// <summary>The topic and partition.</summary>
    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary>The record's headers (null when it has none).</summary>
    public Headers? Headers => Message?.Headers;

    /// <summary>The topic, partition and offset.</summary>
    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset);
}
