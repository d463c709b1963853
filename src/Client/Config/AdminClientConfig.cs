namespace Orlog.Client;

/// <summary>An admin client's settings: the common ones (Confluent.Kafka's AdminClientConfig).</summary>
public sealed class AdminClientConfig : ClientConfig
{
    /// <summary>An empty admin configuration: every setting at its default.</summary>
    public AdminClientConfig()
    {
    }

    /// <summary>An admin configuration holding <paramref name="settings"/> (for example a <see cref="ClientConfig"/>).</summary>
    /// <exception cref="ConfigException">A setting is unknown, its value is invalid, or Orlog refuses it.</exception>
    public AdminClientConfig(IEnumerable<KeyValuePair<string, string>> settings)
        : base(settings)
    {
    }

    private protected override SettingScope Scope => SettingScope.Admin;
}
