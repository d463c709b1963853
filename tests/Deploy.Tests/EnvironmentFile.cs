namespace Orlog.Deploy.Tests;

/// <summary>
/// A systemd EnvironmentFile: NAME=VALUE lines (a value may be quoted), '#' and ';' comment lines. Lines
/// of the form <c>#NAME=VALUE</c> are settings commented out, kept apart: the example shows them for a
/// reader to uncomment.
/// </summary>
internal sealed class EnvironmentFile
{
    private EnvironmentFile(List<KeyValuePair<string, string>> settings, List<KeyValuePair<string, string>> commentedOut)
    {
        Settings = settings;
        CommentedOut = commentedOut;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    public IReadOnlyList<KeyValuePair<string, string>> CommentedOut { get; }

    public static EnvironmentFile Load(string path)
    {
        var settings = new List<KeyValuePair<string, string>>();
        var commentedOut = new List<KeyValuePair<string, string>>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] is '#' or ';')
            {
                if (TryParse(line[1..], out var setting))
                {
                    commentedOut.Add(setting);
                }
                continue;
            }
            Assert.True(TryParse(line, out var active), $"{path}: '{line}' is not NAME=VALUE");
            settings.Add(active);
        }
        return new EnvironmentFile(settings, commentedOut);
    }

    private static bool TryParse(string line, out KeyValuePair<string, string> setting)
    {
        setting = default;
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !line[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return false;
        }
        var value = line[(equals + 1)..];
        if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
        {
            value = value[1..^1];
        }
        setting = new(line[..equals], value);
        return true;
    }
}
