namespace Orlog.Kafka.Generator.Schema;

/// <summary>A word of a schema line, with its 1-based column.</summary>
internal sealed class Token
{
    public Token(string text, int column)
    {
        Text = text;
        Column = column;
    }

    public string Text { get; }

    public int Column { get; }
}
