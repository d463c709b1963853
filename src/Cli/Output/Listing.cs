using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Orlog.Cli.Output;

/// <summary>
/// Prints a listing (topics, partitions, configs) on stdout. On a terminal it is a Spectre.Console table;
/// when stdout is not a terminal it is Kafka-style plain columns: a header line first, cells padded and
/// separated by spaces, "-" in empty cells, no wrapping; with --output json it is a JSON array of objects.
/// </summary>
internal static class Listing
{
    private static readonly JsonSerializerOptions _json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(OutputMode mode, IReadOnlyList<string> headers, IReadOnlyList<string?[]> rows, object json)
    {
        switch (mode)
        {
            case OutputMode.Json:
                Console.Out.WriteLine(JsonSerializer.Serialize(json, _json));
                break;
            case OutputMode.Auto when !Console.IsOutputRedirected:
                WriteTable(headers, rows);
                break;
            default:
                Console.Out.Write(Plain(headers, rows));
                break;
        }
    }

    public static string Plain(IReadOnlyList<string> headers, IReadOnlyList<string?[]> rows)
    {
        var widths = new int[headers.Count];
        for (var c = 0; c < headers.Count; c++)
        {
            widths[c] = headers[c].Length;
            foreach (var row in rows)
            {
                widths[c] = Math.Max(widths[c], Cell(row, c).Length);
            }
        }
        var text = new StringBuilder();
        AppendLine(text, headers, widths);
        foreach (var row in rows)
        {
            AppendLine(text, [.. Enumerable.Range(0, headers.Count).Select(c => Cell(row, c))], widths);
        }
        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (var c = 0; c < cells.Count; c++)
        {
            var last = c == cells.Count - 1;
            text.Append(last ? cells[c] : cells[c].PadRight(widths[c] + 1));
        }
        text.Append('\n');
    }

    private static string Cell(string?[] row, int column) => column < row.Length && !string.IsNullOrEmpty(row[column]) ? row[column]! : "-";

    private static void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<string?[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
        }
        foreach (var row in rows)
        {
            table.AddRow([.. Enumerable.Range(0, headers.Count).Select(c => Markup.Escape(Cell(row, c)))]);
        }
        AnsiConsole.Write(table);
    }
}
