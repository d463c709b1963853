using System.Buffers;
using System.Text.Json;

namespace Orlog.Client;

/// <summary>Serializes with System.Text.Json into UTF-8 JSON (a null value is a null key or value).</summary>
/// <typeparam name="T">The type serialized.</typeparam>
public sealed class JsonSerializer<T> : ISerializer<T>, IBufferSerializer<T>
{
    private readonly JsonSerializerOptions? _options;

    /// <summary>A serializer with System.Text.Json's <paramref name="options"/> (its defaults when null).</summary>
    public JsonSerializer(JsonSerializerOptions? options = null)
    {
        _options = options;
    }

    /// <inheritdoc/>
    public byte[]? Serialize(T data, SerializationContext context) =>
        data is null ? null : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(data, _options);

    bool IBufferSerializer<T>.Serialize(T data, IBufferWriter<byte> output, SerializationContext context)
    {
        if (data is null)
        {
            return false;
        }
        using var writer = new Utf8JsonWriter(output);
        System.Text.Json.JsonSerializer.Serialize(writer, data, _options);
        return true;
    }
}
