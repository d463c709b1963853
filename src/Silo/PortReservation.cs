using System.Net;
using System.Net.Sockets;

namespace Orlog.Silo;

/// <summary>
/// One port held for the silo from before the host starts until just before Orleans binds it: a listening
/// socket with SO_REUSEADDR and without SO_REUSEPORT.
/// </summary>
/// <remarks>
/// Orleans' listener sets <see cref="SocketOptionName.ReuseAddress"/>, which .NET on Linux turns into
/// SO_REUSEADDR and SO_REUSEPORT: a second process doing the same binds the same port beside it, and the kernel
/// splits connections between the two. On Linux, a bind without SO_REUSEPORT fails with EADDRINUSE while any
/// other socket listens on the port, SO_REUSEPORT or not, so binding this socket proves the port is ours; and
/// while it listens, it refuses every other bind of the port, the one of another silo's Orleans included (see
/// docs/silo.md). SO_REUSEADDR is set (raw, so that .NET does not add SO_REUSEPORT) because connections left in
/// TIME_WAIT by a silo killed with SIGKILL must not block its restart.
/// </remarks>
internal sealed class PortReservation : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private Socket? _socket;

    private PortReservation(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    /// <summary>The port held: the configured one, or the one the kernel picked for port 0.</summary>
    public int Port { get; }

    /// <summary>Binds and listens on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    /// <exception cref="PortInUseException">The port cannot be bound, naming <paramref name="surface"/> and <paramref name="setting"/>.</exception>
    public static PortReservation Take(IPAddress address, int port, string surface, string setting)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // .NET's Bind sets SO_REUSEADDR on every TCP socket on Unix too; set here so that the reservation does
            // not rest on that. SOL_SOCKET=1 and SO_REUSEADDR=2 are Linux's numbers.
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            if (address.Equals(IPAddress.IPv6Any))
            {
                // As Orleans does for ::, so that the port is held for IPv4 too.
                socket.DualMode = true;
            }
            socket.Bind(new IPEndPoint(address, port));
            // Listening is what makes the kernel refuse other binds; nothing is accepted, and whatever connects
            // before Orleans binds is reset when this socket closes.
            socket.Listen(1);
            return new PortReservation(socket, ((IPEndPoint)socket.LocalEndPoint!).Port);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PortInUseException(surface, setting, address.ToString(), port, e);
        }
    }

    /// <summary>Hands the bound, listening socket over (to a listener of Orlog's own, which keeps it); this reservation then holds nothing.</summary>
    public Socket TakeSocket() => Interlocked.Exchange(ref _socket, null) ?? throw new ObjectDisposedException(nameof(PortReservation));

    /// <summary>Closes the socket, so that Orleans can bind the port.</summary>
    public void Dispose() => Interlocked.Exchange(ref _socket, null)?.Dispose();
}
