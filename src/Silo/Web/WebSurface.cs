using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orlog.Grains.Hosting;
using Orlog.Silo.ClusterDb;
using Orlog.Silo.Metrics;

namespace Orlog.Silo.Web;

/// <summary>
/// The silo's web surface on one port (docs/web.md): Orlog's pages and their JSON API, the Orleans dashboard at
/// <c>/dashboard</c>, <c>/metrics</c>, and <c>/health/live</c> and <c>/health/ready</c>. Kestrel serves it on the
/// socket the silo reserved before it started (<see cref="PortReservations"/>); with the surface off, nothing is bound.
/// </summary>
internal static class WebSurface
{
    private static readonly string[] _pages = ["/", "/brokers", "/topics", "/topics/{name}", "/groups", "/groups/{id}"];

    /// <summary>Registers the web surface's services; returns whether it is on.</summary>
    public static bool AddOrlogWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(BrokerOptions.SectionName);
        services.AddOptions<WebOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebOptions>, WebOptionsValidator>());

        var web = section.Get<WebOptions>() ?? new WebOptions();
        var clusterMode = ClusterModeSiloBuilderExtensions.IsClusterMode(builder.Configuration);
        // A bad port setting is reported by the validator; meanwhile the surface counts as on.
        var on = !web.TryGetWebPort(clusterMode, out var port) || port is not null;

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiloAdmin>();
        services.AddSingleton<ClusterHistory>();
        services.AddSingleton<ClusterSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterSampler>());
        // The resource's names, read as text: a bad broker id is the validator's to report, not this line's to throw on.
        services.AddOrlogMetrics(web, on, section[nameof(BrokerOptions.BrokerId)] ?? "0", section[nameof(BrokerOptions.ClusterId)] ?? "orlog");
        if (!on)
        {
            services.AddSingleton<IServer, NoWebServer>();
            return false;
        }
        services.AddOptions<KestrelServerOptions>().Configure<PortReservations>((kestrel, ports) =>
        {
            if (ports.WebPort is { } webPort)
            {
                kestrel.Listen(ports.WebAddress, webPort);
            }
            kestrel.AddServerHeader = false;
        });
        // Kestrel listens on the socket held since before the start, so the port cannot be lost in between.
        services.AddOptions<SocketTransportOptions>().Configure<PortReservations>((transport, ports) =>
            transport.CreateBoundListenSocket = endpoint => ports.TakeWebSocket() ?? SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint));
        services.AddSingleton<WebCredentials>();
        services.AddHealthChecks().AddCheck<SiloReadiness>("silo", tags: ["ready"]);
        return true;
    }

    /// <summary>The middleware and endpoints; nothing when the surface is off.</summary>
    public static void MapOrlogWeb(this WebApplication app, bool on)
    {
        if (!on)
        {
            return;
        }
        // Read only, whatever is mapped (the dashboard's routes, the scraping endpoint's): GET and HEAD, nothing else.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        });
        app.UseMiddleware<WebCredentials>();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapOrlogApi();
        var pages = new ManifestEmbeddedFileProvider(typeof(WebSurface).Assembly, "Web/Pages");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages, RequestPath = "/assets" });
        foreach (var page in _pages)
        {
            app.MapGet(page, () => Results.Stream(pages.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8"));
        }
    }
}

/// <summary>Whether the web surface is on, as decided when the host was configured.</summary>
internal sealed record WebSurfaceState(bool On);
