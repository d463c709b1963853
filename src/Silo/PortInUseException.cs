using System.Net.Sockets;

namespace Orlog.Silo;

/// <summary>
/// A port the silo is configured to listen on cannot be bound: another process listens on it (or, for
/// another socket error, the address is not this host's or the port is privileged). Exit code 1.
/// </summary>
public sealed class PortInUseException : IOException
{
    public PortInUseException(string surface, string setting, string address, int port, SocketException cause)
        : base(Describe(surface, setting, address, port, cause), cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        Setting = setting;
        Port = port;
    }

    /// <summary>The setting that names the port, such as <c>Orlog:GatewayPort</c>.</summary>
    public string Setting { get; }

    /// <summary>The port as configured (0 for "any free port").</summary>
    public int Port { get; }

    private static string Describe(string surface, string setting, string address, int port, SocketException cause) =>
        cause?.SocketErrorCode == SocketError.AddressAlreadyInUse
            ? $"the {surface} port {port} ({setting}) on {address} is in use by another process; stop that process or choose another port ({setting}=0 picks a free one)."
            : $"cannot bind the {surface} port {port} ({setting}) on {address}: {cause?.Message}";
}
