using Orlog.Silo;

namespace Orlog.Deploy.Tests;

/// <summary>
/// The settings a silo process is given, as configuration keys ("Orlog:SiloPort") and values: environment
/// variables (<c>__</c> for <c>:</c>, as .NET's configuration reads them) overridden by the command line,
/// read with the silo's own switch mappings (<see cref="SiloCommandLine"/>). Keys are not case-sensitive.
/// </summary>
internal sealed class OrlogSettings
{
    private readonly Dictionary<string, string> _values;

    private OrlogSettings(Dictionary<string, string> values) => _values = values;

    public string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The keys of the "Orlog" section only.</summary>
    public SortedSet<string> OrlogKeys => new(_values.Keys.Where(key => key.StartsWith("Orlog:", StringComparison.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);

    public static OrlogSettings From(IEnumerable<KeyValuePair<string, string>> environment, IReadOnlyList<string> commandLine)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        var parsed = SiloCommandLine.Parse(commandLine);
        Assert.True(parsed.Error is null, $"the silo refuses the command line {string.Join(' ', commandLine)}: {parsed.Error}");
        var args = parsed.ConfigurationArgs;
        for (var i = 0; i < args.Length; i++)
        {
            // The parser leaves switches as name, value pairs and rewrites --config a=b into one --Orlog:Defaults:a=b.
            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[args[i][2..equals]] = args[i][(equals + 1)..];
                continue;
            }
            var key = SiloCommandLine.SwitchMappings.TryGetValue(args[i], out var mapped) ? mapped : args[i][2..];
            values[key] = args[++i];
        }
        return new OrlogSettings(values);
    }

    /// <summary>These settings as a command line of <c>--Section:Key=value</c> arguments, which the silo takes as they are.</summary>
    public string[] AsCommandLine() => [.. _values.Select(pair => $"--{pair.Key}={pair.Value}")];
}
