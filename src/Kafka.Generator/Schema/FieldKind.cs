namespace Orlog.Kafka.Generator.Schema;

/// <summary>The kinds of value a schema field holds; an array field has one of these as its element.</summary>
internal enum FieldKind
{
    Int8,
    Int16,
    Int32,
    Int64,
    UInt16,
    Float64,
    Bool,
    Uuid,
    String,
    Bytes,
    Records,
    Struct,
}
