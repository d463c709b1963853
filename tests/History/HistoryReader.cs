using System.Text.Json;

namespace Orlog.Testing;

/// <summary>Reads back a history that <see cref="HistoryWriter"/> wrote, events in their order and with their times.</summary>
public static class HistoryReader
{
    public static History ReadJsonLines(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadJsonLines(stream);
    }

    public static History ReadJsonLines(Stream stream)
    {
        var history = new History();
        using var reader = new StreamReader(stream, leaveOpen: true);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            var e = JsonSerializer.Deserialize<HistoryEvent>(line, HistoryWriter.Options)
                ?? throw new InvalidDataException($"Line {number} holds no event: {line}");
            history.Add(e);
        }
        return history;
    }
}
