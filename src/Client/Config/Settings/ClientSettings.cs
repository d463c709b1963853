using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// The one definition of every client setting: each one Orlog applies, and every other name Kafka's Java client and
/// librdkafka know, accepted with no effect or refused with what to do instead. The config classes, their checks,
/// the clients' defaults, the notes a client logs when it starts and the docs' table (docs/configuration.md) come
/// from here. A name found nowhere is refused with the closest known name.
/// </summary>
internal static partial class ClientSettings
{
    private static readonly Dictionary<string, ClientSetting> _byName = new(StringComparer.Ordinal);
    private static readonly List<ClientSetting> _all = [];

    static ClientSettings()
    {
        foreach (var setting in Common().Concat(Producer()).Concat(Consumer()).Concat(Admin()).Concat(Security()))
        {
            _all.Add(setting);
            foreach (var name in setting.Names)
            {
                _byName.Add(name, setting);
            }
        }
    }

    /// <summary>Every setting, in the docs' order.</summary>
    public static IReadOnlyList<ClientSetting> All => _all;

    /// <summary>The setting known by <paramref name="name"/> (its name or an alias), or null.</summary>
    public static ClientSetting? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The known setting <paramref name="name"/> names, or a <see cref="ConfigException"/> suggesting the closest one.</summary>
    public static ClientSetting Require(string name)
    {
        if (Find(name) is { } setting)
        {
            return setting;
        }
        var closest = Closest(name);
        var hint = closest is null ? "" : $" Did you mean '{closest}'?";
        throw new ConfigException(name, $"'{name}' is not a setting Kafka's clients or Orlog know.{hint} docs/configuration.md lists them all.");
    }

    /// <summary>The known name nearest to <paramref name="name"/>, if one is near enough to be a typo.</summary>
    public static string? Closest(string name) => ConfigNames.Closest(name, _byName.Keys);

    private static ClientSetting NoEffect(string name, SettingScope scope, SettingKind kind, string description, string why,
        string? defaultValue = null, params string[] aliases) =>
        new()
        {
            Name = name,
            Aliases = aliases,
            Scope = scope,
            Kind = kind,
            Default = defaultValue,
            Description = description,
            Effect = SettingEffect.NoEffect,
            Why = why,
        };

    private static ClientSetting Refused(string name, SettingScope scope, SettingKind kind, string description, string why) =>
        new()
        {
            Name = name,
            Scope = scope,
            Kind = kind,
            Description = description,
            Effect = SettingEffect.Refused,
            Why = why,
        };

    /// <summary>Settings that share one reason for having no effect.</summary>
    private static IEnumerable<ClientSetting> NoEffect(SettingScope scope, string why, params (string Name, SettingKind Kind, string Description)[] settings) =>
        settings.Select(s => NoEffect(s.Name, scope, s.Kind, s.Description, why));
}
