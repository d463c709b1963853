using System.Net;

namespace Orlog.Silo.Web;

/// <summary>
/// The silo's web surface (docs/web.md): the Orleans dashboard, Orlog's pages, the JSON API, <c>/metrics</c> and the
/// health endpoints, on one port. Bound from the "Orlog" configuration section, beside the broker's settings.
/// </summary>
public sealed class WebOptions
{
    /// <summary>The web port on the embedded default when none is given.</summary>
    public const int DefaultWebPort = 8080;

    /// <summary>
    /// The web port: a number, 0 for a free port, or "off". Unset, it is 8080 on the embedded default and off in
    /// cluster mode, where each broker is given its own.
    /// </summary>
    /// <value>null (8080 on the embedded default, off in cluster mode).</value>
    public string? WebPort { get; set; }

    /// <summary>The address the web port is bound to. Beyond loopback, credentials are required (or <see cref="WebInsecure"/>).</summary>
    /// <value>"127.0.0.1".</value>
    public string WebAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve the web surface beyond loopback without credentials (a private network only).</summary>
    /// <value>false.</value>
    public bool WebInsecure { get; set; }

    /// <summary>A bearer token every request but the health endpoints must carry (<c>Authorization: Bearer TOKEN</c>).</summary>
    /// <value>null.</value>
    public string? WebToken { get; set; }

    /// <summary>The user name of basic authentication (with <see cref="WebPassword"/>), for browsers.</summary>
    /// <value>null.</value>
    public string? WebUser { get; set; }

    /// <summary>The password of basic authentication (with <see cref="WebUser"/>).</summary>
    /// <value>null.</value>
    public string? WebPassword { get; set; }

    /// <summary>
    /// An OTLP collector the silo pushes its metrics to: http://host:4317 (gRPC), or an address ending in
    /// <c>/v1/metrics</c> or on port 4318 (HTTP/protobuf). Unset, no push. The push period is OpenTelemetry's
    /// (OTEL_METRIC_EXPORT_INTERVAL, 60 s by default).
    /// </summary>
    /// <value>null.</value>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the web pages' charts sample the cluster (throughput, lag), in milliseconds: 500 to 60000.</summary>
    /// <value>5000.</value>
    public int WebSampleIntervalMs { get; set; } = 5000;

    /// <summary>True when credentials are configured: a token, or a user and a password.</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(WebToken) || (!string.IsNullOrEmpty(WebUser) && !string.IsNullOrEmpty(WebPassword));

    /// <summary>
    /// The web port to bind (0: a free one), or null when the surface is off; false when the setting is not one of
    /// those. Unset, it is <see cref="DefaultWebPort"/> unless the silo runs in cluster mode.
    /// </summary>
    public bool TryGetWebPort(bool clusterMode, out int? port) => SiloEndpointOptions.TryGetPort(WebPort, clusterMode ? null : DefaultWebPort, out port);

    /// <summary>The address to bind, or null when the setting is not an IP address or "localhost".</summary>
    public IPAddress? Address => SiloEndpointOptions.ParseAddress(WebAddress);
}
