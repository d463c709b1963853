namespace Orlog.Client;

/// <summary>Turns a consumed key or value back into its type.</summary>
/// <typeparam name="T">The type deserialized.</typeparam>
public interface IDeserializer<out T>
{
    /// <summary>The key or value from its bytes (valid only during the call); <paramref name="isNull"/> for a null one.</summary>
    T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context);
}
