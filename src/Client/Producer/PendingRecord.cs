namespace Orlog.Client;

/// <summary>
/// A record in a batch that someone waits for (ProduceAsync, or Produce with a delivery handler): who to tell, what it was
/// and where it is in its batch. Records nobody waits for individually are only counted, so a producer counting by
/// batch keeps nothing per record.
/// </summary>
internal readonly struct PendingRecord<TKey, TValue>
{
    public PendingRecord(Message<TKey, TValue> message, long timestamp, TaskCompletionSource<DeliveryResult<TKey, TValue>>? completion,
        Action<DeliveryReport<TKey, TValue>>? handler)
    {
        Message = message;
        Timestamp = timestamp;
        Completion = completion;
        Handler = handler;
    }

    public Message<TKey, TValue> Message { get; }

    /// <summary>Its position in its batch (its offset is the batch's base offset plus this), set when appended.</summary>
    public int Index { get; init; }

    /// <summary>True when someone waits for this record's own report.</summary>
    public bool IsAwaited => Completion is not null || Handler is not null;

    /// <summary>The CreateTime written in the batch.</summary>
    public long Timestamp { get; }

    /// <summary>Set for ProduceAsync.</summary>
    public TaskCompletionSource<DeliveryResult<TKey, TValue>>? Completion { get; }

    /// <summary>Set for Produce with a delivery handler.</summary>
    public Action<DeliveryReport<TKey, TValue>>? Handler { get; }
}
