using System.Buffers;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// Serializes a message's key, value and headers for the accumulator. Byte arrays pass as they are (the batch
/// copies them before Produce returns); the built-in UTF-8 and JSON serializers write into per-thread scratch
/// buffers (no allocation per record); others return arrays as Confluent's do.
/// </summary>
internal sealed class RecordSerializer<TKey, TValue>
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _keyScratch;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _valueScratch;

    private readonly ISerializer<TKey> _key;
    private readonly ISerializer<TValue> _value;
    private readonly IBufferSerializer<TKey>? _keyBuffer;
    private readonly IBufferSerializer<TValue>? _valueBuffer;

    public RecordSerializer(ISerializer<TKey> key, ISerializer<TValue> value)
    {
        _key = key;
        _value = value;
        _keyBuffer = key as IBufferSerializer<TKey>;
        _valueBuffer = value as IBufferSerializer<TValue>;
    }

    /// <summary>The record's bytes, valid until the result is disposed (and the next call on this thread).</summary>
    public SerializedRecord Serialize(string topic, Message<TKey, TValue> message, out Exception? error)
    {
        error = null;
        RecordHeader[]? headers = null;
        var headerCount = 0;
        try
        {
            if (message.Headers is { Count: > 0 } given)
            {
                headerCount = given.Count;
                headers = ArrayPool<RecordHeader>.Shared.Rent(headerCount);
                for (var i = 0; i < headerCount; i++)
                {
                    headers[i] = new RecordHeader(given[i].Key, given[i].Value);
                }
            }
            var keyContext = new SerializationContext(MessageComponentType.Key, topic, message.Headers);
            var key = _keyBuffer is null ? _key.Serialize(message.Key, keyContext) : Write(_keyBuffer, message.Key, ref _keyScratch, keyContext);
            var valueContext = new SerializationContext(MessageComponentType.Value, topic, message.Headers);
            var value = _valueBuffer is null ? _value.Serialize(message.Value, valueContext) : Write(_valueBuffer, message.Value, ref _valueScratch, valueContext);
            return new SerializedRecord(key, value, headers, headerCount);
        }
        catch (Exception failure)
        {
            if (headers is not null)
            {
                ArrayPool<RecordHeader>.Shared.Return(headers);
            }
            error = failure;
            return default;
        }
    }

    private static RecordBytes Write<T>(IBufferSerializer<T> buffer, T data, ref ArrayBufferWriter<byte>? scratch, SerializationContext context)
    {
        scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        return buffer.Serialize(data, scratch, context) ? scratch.WrittenSpan : RecordBytes.Null;
    }
}

/// <summary>A serialized record: views of its key and value, and its headers in a pooled array.</summary>
internal readonly ref struct SerializedRecord
{
    private readonly RecordHeader[]? _headers;
    private readonly int _headerCount;

    public SerializedRecord(RecordBytes key, RecordBytes value, RecordHeader[]? headers, int headerCount)
    {
        Key = key;
        Value = value;
        _headers = headers;
        _headerCount = headerCount;
    }

    public RecordBytes Key { get; }

    public RecordBytes Value { get; }

    public ReadOnlySpan<RecordHeader> Headers => _headers.AsSpan(0, _headerCount);

    public void Dispose()
    {
        if (_headers is not null)
        {
            ArrayPool<RecordHeader>.Shared.Return(_headers, clearArray: true);
        }
    }
}
