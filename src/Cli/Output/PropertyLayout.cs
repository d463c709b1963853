using System.Buffers;
using System.Globalization;
using System.Text;

namespace Orlog.Cli.Output;

/// <summary>
/// The text layout of Kafka's console consumer, set with its properties (`--property print.key=true`): the chosen
/// fields in Kafka's order (timestamp, partition, offset, headers, key, value), each followed by key.separator, the
/// value by line.separator. Keys and values are written as their bytes; a null one as null.literal ("null"), so a
/// null is told apart from an empty one.
/// </summary>
internal sealed class PropertyLayout : IRecordLayout
{
    /// <summary>The properties Kafka's console consumer takes that this layout understands.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "print.timestamp", "print.partition", "print.offset", "print.headers", "print.key", "print.value",
        "key.separator", "line.separator", "headers.separator", "null.literal",
    ];

    private readonly bool _timestamp;
    private readonly bool _partition;
    private readonly bool _offset;
    private readonly bool _headers;
    private readonly bool _key;
    private readonly bool _value;
    private readonly byte[] _keySeparator;
    private readonly byte[] _lineSeparator;
    private readonly byte[] _headersSeparator;
    private readonly byte[] _nullLiteral;

    /// <summary>The layout for --format value or key-value, changed by <paramref name="properties"/>.</summary>
    /// <exception cref="ArgumentException">An unknown property, or a print.* that is not true or false.</exception>
    public PropertyLayout(bool printKey, IReadOnlyDictionary<string, string> properties)
    {
        foreach (var name in properties.Keys)
        {
            if (!Names.Contains(name))
            {
                throw new ArgumentException($"--property {name}: not a property of the console consumer's output; use one of {string.Join(", ", Names)}.");
            }
        }
        _timestamp = Flag(properties, "print.timestamp", false);
        _partition = Flag(properties, "print.partition", false);
        _offset = Flag(properties, "print.offset", false);
        _headers = Flag(properties, "print.headers", false);
        _key = Flag(properties, "print.key", printKey);
        _value = Flag(properties, "print.value", true);
        _keySeparator = Text(properties, "key.separator", "\t");
        _lineSeparator = Text(properties, "line.separator", "\n");
        _headersSeparator = Text(properties, "headers.separator", ",");
        _nullLiteral = Text(properties, "null.literal", "null");
    }

    public void Write(in ConsumedRecord record, IBufferWriter<byte> output)
    {
        if (_timestamp)
        {
            Ascii(output, record.Timestamp < 0 ? "NO_TIMESTAMP" : $"{record.TimestampType}:{record.Timestamp.ToString(CultureInfo.InvariantCulture)}");
            output.Write(_keySeparator);
        }
        if (_partition)
        {
            Ascii(output, $"Partition:{record.Partition.ToString(CultureInfo.InvariantCulture)}");
            output.Write(_keySeparator);
        }
        if (_offset)
        {
            Ascii(output, $"Offset:{record.Offset.ToString(CultureInfo.InvariantCulture)}");
            output.Write(_keySeparator);
        }
        if (_headers)
        {
            WriteHeaders(record, output);
            output.Write(_keySeparator);
        }
        if (_key)
        {
            Bytes(output, record.Key);
            output.Write(_keySeparator);
        }
        if (_value)
        {
            Bytes(output, record.Value);
        }
        output.Write(_lineSeparator);
    }

    private void WriteHeaders(in ConsumedRecord record, IBufferWriter<byte> output)
    {
        if (record.Headers.Count == 0)
        {
            Ascii(output, "NO_HEADERS");
            return;
        }
        for (var i = 0; i < record.Headers.Count; i++)
        {
            if (i > 0)
            {
                output.Write(_headersSeparator);
            }
            var (key, value) = record.Headers[i];
            output.Write(Encoding.UTF8.GetBytes(key));
            output.Write(":"u8);
            Bytes(output, value);
        }
    }

    private void Bytes(IBufferWriter<byte> output, ReadOnlyMemory<byte>? bytes) => output.Write(bytes is { } data ? data.Span : _nullLiteral);

    private static void Ascii(IBufferWriter<byte> output, string text) => output.Write(Encoding.ASCII.GetBytes(text));

    private static bool Flag(IReadOnlyDictionary<string, string> properties, string name, bool otherwise) =>
        !properties.TryGetValue(name, out var value) ? otherwise
        : bool.TryParse(value, out var flag) ? flag
        : throw new ArgumentException($"--property {name}={value}: use true or false.");

    // Kafka's tools take the escapes \t, \n and \r in separators given on a command line.
    private static byte[] Text(IReadOnlyDictionary<string, string> properties, string name, string otherwise) =>
        Encoding.UTF8.GetBytes(properties.TryGetValue(name, out var value) ? Escapes.Unescape(value) : otherwise);
}
