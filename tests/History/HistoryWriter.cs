using System.Text.Json;

namespace Orlog.Testing;

/// <summary>
/// Writes a history as JSON lines, one event a line with a <c>type</c> field, so a failed run can be read
/// (and checked again with <see cref="HistoryReader"/>) after the fact.
/// </summary>
public static class HistoryWriter
{
    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static void WriteJsonLines(History history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var stream = File.Create(path);
        WriteJsonLines(history.Events, stream);
    }

    public static void WriteJsonLines(IEnumerable<HistoryEvent> events, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var writer = new StreamWriter(stream, leaveOpen: true);
        foreach (var e in events)
        {
            writer.Write(JsonSerializer.Serialize(e, Options));
            writer.Write('\n');
        }
    }
}
