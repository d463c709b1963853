using System.Globalization;
using System.Text;
using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>The C# for one field: its type, its default, and the test for "not the default".</summary>
internal static class FieldCode
{
    public const string Namespace = "Orlog.Kafka.Protocol.Messages";

    /// <summary>The fully qualified class of a struct inside its message class.</summary>
    public static string StructClass(MessageSpec message, StructSpec spec) =>
        "global::" + Namespace + "." + message.ClassName + "." + message.StructClassName(spec);

    /// <summary>The C# type of a value of the field's kind, without nullability.</summary>
    public static string ElementType(MessageSpec message, FieldSpec field) => field.Kind switch
    {
        FieldKind.Int8 => "sbyte",
        FieldKind.Int16 => "short",
        FieldKind.Int32 => "int",
        FieldKind.Int64 => "long",
        FieldKind.UInt16 => "ushort",
        FieldKind.Float64 => "double",
        FieldKind.Bool => "bool",
        FieldKind.Uuid => "global::System.Guid",
        FieldKind.String => "string",
        FieldKind.Bytes or FieldKind.Records => "global::System.ReadOnlyMemory<byte>",
        FieldKind.Struct => StructClass(message, field.Struct!),
        _ => throw new InvalidOperationException("unknown kind " + field.Kind),
    };

    public static string PropertyType(MessageSpec message, FieldSpec field)
    {
        var element = ElementType(message, field);
        var type = field.IsArray ? "global::System.Collections.Generic.List<" + element + ">" : element;
        return field.IsNullableType ? type + "?" : type;
    }

    /// <summary>True when the field's default is null (records default to null when every version allows it, as in Kafka).</summary>
    public static bool DefaultIsNull(FieldSpec field) =>
        field.Default.IsNull
        || (field.Kind == FieldKind.Records && !field.IsArray && field.Default.Kind == DefaultKind.Implicit
            && !field.NullableVersions.IsEmpty && field.NullableVersions.Covers(field.Versions));

    /// <summary>The property initializer (" = ...") or "" when C#'s own default is the field's.</summary>
    public static string Initializer(FieldSpec field)
    {
        if (DefaultIsNull(field))
        {
            return "";
        }
        if (field.IsArray)
        {
            return " = [];";
        }
        switch (field.Kind)
        {
            case FieldKind.Struct:
                return " = new();";
            case FieldKind.String:
                return " = " + StringLiteral(field.Default.Text) + ";";
            case FieldKind.Bytes:
            case FieldKind.Records:
                return field.IsNullableType ? " = global::System.ReadOnlyMemory<byte>.Empty;" : "";
            case FieldKind.Uuid:
                return "";
            default:
                var literal = ScalarDefault(field);
                return literal is "0" or "false" or "0L" or "0d" ? "" : " = " + literal + ";";
        }
    }

    /// <summary>The default of a number or bool field as a C# literal.</summary>
    public static string ScalarDefault(FieldSpec field)
    {
        var value = field.Default;
        switch (field.Kind)
        {
            case FieldKind.Bool:
                return value.Kind == DefaultKind.Literal && value.Text == "true" ? "true" : "false";
            case FieldKind.Float64:
                var number = value.Kind == DefaultKind.Literal
                    ? double.Parse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : 0d;
                return number.ToString("R", CultureInfo.InvariantCulture) + "d";
            default:
                IntegerDefault.TryParse(field.Kind, value, out var integer);
                if (field.Kind == FieldKind.Int32 && integer == int.MinValue)
                {
                    return "int.MinValue";
                }
                if (field.Kind == FieldKind.Int64)
                {
                    return integer == long.MinValue ? "long.MinValue" : integer.ToString(CultureInfo.InvariantCulture) + "L";
                }
                return integer.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A C# test that <paramref name="name"/> holds something other than the field's default.</summary>
    public static string NonDefault(FieldSpec field, string name)
    {
        var defaultNull = DefaultIsNull(field);
        if (field.IsArray)
        {
            return defaultNull ? name + " is not null" : name + " is not { Count: 0 }";
        }
        switch (field.Kind)
        {
            case FieldKind.Struct:
                return defaultNull ? name + " is not null" : "!(((" + EmitContext.Runtime + "IKafkaWritable?)" + name + ")?.IsDefault() ?? false)";
            case FieldKind.String:
                return defaultNull
                    ? name + " is not null"
                    : "!string.Equals(" + name + ", " + StringLiteral(field.Default.Text) + ", global::System.StringComparison.Ordinal)";
            case FieldKind.Bytes:
            case FieldKind.Records:
                if (!field.IsNullableType)
                {
                    return "!" + name + ".IsEmpty";
                }
                return defaultNull ? name + ".HasValue" : "!" + name + ".HasValue || !" + name + ".Value.IsEmpty";
            case FieldKind.Uuid:
                return name + " != global::System.Guid.Empty";
            case FieldKind.Bool:
                return ScalarDefault(field) == "true" ? "!" + name : name;
            case FieldKind.Float64:
                return "global::System.BitConverter.DoubleToInt64Bits(" + name + ") != global::System.BitConverter.DoubleToInt64Bits("
                    + ScalarDefault(field) + ")";
            default:
                return name + " != " + ScalarDefault(field);
        }
    }

    /// <summary>True when the field's C# value can be null (a reference type, or a nullable bytes).</summary>
    public static bool CanHoldNull(FieldSpec field) =>
        field.IsArray || field.IsNullableType || field.Kind is FieldKind.String or FieldKind.Struct;

    /// <summary>A C# test that <paramref name="name"/> is null.</summary>
    public static string IsNull(FieldSpec field, string name) =>
        !field.IsArray && field.Kind is FieldKind.Bytes or FieldKind.Records ? "!" + name + ".HasValue" : name + " is null";

    /// <summary>The encoded size of a fixed-size kind, or 0 for a variable-size one.</summary>
    public static int FixedSize(FieldSpec field)
    {
        if (field.IsArray)
        {
            return 0;
        }
        return field.Kind switch
        {
            FieldKind.Int8 or FieldKind.Bool => 1,
            FieldKind.Int16 or FieldKind.UInt16 => 2,
            FieldKind.Int32 => 4,
            FieldKind.Int64 or FieldKind.Float64 => 8,
            FieldKind.Uuid => 16,
            _ => 0,
        };
    }

    /// <summary>The KafkaReader / KafkaWriter method suffix of a fixed-size kind.</summary>
    public static string PrimitiveMethod(FieldKind kind) => kind switch
    {
        FieldKind.Int8 => "Int8",
        FieldKind.Int16 => "Int16",
        FieldKind.Int32 => "Int32",
        FieldKind.Int64 => "Int64",
        FieldKind.UInt16 => "UInt16",
        FieldKind.Float64 => "Float64",
        FieldKind.Bool => "Bool",
        FieldKind.Uuid => "Uuid",
        _ => throw new InvalidOperationException("not a fixed-size kind: " + kind),
    };

    public static string StringLiteral(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    literal.Append("\\\"");
                    break;
                case '\\':
                    literal.Append("\\\\");
                    break;
                default:
                    if (c < ' ')
                    {
                        literal.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        literal.Append(c);
                    }
                    break;
            }
        }
        return literal.Append('"').ToString();
    }

    public static string RangeLiteral(VersionRange range) => range.IsEmpty
        ? "global::Orlog.Kafka.Protocol.KafkaVersionRange.None"
        : "new(" + range.Min.ToString(CultureInfo.InvariantCulture) + ", " + range.Max.ToString(CultureInfo.InvariantCulture) + ")";
}
