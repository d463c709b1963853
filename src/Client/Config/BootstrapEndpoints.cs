using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orlog.Client;

/// <summary>Parses bootstrap.servers: <c>host:port[,host:port...]</c>, each an Orleans gateway.</summary>
internal static class BootstrapEndpoints
{
    /// <summary>Null when the list is well formed, else what is wrong with it.</summary>
    public static string? Check(string value)
    {
        var entries = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            return "must name at least one host:port";
        }
        foreach (var entry in entries)
        {
            if (!TrySplit(entry, out _, out _))
            {
                return $"has '{entry}', which is not host:port (a port from 1 to 65535)";
            }
        }
        return null;
    }

    /// <summary>The gateway endpoints, host names resolved (IPv4 first).</summary>
    public static async Task<IPEndPoint[]> ResolveAsync(string value, CancellationToken cancellationToken)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TrySplit(entry, out var host, out var port))
            {
                throw new ArgumentException($"bootstrap.servers has '{entry}', which is not host:port.", nameof(value));
            }
            if (IPAddress.TryParse(host, out var address))
            {
                endpoints.Add(new IPEndPoint(address, port));
                continue;
            }
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
            endpoints.Add(new IPEndPoint(chosen, port));
        }
        return [.. endpoints];
    }

    private static bool TrySplit(string entry, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || colon == entry.Length - 1)
        {
            return false;
        }
        host = entry[..colon].Trim('[', ']');
        return host.Length > 0
            && int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535;
    }
}
