using System.Globalization;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>
/// Checks what a parsed schema means, Kafka's rules for message definitions: structs defined once and
/// resolved, tags unique and only in flexible versions, nullability only where a type can be null, defaults
/// that fit their type, and no name the generated C# could not compile.
/// </summary>
internal static class SchemaValidator
{
    private static readonly HashSet<string> _messageMembers =
    [
        "ApiKey", "LowestVersion", "HighestVersion", "AdvertisedLowest", "AdvertisedHighest", "FlexibleFrom",
        "IsFlexible", "Read", "Write", "SchemaFields",
    ];

    private static readonly HashSet<string> _structMembers = ["Read", "Write", "SchemaFields", "IsFlexible"];

    public static void Validate(ApiSpec api, List<SchemaError> errors)
    {
        var structs = new Dictionary<string, StructSpec>();
        var messages = new[] { api.Request!, api.Response! };
        foreach (var message in messages)
        {
            DefineStructs(message.Fields, structs, errors);
        }
        foreach (var message in messages)
        {
            ResolveStructs(message.Fields, structs, errors);
        }
        if (errors.Count > 0)
        {
            return;
        }
        foreach (var message in messages)
        {
            CollectStructs(message, message.Fields, [], errors);
        }
        if (errors.Count > 0)
        {
            return;
        }
        foreach (var message in messages)
        {
            CheckFields(message, message.ClassName, message.Fields, _messageMembers, errors);
            foreach (var spec in message.Structs)
            {
                CheckStructName(message, spec, errors);
                CheckFields(message, message.StructClassName(spec), spec.Fields, _structMembers, errors);
            }
        }
    }

    private static void DefineStructs(List<FieldSpec> fields, Dictionary<string, StructSpec> structs, List<SchemaError> errors)
    {
        foreach (var field in fields)
        {
            if (!field.IsStructLike || field.Children.Count == 0)
            {
                continue;
            }
            if (structs.TryGetValue(field.StructName!, out var earlier))
            {
                errors.Add(At(field, $"struct {field.StructName} is defined twice (first at line {earlier.Line}): " +
                    "write the fields once and use the name alone the second time"));
                continue;
            }
            structs.Add(field.StructName!, new StructSpec(field.StructName!, field.Line, field.Children));
            DefineStructs(field.Children, structs, errors);
        }
    }

    private static void ResolveStructs(List<FieldSpec> fields, Dictionary<string, StructSpec> structs, List<SchemaError> errors)
    {
        foreach (var field in fields)
        {
            if (!field.IsStructLike)
            {
                continue;
            }
            if (!structs.TryGetValue(field.StructName!, out var spec))
            {
                errors.Add(At(field, $"struct {field.StructName} has no fields here and is not defined elsewhere in the file"));
                continue;
            }
            field.Struct = spec;
            if (field.Children.Count > 0)
            {
                ResolveStructs(field.Children, structs, errors);
            }
        }
    }

    private static void CollectStructs(MessageSpec message, List<FieldSpec> fields, List<StructSpec> path, List<SchemaError> errors)
    {
        foreach (var field in fields)
        {
            var spec = field.Struct;
            if (spec is null)
            {
                continue;
            }
            if (path.Contains(spec))
            {
                errors.Add(At(field, $"struct {spec.Name} contains itself"));
                continue;
            }
            if (!message.Structs.Contains(spec))
            {
                message.Structs.Add(spec);
            }
            path.Add(spec);
            CollectStructs(message, spec.Fields, path, errors);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void CheckStructName(MessageSpec message, StructSpec spec, List<SchemaError> errors)
    {
        if (spec.Name == message.ClassName)
        {
            errors.Add(new SchemaError(spec.Line, 1, 0, $"struct {spec.Name} has the name of the message class itself"));
        }
        if (!message.Fields.Any(f => f.Name == spec.Name))
        {
            return;
        }
        var className = spec.Name + "Data";
        if (message.Fields.Any(f => f.Name == className) || message.Structs.Any(s => s.Name == className))
        {
            errors.Add(new SchemaError(spec.Line, 1, 0, $"struct {spec.Name} shares its name with a field, and {className}, " +
                "its class's name then, is taken too: rename the struct"));
            return;
        }
        message.StructClassNames[spec] = className;
    }

    private static void CheckFields(MessageSpec message, string owner, List<FieldSpec> fields, HashSet<string> reserved, List<SchemaError> errors)
    {
        var names = new HashSet<string>();
        var tags = new Dictionary<int, FieldSpec>();
        foreach (var field in fields)
        {
            if (!names.Add(field.Name))
            {
                errors.Add(At(field, $"{owner} has two fields named {field.Name}"));
            }
            if (reserved.Contains(field.Name) || field.Name == owner)
            {
                errors.Add(At(field, $"a field of {owner} cannot be named {field.Name}: the generated class uses that name"));
            }
            if (field.IsArray && field.Kind == FieldKind.Records)
            {
                errors.Add(At(field, "an array of records is not a Kafka type: use records or []bytes"));
            }
            CheckNullable(field, errors);
            CheckTag(message, owner, field, tags, errors);
            CheckDefault(field, errors);
        }
    }

    private static void CheckNullable(FieldSpec field, List<SchemaError> errors)
    {
        if (field.NullableVersions.IsEmpty)
        {
            return;
        }
        var canBeNull = field.IsArray || field.Kind is FieldKind.String or FieldKind.Bytes or FieldKind.Records or FieldKind.Struct;
        if (!canBeNull)
        {
            errors.Add(At(field, $"{field.Name} is {field.TypeText}, which cannot be null: only strings, bytes, records, arrays and structs take nullable="));
        }
    }

    private static void CheckTag(MessageSpec message, string owner, FieldSpec field, Dictionary<int, FieldSpec> tags, List<SchemaError> errors)
    {
        if (field.Tag is null)
        {
            if (!field.TaggedVersions.IsEmpty)
            {
                errors.Add(At(field, $"{field.Name} has tagged= but no tag=<n>"));
            }
            return;
        }
        var tag = field.Tag.Value;
        if (field.TaggedVersions.IsEmpty)
        {
            errors.Add(At(field, $"{field.Name} has tag={tag} but no tagged=<versions>"));
            return;
        }
        if (tags.TryGetValue(tag, out var other))
        {
            errors.Add(At(field, $"{owner} uses tag {tag} twice: {other.Name} (line {other.Line}) and {field.Name}"));
        }
        else
        {
            tags.Add(tag, field);
        }
        if (!field.TaggedVersions.IsOpenEnded)
        {
            errors.Add(At(field, $"tagged={field.TaggedVersions} must be open-ended (such as tagged=3+): a tag, once used, stays"));
        }
        if (!field.Versions.Covers(field.TaggedVersions))
        {
            errors.Add(At(field, $"tagged={field.TaggedVersions} is not within v={field.Versions}"));
        }
        if (!message.Flexible.Covers(field.TaggedVersions))
        {
            errors.Add(At(field, $"tagged={field.TaggedVersions} reaches versions where the {message.Kind.ToLowerInvariant()} is not flexible (flexible={message.Flexible})"));
        }
        if (field.Kind == FieldKind.Records)
        {
            errors.Add(At(field, "a records field cannot be tagged"));
        }
        var nullableTagged = field.NullableVersions.Intersect(field.TaggedVersions);
        if (!nullableTagged.IsEmpty && !nullableTagged.Equals(field.TaggedVersions))
        {
            errors.Add(At(field, $"nullable={field.NullableVersions} covers some of tagged={field.TaggedVersions} but not all: make every tagged version nullable or none"));
        }
    }

    private static void CheckDefault(FieldSpec field, List<SchemaError> errors)
    {
        var value = field.Default;
        if (value.Kind == DefaultKind.Implicit)
        {
            return;
        }
        if (value.IsNull)
        {
            var canBeNull = field.IsArray || field.Kind is FieldKind.String or FieldKind.Bytes or FieldKind.Records or FieldKind.Struct;
            if (!canBeNull || !field.NullableVersions.Covers(field.Versions))
            {
                errors.Add(At(field, $"default=null needs {field.Name} nullable in every version it has (nullable= covering v={field.Versions})"));
            }
            return;
        }
        if (field.IsArray || field.Kind is FieldKind.Bytes or FieldKind.Records or FieldKind.Struct)
        {
            errors.Add(At(field, $"{field.TypeText} takes no default but null: its default is empty"));
            return;
        }
        string? problem = field.Kind switch
        {
            FieldKind.Bool => value.Kind == DefaultKind.Literal && value.Text is "true" or "false" ? null : "default= of a bool is true or false",
            FieldKind.String => value.Kind == DefaultKind.QuotedString ? null : "a string default is quoted: default=\"text\"",
            FieldKind.Float64 => value.Kind == DefaultKind.Literal
                && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "default= of a float64 is a number",
            FieldKind.Uuid => "a uuid takes no default: its default is all zeros",
            _ => IntegerDefault.TryParse(field.Kind, value, out _) ? null : $"default={value.Text} is not a {field.TypeText} (decimal or 0x hex, within range)",
        };
        if (problem is not null)
        {
            errors.Add(At(field, problem));
        }
    }

    private static SchemaError At(FieldSpec field, string message) => new(field.Line, field.Column, field.Width, message);
}
