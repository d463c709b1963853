using System.Text;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>Builds C# text with four-space indentation and '\n' line ends.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(text);
        }
        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (if any) and an opening brace, and indents.</summary>
    public void Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
