namespace Orlog.Client;

/// <summary>The application's rebalance handlers, set on the builder; each runs inside Consume, on the consuming thread.</summary>
internal sealed class RebalanceHandlers<TKey, TValue>
{
    /// <summary>Partitions newly given to the consumer; they start at their committed offset (or auto.offset.reset) unless the handler seeks.</summary>
    public Action<IConsumer<TKey, TValue>, List<TopicPartition>>? Assigned { get; set; }

    /// <summary>Partitions about to be taken away, with their positions: the last chance to commit for them.</summary>
    public Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? Revoked { get; set; }

    /// <summary>Partitions already given to another member (the session expired or the member was fenced): committing for them fails.</summary>
    public Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? Lost { get; set; }

    /// <summary>After each automatic commit: what was committed, or the error.</summary>
    public Action<IConsumer<TKey, TValue>, CommittedOffsets>? Committed { get; set; }

    public RebalanceHandlers<TKey, TValue> Copy() => new() { Assigned = Assigned, Revoked = Revoked, Lost = Lost, Committed = Committed };
}
