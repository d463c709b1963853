namespace Orlog.Kafka.Generator.Schema;

/// <summary>How a field's default was written.</summary>
internal enum DefaultKind
{
    Implicit,
    Null,
    Literal,
    QuotedString,
}
