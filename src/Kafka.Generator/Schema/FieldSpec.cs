namespace Orlog.Kafka.Generator.Schema;

/// <summary>One field of a message or struct, as the schema line declares it.</summary>
internal sealed class FieldSpec
{
    public FieldSpec(string name, string typeText, int line, int column, int width)
    {
        Name = name;
        TypeText = typeText;
        Line = line;
        Column = column;
        Width = width;
    }

    public string Name { get; }

    /// <summary>The type as written: <c>int32</c>, <c>[]string</c>, <c>[]MetadataRequestTopic</c>.</summary>
    public string TypeText { get; }

    /// <summary>1-based line of the field in its schema file.</summary>
    public int Line { get; }

    /// <summary>1-based column where the field's text starts, and how long it is: where errors point.</summary>
    public int Column { get; }

    public int Width { get; }

    public FieldKind Kind { get; set; }

    public bool IsArray { get; set; }

    /// <summary>The struct name for a struct or struct-array field.</summary>
    public string? StructName { get; set; }

    /// <summary>The struct, once the file's structs are resolved.</summary>
    public StructSpec? Struct { get; set; }

    public VersionRange Versions { get; set; } = VersionRange.None;

    public VersionRange NullableVersions { get; set; } = VersionRange.None;

    public VersionRange TaggedVersions { get; set; } = VersionRange.None;

    public int? Tag { get; set; }

    public DefaultValue Default { get; set; } = DefaultValue.Implicit;

    public bool Ignorable { get; set; }

    public bool IsKey { get; set; }

    /// <summary>The fields under this one (only a struct field has them); empty when it reuses a struct.</summary>
    public List<FieldSpec> Children { get; } = [];

    public bool IsStructLike => Kind == FieldKind.Struct;

    /// <summary>True when the C# property can hold null: some version of the field is nullable.</summary>
    public bool IsNullableType => !NullableVersions.IsEmpty;

    /// <summary>The versions in which the field sits among the regular fields, not in the tagged section.</summary>
    public VersionRange RegularVersions => Versions.Before(TaggedVersions);
}
