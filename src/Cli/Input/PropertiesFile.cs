using System.Globalization;
using System.Text;

namespace Orlog.Cli.Input;

/// <summary>
/// Reads a file of client settings in Java properties syntax, as Kafka's tools and kcat take them: one setting a
/// line as key=value, key: value or key value; lines starting with # or ! are comments; a line ending in a
/// backslash goes on on the next; \t, \n, \r, \f, \\, \uXXXX and an escaped separator are unescaped.
/// </summary>
internal static class PropertiesFile
{
    /// <exception cref="ArgumentException">The file is missing or unreadable (a usage error).</exception>
    public static List<KeyValuePair<string, string>> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"The settings file '{path}' cannot be read: {error.Message}");
        }
        return Parse(text);
    }

    public static List<KeyValuePair<string, string>> Parse(string text)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var line in LogicalLines(text))
        {
            var (key, value) = Split(line);
            if (key.Length > 0)
            {
                settings.Add(KeyValuePair.Create(key, value));
            }
        }
        return settings;
    }

    /// <summary>The lines that are not blank or comments, continuation lines joined (each continued line's leading blanks dropped).</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = new StringBuilder();
        var continuing = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart(' ', '\t', '\f');
            if (!continuing && (trimmed.Length == 0 || trimmed[0] is '#' or '!'))
            {
                continue;
            }
            var backslashes = 0;
            for (var i = trimmed.Length - 1; i >= 0 && trimmed[i] == '\\'; i--)
            {
                backslashes++;
            }
            continuing = backslashes % 2 == 1;
            current.Append(continuing ? trimmed[..^1] : trimmed);
            if (!continuing)
            {
                yield return current.ToString();
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static (string Key, string Value) Split(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, key);
                continue;
            }
            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }
            key.Append(c);
        }
        // The separator: blanks, then at most one = or :, then blanks.
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }
        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }
        var value = new StringBuilder();
        for (; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, value);
                continue;
            }
            value.Append(line[i]);
        }
        return (key.ToString(), value.ToString().TrimEnd());
    }

    /// <summary>Appends the character the escape at <paramref name="at"/> stands for; returns the index of its last character.</summary>
    private static int Unescape(string line, int at, StringBuilder into)
    {
        var next = line[at + 1];
        switch (next)
        {
            case 't':
                into.Append('\t');
                return at + 1;
            case 'n':
                into.Append('\n');
                return at + 1;
            case 'r':
                into.Append('\r');
                return at + 1;
            case 'f':
                into.Append('\f');
                return at + 1;
            case 'u' when at + 5 < line.Length && int.TryParse(line.AsSpan(at + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                into.Append((char)code);
                return at + 5;
            default:
                into.Append(next);
                return at + 1;
        }
    }
}
