using System.Globalization;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>The parts of a field line: name, type and attributes, and the version ranges they use.</summary>
internal sealed partial class SchemaParser
{
    private FieldSpec? ParseField(List<Token> tokens, int line, int column, int width)
    {
        var written = tokens[0].Text;
        if (written.Length == 0 || !IsPascalIdentifier(char.ToUpperInvariant(written[0]) + written.Substring(1)))
        {
            Error(line, tokens[0], $"'{written}' is not a field name: a letter, then letters and digits");
            return null;
        }
        if (tokens.Count < 2)
        {
            Error(line, tokens[0], $"field '{tokens[0].Text}' has no type");
            return null;
        }
        // Kafka spells a few fields in camel case (CreateTopics' timeoutMs); C# properties start with a capital,
        // as Kafka's Java accessors do.
        var fieldName = char.ToUpperInvariant(written[0]) + written.Substring(1);
        var field = new FieldSpec(fieldName, tokens[1].Text, line, column, width);
        ParseType(field, tokens[1], line);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var hasVersions = false;
        for (var i = 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var eq = token.Text.IndexOf('=');
            var name = eq < 0 ? token.Text : token.Text.Substring(0, eq);
            if (!seen.Add(name))
            {
                Error(line, token, $"'{name}' is given twice");
                continue;
            }
            if (eq < 0)
            {
                switch (name)
                {
                    case "ignorable":
                        field.Ignorable = true;
                        break;
                    case "key":
                        field.IsKey = true;
                        break;
                    default:
                        Error(line, token, $"unknown attribute '{name}' (known: v=, nullable=, default=, tag=, tagged=, ignorable, key)");
                        break;
                }
                continue;
            }
            var value = token.Text.Substring(eq + 1);
            switch (name)
            {
                case "v":
                    hasVersions = true;
                    field.Versions = ParseRange(token, value, line, "v");
                    break;
                case "nullable":
                    field.NullableVersions = ParseRange(token, value, line, "nullable");
                    break;
                case "tagged":
                    field.TaggedVersions = ParseRange(token, value, line, "tagged");
                    break;
                case "tag":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
                    {
                        field.Tag = tag;
                    }
                    else
                    {
                        Error(line, token, "tag= takes a number from 0 up");
                    }
                    break;
                case "default":
                    field.Default = ParseDefault(token, value, line);
                    break;
                default:
                    Error(line, token, $"unknown attribute '{name}' (known: v=, nullable=, default=, tag=, tagged=, ignorable, key)");
                    break;
            }
        }
        if (!hasVersions)
        {
            Error(line, tokens[0], $"field '{field.Name}' has no v=<versions> (such as v=0+, v=3-7 or v=none)");
        }
        return field;
    }

    private void ParseType(FieldSpec field, Token token, int line)
    {
        var text = token.Text;
        if (text.StartsWith("[]", StringComparison.Ordinal))
        {
            field.IsArray = true;
            text = text.Substring(2);
        }
        if (PrimitiveTypes.TryGet(text, out var kind))
        {
            field.Kind = kind;
            return;
        }
        if (IsPascalIdentifier(text))
        {
            field.Kind = FieldKind.Struct;
            field.StructName = text;
            return;
        }
        Error(line, token, $"unknown type '{token.Text}': one of {PrimitiveTypes.Names}, []<that>, a StructName or []StructName");
        field.Kind = FieldKind.Int32;
    }

    private DefaultValue ParseDefault(Token token, string value, int line)
    {
        if (value == "null")
        {
            return DefaultValue.Null;
        }
        if (value.StartsWith("\"", StringComparison.Ordinal))
        {
            if (value.Length < 2 || !value.EndsWith("\"", StringComparison.Ordinal))
            {
                Error(line, token, "a quoted default must end with '\"'");
                return DefaultValue.Implicit;
            }
            return new DefaultValue(DefaultKind.QuotedString, LineTokenizer.Unquote(value));
        }
        if (value.Length == 0)
        {
            Error(line, token, "default= has no value");
            return DefaultValue.Implicit;
        }
        return new DefaultValue(DefaultKind.Literal, value);
    }

    private VersionRange ParseRange(Token token, string value, int line, string attribute)
    {
        if (VersionRange.TryParse(value, out var range))
        {
            return range;
        }
        Error(line, token, $"{attribute}={value} is not a version range: write 3+, 3-7, 5 or none");
        return VersionRange.None;
    }

    private VersionRange ParseClosedRange(Token token, string value, int line, string attribute)
    {
        var range = ParseRange(token, value, line, attribute);
        if (range.IsOpenEnded || range.IsEmpty)
        {
            Error(line, token, $"{attribute}= takes the lowest and highest version, such as {attribute}=0-12");
            return VersionRange.None;
        }
        return range;
    }

    private VersionRange ParseFlexible(Token token, string value, int line)
    {
        var range = ParseRange(token, value, line, "flexible");
        if (!range.IsEmpty && !range.IsOpenEnded)
        {
            Error(line, token, "flexible= takes the first flexible version with a '+' (flexible=9+) or none");
            return VersionRange.None;
        }
        return range;
    }
}
