using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orlog.Deploy.Tests;

/// <summary>
/// A systemd unit file read as systemd reads it: [Section] headers, Key=Value lines, '#' and ';' comment
/// lines, a trailing backslash continuing a line. <see cref="ForInstance"/> fills in %i.
/// </summary>
internal sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries;

    private SystemdUnit(List<(string Section, string Key, string Value)> entries) => _entries = entries;

    public static SystemdUnit Load(string path)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line[0] is '#' or ';'))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            line = pending.Append(line).ToString();
            pending.Clear();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{path}: '{line}' is neither a section, a comment nor Key=Value");
            entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
        return new SystemdUnit(entries);
    }

    /// <summary>The unit as instance <paramref name="instance"/> of a template sees it: %i replaced.</summary>
    public SystemdUnit ForInstance(string instance) =>
        new([.. _entries.Select(entry => (entry.Section, entry.Key, entry.Value.Replace("%i", instance, StringComparison.Ordinal)))]);

    /// <summary>Every value of a key, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        [.. _entries.Where(entry => entry.Section == section && entry.Key == key).Select(entry => entry.Value)];

    /// <summary>The value of a key given once; fails the test when it is missing or repeated.</summary>
    public string Single(string section, string key)
    {
        var values = All(section, key);
        Assert.True(values.Count == 1, $"[{section}] {key} is given {values.Count} times, expected once");
        return values[0];
    }

    /// <summary>The value of a key, or null when the unit does not set it (the last one wins, as for systemd's simple settings).</summary>
    public string? Optional(string section, string key) => All(section, key) is { Count: > 0 } values ? values[^1] : null;

    /// <summary>Splits a command line into words as systemd does for ExecStart: whitespace separated, "..." and '...' quoted.</summary>
    public static string[] SplitCommandLine(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in commandLine)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        Assert.True(quote is null, $"unbalanced quote in '{commandLine}'");
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return [.. words];
    }

    /// <summary>A systemd time span ("45", "45s", "1min 30s") in seconds.</summary>
    public static TimeSpan ParseTimeSpan(string value)
    {
        var total = TimeSpan.Zero;
        foreach (Match part in Regex.Matches(value, @"(\d+)\s*(ms|s|sec|min|m|h)?"))
        {
            var number = int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "min" or "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromSeconds(number),
            };
        }
        Assert.True(total > TimeSpan.Zero, $"'{value}' is not a systemd time span");
        return total;
    }
}
