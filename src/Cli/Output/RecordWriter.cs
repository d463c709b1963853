using System.Buffers;

namespace Orlog.Cli.Output;

/// <summary>Writes consumed records to stdout in a layout, buffered; <see cref="Flush"/> hands what is written to the reader.</summary>
internal sealed class RecordWriter : IDisposable
{
    private readonly Stream _output;
    private readonly IRecordLayout _layout;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public RecordWriter(Stream output, IRecordLayout layout)
    {
        _output = output;
        _layout = layout;
    }

    /// <summary>The layout of --format, --property and --template (only one of --format json and the others).</summary>
    /// <exception cref="ArgumentException">The options do not go together, or one is malformed.</exception>
    public static IRecordLayout Layout(RecordFormat format, IReadOnlyDictionary<string, string> properties, string? template)
    {
        if (template is not null && (format != RecordFormat.Value || properties.Count > 0))
        {
            throw new ArgumentException("--template lays the whole record out: it does not go with --format or --property.");
        }
        if (format == RecordFormat.Json && properties.Count > 0)
        {
            throw new ArgumentException("--property sets the text layout: it does not go with --format json.");
        }
        return template is not null ? new TemplateLayout(template)
            : format == RecordFormat.Json ? new JsonLayout()
            : new PropertyLayout(printKey: format == RecordFormat.KeyValue, properties);
    }

    public void Write(in ConsumedRecord record)
    {
        _layout.Write(record, _buffer);
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

    public void Dispose()
    {
        Flush();
        (_layout as IDisposable)?.Dispose();
    }

    private void FlushBuffer()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
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
