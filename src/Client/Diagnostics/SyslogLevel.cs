namespace Orlog.Client;

/// <summary>Log levels as syslog numbers them (Confluent.Kafka's shape): lower is more severe.</summary>
public enum SyslogLevel
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}
