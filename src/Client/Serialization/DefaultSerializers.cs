namespace Orlog.Client;

/// <summary>The serializers used when none is set: string (UTF-8), byte[] and <see cref="Null"/>, as Confluent.Kafka.</summary>
internal static class DefaultSerializers
{
    public static ISerializer<T> For<T>(string part) =>
        typeof(T) == typeof(string) ? (ISerializer<T>)Serializers.Utf8
        : typeof(T) == typeof(byte[]) ? (ISerializer<T>)Serializers.ByteArray
        : typeof(T) == typeof(Null) ? (ISerializer<T>)Serializers.Null
        : throw new ArgumentException($"No default serializer for {part} type {typeof(T).Name}: set one with Set{Capitalized(part)}Serializer (for example new JsonSerializer<{typeof(T).Name}>()).");

    public static IDeserializer<T> DeserializerFor<T>(string part) =>
        typeof(T) == typeof(string) ? (IDeserializer<T>)Deserializers.Utf8
        : typeof(T) == typeof(byte[]) ? (IDeserializer<T>)Deserializers.ByteArray
        : typeof(T) == typeof(Null) ? (IDeserializer<T>)Deserializers.Null
        : typeof(T) == typeof(Ignore) ? (IDeserializer<T>)Deserializers.Ignore
        : throw new ArgumentException($"No default deserializer for {part} type {typeof(T).Name}: set one with Set{Capitalized(part)}Deserializer (for example new JsonDeserializer<{typeof(T).Name}>()).");

    private static string Capitalized(string part) => char.ToUpperInvariant(part[0]) + part[1..];
}
