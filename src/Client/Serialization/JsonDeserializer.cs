using System.Text.Json;

namespace Orlog.Client;

/// <summary>Deserializes UTF-8 JSON with System.Text.Json (a null key or value is default(T)).</summary>
/// <typeparam name="T">The type deserialized.</typeparam>
public sealed class JsonDeserializer<T> : IDeserializer<T?>
{
    private readonly JsonSerializerOptions? _options;

    /// <summary>A deserializer with System.Text.Json's <paramref name="options"/> (its defaults when null).</summary>
    public JsonDeserializer(JsonSerializerOptions? options = null)
    {
        _options = options;
    }

    /// <inheritdoc/>
    public T? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull ? default : System.Text.Json.JsonSerializer.Deserialize<T>(data, _options);
}
