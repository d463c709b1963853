using System.Text;

namespace Orlog.Client;

/// <summary>The built-in deserializers.</summary>
public static class Deserializers
{
    /// <summary>UTF-8 strings (null stays null).</summary>
    public static IDeserializer<string?> Utf8 { get; } = new Utf8Deserializer();

    /// <summary>The bytes, copied (null stays null).</summary>
    public static IDeserializer<byte[]?> ByteArray { get; } = new ByteArrayDeserializer();

    /// <summary>Always null; the bytes must be null too.</summary>
    public static IDeserializer<Null?> Null { get; } = new NullDeserializer();

    /// <summary>Not read at all: always null.</summary>
    public static IDeserializer<Ignore?> Ignore { get; } = new IgnoreDeserializer();

    private sealed class Utf8Deserializer : IDeserializer<string?>
    {
        public string? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null : Encoding.UTF8.GetString(data);
    }

    private sealed class ByteArrayDeserializer : IDeserializer<byte[]?>
    {
        public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null : data.ToArray();
    }

    private sealed class NullDeserializer : IDeserializer<Null?>
    {
        public Null? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null : throw new InvalidDataException($"Expected a null {context.Component.ToString().ToLowerInvariant()}, got {data.Length} bytes.");
    }

    private sealed class IgnoreDeserializer : IDeserializer<Ignore?>
    {
        public Ignore? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => null;
    }
}
