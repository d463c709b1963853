namespace Orlog.Client;

/// <summary>A record to produce, or one consumed: key, value, timestamp and headers.</summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public sealed class Message<TKey, TValue>
{
    /// <summary>The key; records with equal keys land in the same partition.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>The value.</summary>
    public TValue Value { get; set; } = default!;

    /// <summary>The timestamp; <see cref="Timestamp.Default"/> makes the producer stamp the current time.</summary>
    public Timestamp Timestamp { get; set; }

    /// <summary>The headers, or null for none.</summary>
    public Headers? Headers { get; set; }
}
