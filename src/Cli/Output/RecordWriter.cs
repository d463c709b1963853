using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Orlog.Cli.Output;

/// <summary>
/// Writes consumed records to stdout in the chosen format. Bytes that are not valid UTF-8 are written as
/// base64 under keyBase64 / valueBase64 in JSON (and as base64 in the text formats, so nothing is lost).
/// </summary>
internal sealed class RecordWriter : IDisposable
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _output;
    private readonly RecordFormat _format;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;

    public RecordWriter(Stream output, RecordFormat format)
    {
        _output = output;
        _format = format;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Write(ConsumedRecord record)
    {
        switch (_format)
        {
            case RecordFormat.Value:
                WriteText(record.Value);
                break;
            case RecordFormat.KeyValue:
                WriteText(record.Key);
                _buffer.Write("\t"u8);
                WriteText(record.Value);
                break;
            case RecordFormat.Json:
                WriteJson(record);
                break;
        }
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount > 48 * 1024)
        {
            FlushBuffer();
        }
    }

    /// <summary>Writes what is buffered to the output and flushes it (before offsets are committed, for instance).</summary>
    public void Flush()
    {
        FlushBuffer();
        _output.Flush();
    }

    private void FlushBuffer()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    private void WriteText(ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } data)
        {
            return;
        }
        if (IsUtf8(data.Span))
        {
            _buffer.Write(data.Span);
        }
        else
        {
            _buffer.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(data.Span)));
        }
    }

    private void WriteJson(ConsumedRecord record)
    {
        _json.Reset(_buffer);
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
    }

    private void WriteBytes(string name, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } data)
        {
            _json.WriteNull(name);
        }
        else if (IsUtf8(data.Span))
        {
            _json.WriteString(name, data.Span);
        }
        else
        {
            _json.WriteBase64String(name + "Base64", data.Span);
        }
    }

    private static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }
}

/// <summary>One record as the CLI prints it; key, value and header values are null when the record's are.</summary>
internal readonly record struct ConsumedRecord(
    string Topic,
    int Partition,
    long Offset,
    long Timestamp,
    string TimestampType,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    IReadOnlyList<(string Key, ReadOnlyMemory<byte>? Value)> Headers);
