using System.Net;

namespace Orlog.Silo;

/// <summary>
/// Where the silo listens: its silo-to-silo port, its gateway port for clients, and the address both are
/// bound to. Bound from the "Orlog" configuration section, beside the broker's own settings.
/// </summary>
public sealed class SiloEndpointOptions
{
    /// <summary>The address the silo and gateway ports are bound to: an IP address or "localhost"; 0.0.0.0 or :: listens on every interface.</summary>
    /// <value>"127.0.0.1" (loopback only).</value>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos and clients reach this silo at. Unset, it is <see cref="ListenAddress"/>, or when
    /// that is 0.0.0.0 or ::, the address Orleans picks among this host's interfaces.
    /// </summary>
    /// <value>null.</value>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The port for silo-to-silo traffic; 0 picks a free port (see <c>&lt;data-dir&gt;/endpoints.json</c>).</summary>
    /// <value>11111.</value>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The gateway port that clients (the SDK, the CLI) connect to; 0 picks a free port (see <c>&lt;data-dir&gt;/endpoints.json</c>).</summary>
    /// <value>30000.</value>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The Kafka listener's port on the embedded default when none is given (Kafka's own).</summary>
    public const int DefaultKafkaPort = 9092;

    /// <summary>
    /// The Kafka listener's port: a number, 0 for a free port, or "off". Unset, it is 9092 on the embedded default
    /// and off in cluster mode, where each broker is given its own.
    /// </summary>
    /// <value>null (9092 on the embedded default, off in cluster mode).</value>
    public string? KafkaPort { get; set; }

    /// <summary>The address the Kafka listener is bound to; unset, <see cref="ListenAddress"/>.</summary>
    /// <value>null.</value>
    public string? KafkaAddress { get; set; }

    /// <summary>
    /// Whether the Kafka listener sends fetched records from the segment files to the socket by the kernel
    /// (sendfile), when this broker leads the partition, instead of reading them into memory first.
    /// </summary>
    /// <value>true.</value>
    public bool KafkaZeroCopy { get; set; } = true;

    /// <summary>
    /// Kafka's advertised.listeners: the host (a name or an IP address) and port Metadata tells Kafka clients to reach
    /// this broker at, as <c>PLAINTEXT://host:port</c> or <c>host:port</c>; without a port (or port 0), the port the
    /// listener bound. Unset, the advertised address (else the bound one) and the bound port. For clients behind NAT
    /// or a published container port.
    /// </summary>
    /// <value>null.</value>
    public string? AdvertisedListeners { get; set; }

    /// <summary>
    /// The host and port (0: the bound port) of <see cref="AdvertisedListeners"/>; null when unset; false when it is
    /// not one PLAINTEXT listener with a host and a port.
    /// </summary>
    public bool TryGetAdvertisedListener(out (string Host, int Port)? listener)
    {
        listener = null;
        var text = AdvertisedListeners?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "PLAINTEXT://" + text;
        }
        // One listener URI with the PLAINTEXT scheme, a host and at most a port: nothing after it.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !uri.Scheme.Equals("plaintext", StringComparison.OrdinalIgnoreCase)
            || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || text.EndsWith('/'))
        {
            return false;
        }
        var host = uri.Host.Trim('[', ']');
        if (host.Length == 0 || (IPAddress.TryParse(host, out var address) && IsAnyAddress(address)))
        {
            return false;
        }
        listener = (host, uri.Port < 0 ? 0 : uri.Port);
        return true;
    }

    /// <summary>
    /// The Kafka port to bind (0: a free one), or null when the listener is off; false when the setting is not one of
    /// those. Unset, it is <see cref="DefaultKafkaPort"/> unless the silo runs in cluster mode.
    /// </summary>
    public bool TryGetKafkaPort(bool clusterMode, out int? port) => TryGetPort(KafkaPort, clusterMode ? null : DefaultKafkaPort, out port);

    /// <summary>A port setting: a number up to 65535 (0: a free port), "off" (null), or unset (<paramref name="unset"/>).</summary>
    public static bool TryGetPort(string? setting, int? unset, out int? port)
    {
        port = null;
        var text = setting?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            port = unset;
            return true;
        }
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= 65535)
        {
            port = number;
            return true;
        }
        return false;
    }

    /// <summary>Parses an address setting: an IP address or "localhost"; null when it is neither.</summary>
    public static IPAddress? ParseAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(text, out var address) ? address : null;
    }

    /// <summary>True for 0.0.0.0 and ::, the addresses that mean every interface.</summary>
    public static bool IsAnyAddress(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
