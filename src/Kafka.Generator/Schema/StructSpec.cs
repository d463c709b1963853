namespace Orlog.Kafka.Generator.Schema;

/// <summary>A named struct: the element of a struct array or the value of a struct field.</summary>
internal sealed class StructSpec
{
    public StructSpec(string name, int line, List<FieldSpec> fields)
    {
        Name = name;
        Line = line;
        Fields = fields;
    }

    public string Name { get; }

    public int Line { get; }

    public List<FieldSpec> Fields { get; }
}
