using System.Text;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>
/// Splits a schema line into words at spaces. A double-quoted part (<c>default="a b"</c>) is one word with
/// <c>\"</c> and <c>\\</c> escapes; a word starting with <c>#</c> starts a comment that runs to the end.
/// </summary>
internal static class LineTokenizer
{
    public static List<Token> Split(string line, int lineNumber, List<SchemaError> errors)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ')
            {
                i++;
                continue;
            }
            if (line[i] == '#')
            {
                break;
            }
            var start = i;
            var text = new StringBuilder();
            while (i < line.Length && line[i] != ' ')
            {
                if (line[i] != '"')
                {
                    text.Append(line[i++]);
                    continue;
                }
                // A quoted run keeps its quotes so that the attribute parser can tell "null" from null.
                text.Append('"');
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    var c = line[i++];
                    if (c == '\\' && i < line.Length && (line[i] == '"' || line[i] == '\\'))
                    {
                        text.Append('\\').Append(line[i++]);
                    }
                    else if (c == '"')
                    {
                        text.Append('"');
                        closed = true;
                        break;
                    }
                    else
                    {
                        text.Append(c);
                    }
                }
                if (!closed)
                {
                    errors.Add(new SchemaError(lineNumber, start + 1, line.Length - start, "a quoted value has no closing '\"'"));
                }
            }
            tokens.Add(new Token(text.ToString(), start + 1));
        }
        return tokens;
    }

    /// <summary>The content of a quoted word (<c>"a \"b\""</c> gives <c>a "b"</c>).</summary>
    public static string Unquote(string quoted)
    {
        var text = new StringBuilder();
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length - 1)
            {
                i++;
            }
            text.Append(quoted[i]);
        }
        return text.ToString();
    }
}
