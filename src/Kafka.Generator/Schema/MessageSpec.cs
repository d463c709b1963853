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

    /// <summary>
    /// The C# class of each struct within this message: its name, or the name with <c>Data</c> appended when
    /// the message has a field of the struct's name (Kafka's <c>Assignment Assignment</c>), since C# cannot
    /// nest a class beside a property of the same name.
    /// </summary>
    public Dictionary<StructSpec, string> StructClassNames { get; } = [];

    public string StructClassName(StructSpec spec) => StructClassNames.TryGetValue(spec, out var name) ? name : spec.Name;
}
