using System.Globalization;
using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>Writes a class's static <c>Read(ref KafkaReader reader, short version)</c>.</summary>
internal static class ReadEmitter
{
    public static void Emit(CodeWriter code, EmitContext context, List<FieldSpec> fields, bool isMessage)
    {
        var rt = EmitContext.Runtime;
        code.Line($"/// <summary>Reads one {context.ClassName} of <paramref name=\"version\"/> from <paramref name=\"reader\"/>.</summary>");
        code.Open($"public static {context.ClassName} Read(ref {rt}KafkaReader reader, short version)");
        if (isMessage)
        {
            code.Open("if (version < LowestVersion || version > HighestVersion)");
            code.Line($"throw {rt}KafkaUnsupportedVersionException.CannotRead(\"{context.ClassName}\", version);");
            code.Close();
        }
        if (!context.Flexible.IsNever)
        {
            code.Line("var flexible = IsFlexible(version);");
        }
        code.Line($"var result = new {context.ClassName}();");
        foreach (var field in fields)
        {
            var when = context.When(field.RegularVersions);
            if (when.IsNever)
            {
                continue;
            }
            if (!when.IsAlways)
            {
                code.Open($"if ({when.Text})");
            }
            Value(code, context, field, "result." + field.Name, context.Compact, field.RegularVersions, tagged: false);
            if (!when.IsAlways)
            {
                code.Close();
            }
        }
        TaggedSection(code, context, fields);
        code.Line("return result;");
        code.Close();
    }

    private static void TaggedSection(CodeWriter code, EmitContext context, List<FieldSpec> fields)
    {
        if (context.Flexible.IsNever)
        {
            return;
        }
        if (!context.Flexible.IsAlways)
        {
            code.Open("if (flexible)");
        }
        var tagged = fields.Where(f => f.Tag is not null && !context.When(f.TaggedVersions).IsNever).OrderBy(f => f.Tag).ToList();
        if (tagged.Count == 0)
        {
            code.Line("reader.SkipTaggedFields();");
        }
        else
        {
            code.Line("var taggedCount = reader.ReadTaggedFieldCount();");
            code.Open("for (var t = 0; t < taggedCount; t++)");
            code.Line("var tag = reader.ReadUnsignedVarint();");
            code.Line("var size = reader.ReadTaggedFieldSize();");
            code.Line("var end = reader.Position + size;");
            code.Open("switch (tag)");
            foreach (var field in tagged)
            {
                var when = context.When(field.TaggedVersions);
                var tag = field.Tag!.Value.ToString(CultureInfo.InvariantCulture);
                code.Open(when.IsAlways ? $"case {tag}:" : $"case {tag} when {when.Text}:");
                Value(code, context, field, "result." + field.Name, "true", field.TaggedVersions, tagged: true);
                code.Line("break;");
                code.Close();
            }
            code.Line("default:");
            code.Line("    reader.Skip(size);");
            code.Line("    break;");
            code.Close();
            code.Line("reader.EndTaggedField(end);");
            code.Close();
        }
        if (!context.Flexible.IsAlways)
        {
            code.Close();
        }
    }

    private static void Value(CodeWriter code, EmitContext context, FieldSpec field, string target, string compact, VersionRange within, bool tagged)
    {
        var nullable = context.When(field.NullableVersions, within);
        if (field.IsArray)
        {
            Array(code, context, field, target, compact, nullable);
            return;
        }
        switch (field.Kind)
        {
            case FieldKind.String:
                code.Line($"{target} = {Choose(nullable, $"reader.ReadNullableString({compact})", $"reader.ReadString({compact}, {context.Describe(field)})")};");
                return;
            case FieldKind.Bytes:
            case FieldKind.Records:
                code.Line($"{target} = {Choose(nullable, $"reader.ReadNullableBytes({compact})", $"reader.ReadBytes({compact}, {context.Describe(field)})")};");
                return;
            case FieldKind.Struct:
                var read = $"{FieldCode.StructClass(context.Message, field.Struct!)}.Read(ref reader, version)";
                if (nullable.IsNever)
                {
                    code.Line($"{target} = {read};");
                    return;
                }
                var marker = tagged ? "reader.ReadUnsignedVarint() == 0" : "reader.ReadInt8() < 0";
                code.Line($"{target} = ({nullable.And(marker)}) ? null : {read};");
                return;
            default:
                code.Line($"{target} = reader.Read{FieldCode.PrimitiveMethod(field.Kind)}();");
                return;
        }
    }

    private static string Choose(Cond nullable, string whenNullable, string otherwise) =>
        nullable.IsAlways ? whenNullable : nullable.IsNever ? otherwise : $"{nullable.Text} ? {whenNullable} : {otherwise}";

    private static void Array(CodeWriter code, EmitContext context, FieldSpec field, string target, string compact, Cond nullable)
    {
        var element = FieldCode.ElementType(context.Message, field);
        code.Open("");
        code.Line($"var count = reader.ReadArrayLength({compact});");
        code.Open("if (count < 0)");
        if (nullable.IsNever)
        {
            code.Line($"throw reader.NullNotAllowed({context.Describe(field)});");
        }
        else
        {
            if (!nullable.IsAlways)
            {
                code.Open($"if ({nullable.Not()})");
                code.Line($"throw reader.NullNotAllowed({context.Describe(field)});");
                code.Close();
            }
            code.Line($"{target} = null;");
        }
        code.Close();
        code.Open("else");
        code.Line($"var list = new global::System.Collections.Generic.List<{element}>(count);");
        code.Open("for (var i = 0; i < count; i++)");
        code.Line($"list.Add({Element(context, field, compact)});");
        code.Close();
        code.Line($"{target} = list;");
        code.Close();
        code.Close();
    }

    private static string Element(EmitContext context, FieldSpec field, string compact)
    {
        var name = FieldCode.StringLiteral(context.ClassName + "." + field.Name + "[]");
        return field.Kind switch
        {
            FieldKind.String => $"reader.ReadString({compact}, {name})",
            FieldKind.Bytes => $"reader.ReadBytes({compact}, {name})",
            FieldKind.Struct => $"{FieldCode.StructClass(context.Message, field.Struct!)}.Read(ref reader, version)",
            _ => $"reader.Read{FieldCode.PrimitiveMethod(field.Kind)}()",
        };
    }
}
