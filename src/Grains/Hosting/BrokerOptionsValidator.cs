using Microsoft.Extensions.Options;

namespace Orlog.Grains.Hosting;

/// <summary>
/// Checks <see cref="BrokerOptions"/> at start: a broker id of 0 or more, a data directory, a cluster id
/// of letters, digits, '.', '_' and '-', and every entry of <see cref="BrokerOptions.Defaults"/> under a
/// known Kafka broker config name with a value that parses and is in range (<see cref="BrokerSettings"/>). Each failure names the setting
/// as it is configured (<c>Orlog:Defaults:log.segment.bytes</c>, ...).
/// </summary>
public sealed class BrokerOptionsValidator : IValidateOptions<BrokerOptions>
{
    private const string Section = BrokerOptions.SectionName;

    /// <summary>
    /// The broker defaults that topics inherit, by Kafka broker config name, with the topic config name each
    /// one is the default of (<c>log.roll.ms</c> is the default of <c>segment.ms</c>, as in Kafka).
    /// </summary>
    public static IReadOnlyDictionary<string, string> TopicConfigNames => BrokerDefaults.LogConfigNames;

    /// <summary>Every name <see cref="BrokerOptions.Defaults"/> accepts.</summary>
    public static IReadOnlyCollection<string> KnownDefaultNames { get; } = [.. BrokerSettings.All.Select(s => s.Name)];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BrokerId < 0)
        {
            failures.Add($"{Section}:BrokerId={options.BrokerId} is out of range: a broker id is 0 or more.");
        }
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{Section}:DataDirectory is empty: set the directory that holds this broker's data.");
        }
        else if (options.DataDirectory.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:DataDirectory='{options.DataDirectory}' is not a valid path.");
        }
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{Section}:ClusterId is empty: set the cluster's id (letters, digits, '.', '_' and '-').");
        }
        else if (!IsClusterId(options.ClusterId))
        {
            failures.Add($"{Section}:ClusterId='{options.ClusterId}' is invalid: use letters, digits, '.', '_' and '-' only.");
        }
        if (options.Defaults is not null)
        {
            foreach (var (setting, value) in options.Defaults)
            {
                if (CheckDefault(setting, value ?? "") is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? CheckDefault(string setting, string value)
    {
        var key = $"{Section}:Defaults:{setting}";
        if (BrokerSettings.Find(setting) is { } known)
        {
            return known.Check(value) is { } problem ? $"{key} is invalid: {setting}='{value}' {problem}" : null;
        }
        var hint = BrokerSettings.InsteadOf.TryGetValue(setting, out var instead) ? $" Use {instead} instead." : "";
        return $"{key} is not a broker setting Orlog knows.{hint} Known: {string.Join(", ", KnownDefaultNames)}.";
    }

    private static bool IsClusterId(string clusterId)
    {
        foreach (var c in clusterId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
