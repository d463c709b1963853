using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orlog.Grains.Metrics;
using Orlog.Silo.Web;

namespace Orlog.Silo.Metrics;

/// <summary>
/// Exports the "Orlog" meter (with Orleans' and the .NET runtime's) through OpenTelemetry: in Prometheus' text
/// format at <c>/metrics</c> on the web port, and by OTLP to <see cref="WebOptions.OtlpEndpoint"/> when one is set.
/// </summary>
internal static class MetricsExport
{
    public static IServiceCollection AddOrlogMetrics(this IServiceCollection services, WebOptions web, bool webOn, string brokerId, string clusterId)
    {
        services.AddSingleton<SiloMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloMetrics>());
        var otlp = string.IsNullOrWhiteSpace(web.OtlpEndpoint) ? null : web.OtlpEndpoint;
        if (!webOn && otlp is null)
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("orlog", serviceInstanceId: brokerId)
                .AddAttributes([new("orlog.cluster.id", clusterId)]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BrokerMetrics.MeterName, "Microsoft.Orleans", "System.Runtime");
                if (webOn)
                {
                    // Every scrape is read afresh (the exporter would otherwise answer scrapes within 300 ms of each other alike).
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
                if (otlp is not null && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
                {
                    // gRPC unless the address is an HTTP receiver's (its path, or the port OTLP/HTTP uses by convention).
                    var http = endpoint.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal) || endpoint.Port == 4318;
                    metrics.AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    });
                }
            });
        return services;
    }
}
