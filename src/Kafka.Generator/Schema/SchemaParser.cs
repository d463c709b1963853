using System.Globalization;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>
/// Reads one <c>.schema</c> file into an <see cref="ApiSpec"/>: the <c>api</c> line, the <c>request</c> and
/// <c>response</c> sections and their fields, nested by two spaces a level. Every problem is collected as a
/// <see cref="SchemaError"/> with its line; <see cref="SchemaValidator"/> then checks what the fields mean.
/// </summary>
internal sealed partial class SchemaParser
{
    private readonly string _path;
    private readonly List<SchemaError> _errors = [];
    private readonly List<FieldSpec> _open = [];
    private ApiSpec? _api;
    private VersionRange _flexible = VersionRange.None;
    private MessageSpec? _section;
    private int _lineCount;

    private SchemaParser(string path)
    {
        _path = path;
    }

    public static ParseResult Parse(string path, string text)
    {
        var parser = new SchemaParser(path);
        parser.ReadLines(text);
        var api = parser._api;
        if (api is not null && parser._errors.Count == 0)
        {
            SchemaValidator.Validate(api, parser._errors);
        }
        return new ParseResult(path, parser._errors.Count == 0 ? api : null, parser._errors);
    }

    private void ReadLines(string text)
    {
        var lines = text.Split('\n');
        _lineCount = lines.Length;
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r', ' ');
            var number = index + 1;
            if (line.IndexOf('\t') >= 0)
            {
                Error(number, line.IndexOf('\t') + 1, 1, "tab character: indent with 2 spaces a level");
                continue;
            }
            var indent = 0;
            while (indent < line.Length && line[indent] == ' ')
            {
                indent++;
            }
            if (indent == line.Length || line[indent] == '#')
            {
                continue;
            }
            var tokens = LineTokenizer.Split(line, number, _errors);
            if (tokens.Count == 0)
            {
                continue;
            }
            if (indent == 0)
            {
                ReadTopLevel(tokens, number);
            }
            else
            {
                ReadField(tokens, number, indent, line.Length - indent);
            }
        }
        if (_api is null)
        {
            Error(1, 1, 0, "no 'api <Name> key=<n> versions=<a>-<b> advertise=<a>-<b> flexible=<n>+' line");
            return;
        }
        if (_api.Request is null)
        {
            Error(_lineCount, 1, 0, "no 'request' section (write the line even when the request has no fields)");
        }
        if (_api.Response is null)
        {
            Error(_lineCount, 1, 0, "no 'response' section (write the line even when the response has no fields)");
        }
    }

    private void ReadTopLevel(List<Token> tokens, int line)
    {
        var word = tokens[0];
        switch (word.Text)
        {
            case "api":
                if (_api is not null)
                {
                    Error(line, word, "a second 'api' line: one API a file");
                    return;
                }
                ReadApiLine(tokens, line);
                return;
            case "request":
            case "response":
                if (_api is null)
                {
                    Error(line, word, "the file must start with the 'api' line");
                    return;
                }
                ReadSectionLine(tokens, line);
                return;
            default:
                Error(line, word, "expected 'api', 'request' or 'response' at the start of a line; fields are indented 2 spaces");
                return;
        }
    }

    private void ReadApiLine(List<Token> tokens, int line)
    {
        if (tokens.Count < 2 || !IsPascalIdentifier(tokens[1].Text))
        {
            Error(line, tokens[0], "expected the API's name after 'api', such as 'api Metadata'");
            return;
        }
        var api = new ApiSpec(tokens[1].Text, _path);
        _api = api;
        bool hasKey = false, hasVersions = false, hasAdvertise = false, hasFlexible = false;
        for (var i = 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!SplitAttribute(token, line, out var name, out var value))
            {
                continue;
            }
            switch (name)
            {
                case "key":
                    hasKey = true;
                    if (!short.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
                    {
                        Error(line, token, "key= takes the API key, a number from 0 to 32767");
                    }
                    api.Key = key;
                    break;
                case "versions":
                    hasVersions = true;
                    api.Versions = ParseClosedRange(token, value, line, "versions");
                    break;
                case "advertise":
                    hasAdvertise = true;
                    api.Advertised = ParseClosedRange(token, value, line, "advertise");
                    break;
                case "flexible":
                    hasFlexible = true;
                    _flexible = ParseFlexible(token, value, line);
                    break;
                default:
                    Error(line, token, $"unknown attribute '{name}' on the api line (known: key, versions, advertise, flexible)");
                    break;
            }
        }
        var missing = new List<string>();
        if (!hasKey) missing.Add("key=");
        if (!hasVersions) missing.Add("versions=");
        if (!hasAdvertise) missing.Add("advertise=");
        if (!hasFlexible) missing.Add("flexible=");
        if (missing.Count > 0)
        {
            Error(line, tokens[0], "the api line lacks " + string.Join(", ", missing));
        }
        else if (!api.Versions.IsEmpty && !api.Advertised.IsEmpty && !api.Versions.Covers(api.Advertised))
        {
            Error(line, tokens[0], $"advertise={api.Advertised} is outside versions={api.Versions}");
        }
    }

    private void ReadSectionLine(List<Token> tokens, int line)
    {
        var api = _api!;
        var isRequest = tokens[0].Text == "request";
        if ((isRequest ? api.Request : api.Response) is not null)
        {
            Error(line, tokens[0], $"a second '{tokens[0].Text}' section");
            return;
        }
        var kind = isRequest ? "Request" : "Response";
        var section = new MessageSpec(kind, api.Name + kind, line) { Flexible = _flexible };
        for (var i = 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!SplitAttribute(token, line, out var name, out var value))
            {
                continue;
            }
            if (name == "flexible")
            {
                section.Flexible = ParseFlexible(token, value, line);
            }
            else
            {
                Error(line, token, $"unknown attribute '{name}' on the {tokens[0].Text} line (only flexible= may be overridden)");
            }
        }
        if (isRequest)
        {
            api.Request = section;
        }
        else
        {
            api.Response = section;
        }
        _section = section;
        _open.Clear();
    }

    private void ReadField(List<Token> tokens, int line, int indent, int width)
    {
        if (_section is null)
        {
            Error(line, indent + 1, width, "a field before any 'request' or 'response' line");
            return;
        }
        if (indent % 2 != 0)
        {
            Error(line, 1, indent, $"indented {indent} spaces: fields are indented 2 spaces a level");
            return;
        }
        var depth = indent / 2;
        if (depth > _open.Count + 1)
        {
            Error(line, 1, indent, _open.Count == 0
                ? "indented too far: a section's fields start at 2 spaces"
                : $"indented too far: at most one level (2 spaces) deeper than '{_open[_open.Count - 1].Name}'");
            return;
        }
        var field = ParseField(tokens, line, indent + 1, width);
        if (field is null)
        {
            return;
        }
        if (depth == 1)
        {
            _section.Fields.Add(field);
        }
        else
        {
            var parent = _open[depth - 2];
            if (!parent.IsStructLike)
            {
                Error(line, indent + 1, width, $"'{field.Name}' is indented under '{parent.Name}', whose type {parent.TypeText} has no fields");
            }
            parent.Children.Add(field);
        }
        _open.RemoveRange(depth - 1, _open.Count - (depth - 1));
        _open.Add(field);
    }

    private bool SplitAttribute(Token token, int line, out string name, out string value)
    {
        var eq = token.Text.IndexOf('=');
        if (eq <= 0)
        {
            Error(line, token, $"expected name=value, found '{token.Text}'");
            name = value = "";
            return false;
        }
        name = token.Text.Substring(0, eq);
        value = token.Text.Substring(eq + 1);
        return true;
    }

    internal static bool IsPascalIdentifier(string text)
    {
        if (text.Length == 0 || text[0] < 'A' || text[0] > 'Z')
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' || c is >= 'a' and <= 'z' || c is >= '0' and <= '9'))
            {
                return false;
            }
        }
        return true;
    }

    private void Error(int line, Token token, string message) => Error(line, token.Column, token.Text.Length, message);

    private void Error(int line, int column, int length, string message) => _errors.Add(new SchemaError(line, column, length, message));
}
