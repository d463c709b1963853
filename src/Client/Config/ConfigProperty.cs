using System.Globalization;

namespace Orlog.Client;

/// <summary>One known client setting: its Kafka name, which clients take it, its default and its check.</summary>
internal sealed class ConfigProperty
{
    private readonly Func<string, string?> _check;

    private ConfigProperty(string name, ConfigRole role, string? defaultValue, Func<string, string?> check)
    {
        Name = name;
        Role = role;
        Default = defaultValue;
        _check = check;
    }

    public string Name { get; }

    public ConfigRole Role { get; }

    /// <summary>The value used when the setting is not given (null: none).</summary>
    public string? Default { get; }

    /// <summary>Null when <paramref name="value"/> is acceptable, else what is wrong with it.</summary>
    public string? Check(string value) => _check(value);

    public static ConfigProperty Int(string name, ConfigRole role, int defaultValue, int min, int max = int.MaxValue) =>
        new(name, role, defaultValue.ToString(CultureInfo.InvariantCulture), value =>
            int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed >= min && parsed <= max ? null : $"must be between {min} and {max}"
                : "must be an integer");

    public static ConfigProperty Bool(string name, ConfigRole role, bool defaultValue) =>
        new(name, role, defaultValue ? "true" : "false", value =>
            value is "true" or "false" ? null : "must be true or false");

    public static ConfigProperty Choice(string name, ConfigRole role, string defaultValue, params string[] choices) =>
        new(name, role, defaultValue, value =>
            Array.IndexOf(choices, value) >= 0 ? null : $"must be one of {string.Join(", ", choices)}");

    public static ConfigProperty Text(string name, ConfigRole role, string? defaultValue, Func<string, string?>? check = null) =>
        new(name, role, defaultValue, check ?? (_ => null));
}
