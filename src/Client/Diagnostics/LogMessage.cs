namespace Orlog.Client;

/// <summary>One log line of a client, for a builder's log handler (Confluent.Kafka's shape).</summary>
public sealed class LogMessage
{
    public LogMessage(string name, SyslogLevel level, string facility, string message)
    {
        Name = name;
        Level = level;
        Facility = facility;
        Message = message;
    }

    /// <summary>The client's name (client.id).</summary>
    public string Name { get; }

    public SyslogLevel Level { get; }

    /// <summary>Where in the client it comes from (the logger's category, as Orlog.Client.Consumer).</summary>
    public string Facility { get; }

    public string Message { get; }

    /// <summary>The level as .NET's <see cref="Microsoft.Extensions.Logging.LogLevel"/>.</summary>
    public Microsoft.Extensions.Logging.LogLevel LevelAsLogLevel() => Level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => Microsoft.Extensions.Logging.LogLevel.Critical,
        SyslogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
        SyslogLevel.Warning => Microsoft.Extensions.Logging.LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
        _ => Microsoft.Extensions.Logging.LogLevel.Debug,
    };
}
