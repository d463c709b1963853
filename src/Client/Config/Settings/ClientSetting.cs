using System.Globalization;

namespace Orlog.Client;

/// <summary>
/// One client setting as Kafka's clients know it: its name and the other names it goes by (librdkafka's and the Java
/// client's), which clients take it, its type, default and range, what it does in Orlog, and whether Orlog applies
/// it, accepts it with no effect, or refuses it. The config classes, their checks, the clients' defaults and the
/// docs' tables all read these.
/// </summary>
internal sealed class ClientSetting
{
    public required string Name { get; init; }

    /// <summary>Other names for the same setting (librdkafka's where the Java client's is the name, and the reverse).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required SettingScope Scope { get; init; }

    public required SettingKind Kind { get; init; }

    /// <summary>The value when the setting is not given, as text (null: none).</summary>
    public string? Default { get; init; }

    public double Min { get; init; } = double.MinValue;

    public double Max { get; init; } = double.MaxValue;

    /// <summary>The accepted values of a <see cref="SettingKind.Choice"/> (compared without case).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public SettingEffect Effect { get; init; } = SettingEffect.Applied;

    /// <summary>What the setting does in Orlog (the docs' table).</summary>
    public required string Description { get; init; }

    /// <summary>Why it has no effect or is refused, and what to do instead.</summary>
    public string? Why { get; init; }

    /// <summary>A further check of a value (null: fine; else what is wrong with it).</summary>
    public Func<string, string?>? Check { get; init; }

    /// <summary>Values taken with no effect although the setting is applied: null, or why (said once when a client starts).</summary>
    public Func<string, string?>? Ignore { get; init; }

    /// <summary>Values taken with no effect given the client's other settings (heartbeat.interval.ms under the server-side group protocol): null, or why.</summary>
    public Func<string, ClientConfig, string?>? IgnoreWhen { get; init; }

    /// <summary>Why <paramref name="value"/> has no effect in Orlog with <paramref name="config"/>'s other settings, or null when it has.</summary>
    public string? NoEffectWhy(string value, ClientConfig config) =>
        Effect == SettingEffect.NoEffect ? Why : IgnoreWhen?.Invoke(value, config) ?? Ignore?.Invoke(value);

    /// <summary>Values refused although the setting is known: null, or the reason with what to do instead.</summary>
    public Func<string, string?>? Refuse { get; init; }

    /// <summary>Every name the setting goes by.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    public bool AppliesTo(SettingScope scope) => (Scope & scope) != 0;

    /// <summary>The value as stored: trimmed, choices in their canonical spelling. Throws <see cref="ConfigException"/> naming <paramref name="given"/>.</summary>
    public string Parse(string given, string value)
    {
        value = value.Trim();
        if (Effect == SettingEffect.Refused)
        {
            throw new ConfigException(given, $"'{given}' is not supported by Orlog: {Why}");
        }
        var problem = Kind switch
        {
            SettingKind.Int => CheckNumber(long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null, "an integer",
                int.MinValue, int.MaxValue),
            SettingKind.Long => CheckNumber(long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null, "an integer",
                long.MinValue, long.MaxValue),
            SettingKind.Double => CheckNumber(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null, "a number",
                double.MinValue, double.MaxValue),
            SettingKind.Bool => value.ToLowerInvariant() is "true" or "false" ? null : "must be true or false",
            SettingKind.Choice when Choices.Count > 0 => Canonical(value) is null ? $"must be one of {string.Join(", ", Choices)}" : null,
            _ => null,
        };
        if (problem is null && Check is not null)
        {
            problem = Check(value);
        }
        if (problem is not null)
        {
            throw new ConfigException(given, $"Setting '{given}' {problem} (got '{value}').");
        }
        if (Kind == SettingKind.Bool)
        {
            value = value.ToLowerInvariant();
        }
        else if (Kind == SettingKind.Choice && Choices.Count > 0)
        {
            value = Canonical(value)!;
        }
        if (Refuse?.Invoke(value) is { } refused)
        {
            throw new ConfigException(given, $"'{given}={value}' is not supported by Orlog: {refused}");
        }
        return value;
    }

    /// <summary>The range or choices, for the docs.</summary>
    public string Range => Kind switch
    {
        SettingKind.Choice => string.Join(", ", Choices),
        SettingKind.Bool => "true, false",
        SettingKind.Int or SettingKind.Long or SettingKind.Double => (Min > double.MinValue, Max < double.MaxValue) switch
        {
            (true, true) => $"{Bound(Min)} .. {Bound(Max)}",
            (true, false) => $"at least {Bound(Min)}",
            (false, true) => $"at most {Bound(Max)}",
            _ => "",
        },
        _ => "",
    };

    private string? Canonical(string value)
    {
        foreach (var choice in Choices)
        {
            if (string.Equals(choice, value, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }
        return null;
    }

    private string? CheckNumber(double? parsed, string what, double typeMin, double typeMax)
    {
        if (parsed is not { } number || number < typeMin || number > typeMax)
        {
            return Range.Length == 0 ? $"must be {what}" : $"must be {what} ({Range})";
        }
        var hasMin = Min > double.MinValue;
        var hasMax = Max < double.MaxValue;
        if (number >= Min && number <= Max)
        {
            return null;
        }
        return hasMin && hasMax ? $"must be between {Bound(Min)} and {Bound(Max)}"
            : hasMin ? $"must be at least {Bound(Min)}"
            : $"must be at most {Bound(Max)}";
    }

    private static string Bound(double bound) => bound.ToString(CultureInfo.InvariantCulture);
}
