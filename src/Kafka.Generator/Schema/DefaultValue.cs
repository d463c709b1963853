namespace Orlog.Kafka.Generator.Schema;

/// <summary>A field's <c>default=</c>: absent (Kafka's default for the type), <c>null</c>, or a literal.</summary>
internal sealed class DefaultValue
{
    public static readonly DefaultValue Implicit = new(DefaultKind.Implicit, "");

    public static readonly DefaultValue Null = new(DefaultKind.Null, "null");

    public DefaultValue(DefaultKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public DefaultKind Kind { get; }

    /// <summary>The literal: a number or true/false as written, a string's content without its quotes.</summary>
    public string Text { get; }

    public bool IsNull => Kind == DefaultKind.Null;
}
