namespace Orlog.Client;

/// <summary>Turns a key or value into bytes for the producer.</summary>
/// <typeparam name="T">The type serialized.</typeparam>
public interface ISerializer<in T>
{
    /// <summary>The bytes for <paramref name="data"/>, or null for a null key or value.</summary>
    byte[]? Serialize(T data, SerializationContext context);
}
