namespace Orlog.Client;

/// <summary>A record was not delivered: Kafka's error code, and the <see cref="DeliveryResult"/> saying where it was headed.</summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class ProduceException<TKey, TValue> : KafkaException
{
    /// <summary>A failed delivery.</summary>
    public ProduceException(Error error, DeliveryResult<TKey, TValue> deliveryResult, Exception? innerException = null)
        : base(error, innerException)
    {
        DeliveryResult = deliveryResult;
    }

    /// <summary>The record and where it was headed (its status says whether it may be in the log).</summary>
    public DeliveryResult<TKey, TValue> DeliveryResult { get; }
}
