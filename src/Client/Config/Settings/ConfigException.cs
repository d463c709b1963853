namespace Orlog.Client;

/// <summary>
/// A client setting that is unknown, out of range or refused (Kafka's INVALID_CONFIG). An <see cref="ArgumentException"/>
/// whose message names the setting and says what to do, with nothing added.
/// </summary>
public sealed class ConfigException : ArgumentException
{
    public ConfigException(string setting, string message)
        : base($"{ErrorCode.InvalidConfig.KafkaName()}: {message}")
    {
        Setting = setting;
    }

    /// <summary>The setting's name as it was given.</summary>
    public string Setting { get; }

    /// <summary>Always <see cref="ErrorCode.InvalidConfig"/>.</summary>
    public ErrorCode Code => ErrorCode.InvalidConfig;
}
