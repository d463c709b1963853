using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>Says once, when a client starts, which of its settings have no effect in Orlog and which belong to another kind of client.</summary>
internal static partial class ConfigNotes
{
    public static void Log(ILogger logger, ClientConfig config, SettingScope kind)
    {
        foreach (var note in config.Notes(kind))
        {
            LogNote(logger, note);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Note}")]
    private static partial void LogNote(ILogger logger, string note);
}
