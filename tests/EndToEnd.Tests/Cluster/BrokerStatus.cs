namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>One line of `deploy/local-cluster.sh status`: ID PID STATE GATEWAY KAFKA WEB DATA-DIR (`-` for none).</summary>
public sealed record BrokerStatus(string Id, string Pid, string State, string Gateway, string Kafka, string Web, string DataDirectory)
{
    /// <summary>The lines of a status output, header checked and skipped.</summary>
    public static IReadOnlyList<BrokerStatus> Parse(string status)
    {
        var lines = status.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.Length > 0 ? lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (!header.SequenceEqual(["ID", "PID", "STATE", "GATEWAY", "KAFKA", "WEB", "DATA-DIR"]))
        {
            throw new FormatException($"status does not start with its header line:\n{status}");
        }
        return [.. lines.Skip(1).Select(line =>
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return cells.Length == 7
                ? new BrokerStatus(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6])
                : throw new FormatException($"a status line has {cells.Length} columns, not 7: '{line}'");
        })];
    }
}
