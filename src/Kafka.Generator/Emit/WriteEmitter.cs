using System.Globalization;
using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>
/// Writes a class's <c>Write(KafkaWriter writer, short version)</c>. As in Kafka, a field that the version
/// lacks is dropped when it holds its default or is ignorable; otherwise writing fails rather than lose it.
/// </summary>
internal static class WriteEmitter
{
    public static void Emit(CodeWriter code, EmitContext context, List<FieldSpec> fields, bool isMessage)
    {
        var rt = EmitContext.Runtime;
        code.Line("/// <summary>Writes this " + context.ClassName + " as <paramref name=\"version\"/> lays it out.</summary>");
        code.Line($"/// <exception cref=\"{rt}KafkaUnsupportedVersionException\">The version cannot carry a value set here.</exception>");
        code.Open($"public void Write({rt}KafkaWriter writer, short version)");
        if (isMessage)
        {
            code.Open("if (version < LowestVersion || version > HighestVersion)");
            code.Line($"throw {rt}KafkaUnsupportedVersionException.CannotWrite(\"{context.ClassName}\", version);");
            code.Close();
        }
        if (!context.Flexible.IsNever)
        {
            code.Line("var flexible = IsFlexible(version);");
        }
        foreach (var field in fields)
        {
            Regular(code, context, field);
            Absent(code, context, field);
        }
        TaggedSection(code, context, fields);
        code.Close();
    }

    private static void Regular(CodeWriter code, EmitContext context, FieldSpec field)
    {
        var when = context.When(field.RegularVersions);
        if (when.IsNever)
        {
            return;
        }
        if (!when.IsAlways)
        {
            code.Open($"if ({when.Text})");
        }
        NullCheck(code, context, field, field.RegularVersions);
        Value(code, context, field, "writer", context.Compact, field.RegularVersions, tagged: false);
        if (!when.IsAlways)
        {
            code.Close();
        }
    }

    /// <summary>A non-ignorable field that the version lacks must hold its default.</summary>
    private static void Absent(CodeWriter code, EmitContext context, FieldSpec field)
    {
        var present = context.When(field.Versions);
        if (field.Ignorable || present.IsAlways)
        {
            return;
        }
        var nonDefault = FieldCode.NonDefault(field, field.Name);
        code.Open(present.IsNever ? $"if ({nonDefault})" : $"if ({present.Not()} && ({nonDefault}))");
        code.Line($"throw {EmitContext.Runtime}KafkaUnsupportedVersionException.FieldNotInVersion(\"{context.ClassName}\", \"{field.Name}\", version);");
        code.Close();
    }

    private static void NullCheck(CodeWriter code, EmitContext context, FieldSpec field, VersionRange within)
    {
        if (!FieldCode.CanHoldNull(field))
        {
            return;
        }
        var nullable = context.When(field.NullableVersions, within);
        if (nullable.IsAlways)
        {
            return;
        }
        var isNull = FieldCode.IsNull(field, field.Name);
        code.Open(nullable.IsNever ? $"if ({isNull})" : $"if ({isNull} && {nullable.Not()})");
        code.Line($"throw {EmitContext.Runtime}KafkaUnsupportedVersionException.NullNotAllowed(\"{context.ClassName}\", \"{field.Name}\", version);");
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
            code.Line("writer.WriteUnsignedVarint(0);");
        }
        else
        {
            code.Line("var taggedCount = 0u;");
            foreach (var field in tagged)
            {
                code.Open($"if ({Present(context, field)})");
                code.Line("taggedCount++;");
                code.Close();
            }
            code.Line("writer.WriteUnsignedVarint(taggedCount);");
            foreach (var field in tagged)
            {
                TaggedField(code, context, field);
            }
        }
        if (!context.Flexible.IsAlways)
        {
            code.Close();
        }
    }

    /// <summary>A tagged field goes out only in its tagged versions, and only when not its default.</summary>
    private static string Present(EmitContext context, FieldSpec field) =>
        context.When(field.TaggedVersions).And("(" + FieldCode.NonDefault(field, field.Name) + ")");

    private static void TaggedField(CodeWriter code, EmitContext context, FieldSpec field)
    {
        var tag = field.Tag!.Value.ToString(CultureInfo.InvariantCulture) + "u";
        code.Open($"if ({Present(context, field)})");
        var size = FieldCode.FixedSize(field);
        if (size > 0)
        {
            code.Line($"writer.WriteUnsignedVarint({tag});");
            code.Line($"writer.WriteUnsignedVarint({size.ToString(CultureInfo.InvariantCulture)});");
            code.Line($"writer.Write{FieldCode.PrimitiveMethod(field.Kind)}({field.Name});");
        }
        else
        {
            NullCheck(code, context, field, field.TaggedVersions);
            code.Line("var scratch = writer.CreateScratch();");
            Value(code, context, field, "scratch", "true", field.TaggedVersions, tagged: true);
            code.Line($"writer.WriteTaggedField({tag}, scratch);");
        }
        code.Close();
    }

    private static void Value(CodeWriter code, EmitContext context, FieldSpec field, string output, string compact, VersionRange within, bool tagged)
    {
        var name = field.Name;
        if (field.IsArray)
        {
            Array(code, context, field, output, compact);
            return;
        }
        switch (field.Kind)
        {
            case FieldKind.String:
                code.Line($"{output}.WriteString({name}, {compact});");
                return;
            case FieldKind.Bytes:
            case FieldKind.Records:
                code.Line(field.IsNullableType
                    ? $"{output}.WriteNullableBytes({name}, {compact});"
                    : $"{output}.WriteBytes({name}.Span, {compact});");
                return;
            case FieldKind.Struct:
                Struct(code, context, field, output, within, tagged);
                return;
            default:
                code.Line($"{output}.Write{FieldCode.PrimitiveMethod(field.Kind)}({name});");
                return;
        }
    }

    private static void Struct(CodeWriter code, EmitContext context, FieldSpec field, string output, VersionRange within, bool tagged)
    {
        var name = field.Name;
        if (!field.IsNullableType)
        {
            code.Line($"{name}.Write({output}, version);");
            return;
        }
        // Kafka marks a nullable struct with an int8 (-1 null, 1 present); in a tagged field, with a varint (0, 1).
        var nullable = context.When(field.NullableVersions, within);
        if (nullable.IsNever)
        {
            code.Line($"{name}!.Write({output}, version);");
            return;
        }
        if (!nullable.IsAlways)
        {
            code.Open($"if ({nullable.Text})");
        }
        var (absent, present) = tagged
            ? ($"{output}.WriteUnsignedVarint(0);", $"{output}.WriteUnsignedVarint(1);")
            : ($"{output}.WriteInt8(-1);", $"{output}.WriteInt8(1);");
        code.Open($"if ({name} is null)");
        code.Line(absent);
        code.Close();
        code.Open("else");
        code.Line(present);
        code.Line($"{name}.Write({output}, version);");
        code.Close();
        if (!nullable.IsAlways)
        {
            code.Close();
            code.Open("else");
            code.Line($"{name}!.Write({output}, version);");
            code.Close();
        }
    }

    private static void Array(CodeWriter code, EmitContext context, FieldSpec field, string output, string compact)
    {
        var name = field.Name;
        if (field.IsNullableType)
        {
            code.Open($"if ({name} is null)");
            code.Line($"{output}.WriteNullArray({compact});");
            code.Close();
            code.Open("else");
        }
        else
        {
            code.Open("");
        }
        code.Line($"{output}.WriteArrayLength({name}.Count, {compact});");
        code.Open($"foreach (var item in {name})");
        var nullItem = $"throw {EmitContext.Runtime}KafkaUnsupportedVersionException.NullNotAllowed(\"{context.ClassName}\", \"{name}[]\", version)";
        switch (field.Kind)
        {
            case FieldKind.String:
                code.Line($"{output}.WriteString(item ?? {nullItem}, {compact});");
                break;
            case FieldKind.Bytes:
                code.Line($"{output}.WriteBytes(item.Span, {compact});");
                break;
            case FieldKind.Struct:
                code.Line($"(item ?? {nullItem}).Write({output}, version);");
                break;
            default:
                code.Line($"{output}.Write{FieldCode.PrimitiveMethod(field.Kind)}(item);");
                break;
        }
        code.Close();
        code.Close();
    }
}
