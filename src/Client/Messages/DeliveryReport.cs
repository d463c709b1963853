namespace Orlog.Client;

/// <summary>A <see cref="DeliveryResult{TKey, TValue}"/> with its <see cref="Error"/>: what a delivery handler receives.</summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class DeliveryReport<TKey, TValue> : DeliveryResult<TKey, TValue>
{
    /// <summary>Why the record was not delivered, or <see cref="Error.NoError"/>.</summary>
    public Error Error { get; init; } = Error.NoError;

    /// <summary>Where the record went, with the error (Confluent.Kafka's shape).</summary>
    public TopicPartitionOffsetError TopicPartitionOffsetError => new(TopicPartitionOffset, Error);
}
