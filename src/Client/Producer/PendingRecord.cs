namespace Orlog.Client;

/// <summary>A record in a batch waiting for its delivery report: who to tell, and what it was.</summary>
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

    /// <summary>The CreateTime written in the batch.</summary>
    public long Timestamp { get; }

    /// <summary>Set for ProduceAsync.</summary>
    public TaskCompletionSource<DeliveryResult<TKey, TValue>>? Completion { get; }

    /// <summary>Set for Produce with a delivery handler.</summary>
    public Action<DeliveryReport<TKey, TValue>>? Handler { get; }
}
