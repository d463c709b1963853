using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Silo;

/// <summary>
/// Writes <c>&lt;data-dir&gt;/endpoints.json</c> once the silo is active (before the host reports it started), and
/// logs the endpoints in one line: <c>{"silo": "host:port", "gateway": "host:port", "kafka": null, "web": null}</c>,
/// null for a surface that is off. The silo and gateway hosts are the address Orleans advertises: the advertised
/// address, else the listen address, else (0.0.0.0, ::) one Orleans picked among this host's; Kafka's is what Kafka
/// clients are told; the web one is the address and port the web surface is bound to.
/// </summary>
/// <remarks>
/// The file is replaced atomically (written beside it, then renamed over it), so a reader sees the old file or
/// the new one. It is left in place when the silo stops: it names what the silo last bound, which a script can
/// still use to find a stopped broker's ports; whether the silo runs is the data directory's lock, not this file.
/// </remarks>
internal sealed partial class EndpointsFile(
    IOptions<BrokerOptions> broker,
    ILocalSiloDetails silo,
    Orlog.Grains.Cluster.BrokerEndpoints endpoints,
    PortReservations ports,
    ILogger<EndpointsFile> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "endpoints.json";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EndpointsFile), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    /// <summary>Replaces <paramref name="path"/> with the endpoints, atomically.</summary>
    public static void Write(string path, IPEndPoint siloEndpoint, IPEndPoint? gatewayEndpoint, string? kafka = null, IPEndPoint? web = null)
    {
        ArgumentNullException.ThrowIfNull(siloEndpoint);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("silo", siloEndpoint.ToString());
                WriteEndpoint(json, "gateway", gatewayEndpoint);
                if (kafka is null)
                {
                    json.WriteNull("kafka");
                }
                else
                {
                    json.WriteString("kafka", kafka);
                }
                WriteEndpoint(json, "web", web);
                json.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private Task OnActive(CancellationToken cancellationToken)
    {
        var siloEndpoint = silo.SiloAddress.Endpoint;
        var gatewayEndpoint = silo.GatewayAddress?.Endpoint;
        var path = Path.Combine(broker.Value.DataDirectory, FileName);
        var web = ports.WebPort is { } webPort ? new IPEndPoint(ports.WebAddress, webPort) : null;
        Write(path, siloEndpoint, gatewayEndpoint, endpoints.Kafka, web);
        LogEndpoints(logger, siloEndpoint.ToString(), gatewayEndpoint?.ToString() ?? "off", endpoints.Kafka ?? "off", web is null ? "off" : $"http://{web}/ (dashboard http://{web}/dashboard)", path);
        return Task.CompletedTask;
    }

    private static void WriteEndpoint(Utf8JsonWriter json, string name, IPEndPoint? endpoint)
    {
        if (endpoint is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, endpoint.ToString());
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Orlog endpoints: silo {Silo}, gateway {Gateway}, kafka {Kafka}, web {Web} (written to {Path})")]
    private static partial void LogEndpoints(ILogger logger, string silo, string gateway, string kafka, string web, string path);
}
