using System.Globalization;

namespace Orlog.Silo.Tests;

/// <summary>The kernel's TCP sockets on this host (Linux' /proc/net/tcp and tcp6), by local port and state.</summary>
public static class TcpTable
{
    public const string Listen = "0A";
    public const string TimeWait = "06";

    /// <summary>How many sockets (of every process) have local port <paramref name="port"/> and state <paramref name="state"/>.</summary>
    public static int Count(int port, string state)
    {
        var count = 0;
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }
            // "  sl  local_address rem_address   st ...": local_address is ADDRESS:PORT in hex.
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                var localPort = int.Parse(local.AsSpan(local.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] == state)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
