namespace Orlog.Kafka.Generator.Schema;

/// <summary>The request or the response of an API: its fields and the versions that are flexible.</summary>
internal sealed class MessageSpec
{
    public MessageSpec(string kind, string className, int line)
    {
        Kind = kind;
        ClassName = className;
        Line = line;
    }

    /// <summary><c>Request</c> or <c>Response</c>.</summary>
    public string Kind { get; }

    public string ClassName { get; }

    public int Line { get; }

    /// <summary>The flexible versions (open-ended, or empty for none).</summary>
    public VersionRange Flexible { get; set; } = VersionRange.None;

    public List<FieldSpec> Fields { get; } = [];

    /// <summary>Every struct the message uses, nested or not, in the order first met.</summary>
    public List<StructSpec> Structs { get; } = [];
}
