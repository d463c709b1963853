namespace Orlog.Kafka.Generator.Schema;

/// <summary>The schema's primitive type names.</summary>
internal static class PrimitiveTypes
{
    public const string Names = "int8, int16, int32, int64, uint16, float64, bool, uuid, string, bytes, records";

    private static readonly Dictionary<string, FieldKind> _kinds = new()
    {
        ["int8"] = FieldKind.Int8,
        ["int16"] = FieldKind.Int16,
        ["int32"] = FieldKind.Int32,
        ["int64"] = FieldKind.Int64,
        ["uint16"] = FieldKind.UInt16,
        ["float64"] = FieldKind.Float64,
        ["bool"] = FieldKind.Bool,
        ["uuid"] = FieldKind.Uuid,
        ["string"] = FieldKind.String,
        ["bytes"] = FieldKind.Bytes,
        ["records"] = FieldKind.Records,
    };

    public static bool TryGet(string name, out FieldKind kind) => _kinds.TryGetValue(name, out kind);
}
