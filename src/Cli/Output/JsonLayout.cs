using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orlog.Cli.Output;

/// <summary>
/// One JSON object per line (CONVENTIONS.md): topic, partition, offset, timestamp, timestampType, key, value and
/// headers; a key or value that is not valid UTF-8 is written as base64 under keyBase64 / valueBase64 instead.
/// </summary>
internal sealed class JsonLayout : IRecordLayout, IDisposable
{
    private readonly Utf8JsonWriter _json = new(new ArrayBufferWriter<byte>(), new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public void Write(in ConsumedRecord record, IBufferWriter<byte> output)
    {
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("topic", record.Topic);
        _json.WriteNumber("partition", record.Partition);
        _json.WriteNumber("offset", record.Offset);
        _json.WriteNumber("timestamp", record.Timestamp);
        _json.WriteString("timestampType", record.TimestampType);
        WriteBytes("key", record.Key);
        WriteBytes("value", record.Value);
        _json.WriteStartArray("headers");
        foreach (var (key, value) in record.Headers)
        {
            _json.WriteStartObject();
            _json.WriteString("key", key);
            WriteBytes("value", value);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n"u8);
    }

    public void Dispose() => _json.Dispose();

    private void WriteBytes(string name, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } data)
        {
            _json.WriteNull(name);
        }
        else if (System.Text.Unicode.Utf8.IsValid(data.Span))
        {
            _json.WriteString(name, data.Span);
        }
        else
        {
            _json.WriteBase64String(name + "Base64", data.Span);
        }
    }
}
