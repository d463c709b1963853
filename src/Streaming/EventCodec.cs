using System.Text.Json;
using Orleans.Serialization;

namespace Orlog.Streaming;

/// <summary>
/// Events to record values and back. Orleans' format carries the event's type, so it reads back as what was sent;
/// JSON is read as whatever type the subscriber asks for. A <c>byte[]</c> event is the value as it is, in either format
/// (its record says no format, as a Kafka client's would not), and a subscriber of <c>byte[]</c> gets the value as it
/// is; one of <c>string</c> gets a JSON or plain-text value as text.
/// </summary>
internal sealed class EventCodec(Serializer serializer, EventFormat format)
{
    public EventFormat Format => format;

    public byte[] Encode<T>(T item) => item switch
    {
        // A copy: the caller may reuse its array once OnNextAsync returns, while the router may still hold the record.
        byte[] bytes => bytes.ToArray(),
        _ when format == EventFormat.Json => JsonSerializer.SerializeToUtf8Bytes(item, item?.GetType() ?? typeof(T)),
        _ => serializer.SerializeToArray<object?>(item),
    };

    public byte[]? EncodeContext(Dictionary<string, object>? requestContext) =>
        requestContext is { Count: > 0 } ? serializer.SerializeToArray(requestContext) : null;

    public Dictionary<string, object>? DecodeContext(byte[]? bytes) => bytes is null ? null : serializer.Deserialize<Dictionary<string, object>>(bytes);

    /// <summary>The event as a <typeparamref name="T"/>; false when the value is not one (the subscriber is not given it).</summary>
    public bool TryDecode<T>(byte[]? value, EventFormat? recordFormat, out T item)
    {
        item = default!;
        if (typeof(T) == typeof(byte[]))
        {
            // A copy: the record is shared by every subscriber of its stream on this silo, and kept for redelivery.
            item = (T)(object?)value?.Clone()!;
            return true;
        }
        if (value is null)
        {
            return !typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null;
        }
        if (recordFormat is null && typeof(T) == typeof(object) && format == EventFormat.Orleans)
        {
            // A record that does not say its format (bytes published as they are, or another client's) is not in
            // Orleans' format: an object subscriber gets its bytes.
            item = (T)value.Clone();
            return true;
        }
        if (recordFormat is null && typeof(T) == typeof(string) && !LooksLikeJsonString(value))
        {
            // A record some other client wrote (no format header), read as text.
            item = (T)(object)System.Text.Encoding.UTF8.GetString(value);
            return true;
        }
        if ((recordFormat ?? format) == EventFormat.Orleans)
        {
            if (serializer.Deserialize<object?>(value) is T typed)
            {
                item = typed;
                return true;
            }
            return false;
        }
        if (typeof(T) == typeof(string) && !LooksLikeJsonString(value))
        {
            item = (T)(object)System.Text.Encoding.UTF8.GetString(value);
            return true;
        }
        if (typeof(T) == typeof(object))
        {
            item = (T)(object)JsonSerializer.Deserialize<JsonElement>(value);
            return true;
        }
        item = JsonSerializer.Deserialize<T>(value)!;
        return true;
    }

    private static bool LooksLikeJsonString(byte[] value) => value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"';
}
