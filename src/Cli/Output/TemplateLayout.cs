using System.Buffers;
using System.Globalization;
using System.Text;

namespace Orlog.Cli.Output;

/// <summary>
/// kcat's format strings (`-f`): %t topic, %p partition, %o offset, %T timestamp (epoch ms), %k key, %K key length,
/// %s value, %S value length, %h headers (name=value, comma separated), %% a percent sign; \n, \r, \t and \\ escapes.
/// A null key or value prints as nothing and its length as -1, as kcat's do. Nothing is added: the template says
/// where lines end.
/// </summary>
internal sealed class TemplateLayout : IRecordLayout
{
    private readonly List<(char Field, byte[] Literal)> _parts = [];

    /// <exception cref="ArgumentException">A % not followed by a known token.</exception>
    public TemplateLayout(string template)
    {
        var text = Escapes.Unescape(template);
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i]);
                continue;
            }
            var token = i + 1 < text.Length ? text[i + 1] : '\0';
            if (token == '%')
            {
                literal.Append('%');
            }
            else if ("tpoTkKsSh".Contains(token, StringComparison.Ordinal))
            {
                Literal(literal);
                _parts.Add((token, []));
            }
            else
            {
                throw new ArgumentException($"--template {template}: '%{token}' is not a token; use %t %p %o %T %k %K %s %S %h or %%.");
            }
            i++;
        }
        Literal(literal);
    }

    public void Write(in ConsumedRecord record, IBufferWriter<byte> output)
    {
        foreach (var (field, literal) in _parts)
        {
            switch (field)
            {
                case '\0':
                    output.Write(literal);
                    break;
                case 't':
                    output.Write(Encoding.UTF8.GetBytes(record.Topic));
                    break;
                case 'p':
                    Number(output, record.Partition);
                    break;
                case 'o':
                    Number(output, record.Offset);
                    break;
                case 'T':
                    Number(output, record.Timestamp);
                    break;
                case 'k':
                    Bytes(output, record.Key);
                    break;
                case 'K':
                    Number(output, record.Key?.Length ?? -1);
                    break;
                case 's':
                    Bytes(output, record.Value);
                    break;
                case 'S':
                    Number(output, record.Value?.Length ?? -1);
                    break;
                case 'h':
                    Headers(output, record.Headers);
                    break;
            }
        }
    }

    private void Literal(StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            _parts.Add(('\0', Encoding.UTF8.GetBytes(literal.ToString())));
            literal.Clear();
        }
    }

    private static void Headers(IBufferWriter<byte> output, IReadOnlyList<(string Key, ReadOnlyMemory<byte>? Value)> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }
            output.Write(Encoding.UTF8.GetBytes(headers[i].Key));
            output.Write("="u8);
            Bytes(output, headers[i].Value);
        }
    }

    private static void Bytes(IBufferWriter<byte> output, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is { } data)
        {
            output.Write(data.Span);
        }
    }

    private static void Number(IBufferWriter<byte> output, long value) => output.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
}
