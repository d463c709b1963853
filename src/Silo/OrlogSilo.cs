using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orlog.Grains.Hosting;
using Orlog.Silo.ClusterDb;
using Orlog.Silo.Web;

namespace Orlog.Silo;

/// <summary>
/// The silo host: one Orlog broker on Orleans' development clustering (the embedded default, no external
/// server) or, with <c>--cluster-db</c>, in cluster mode on PostgreSQL (<see cref="ClusterModeSiloBuilderExtensions"/>), settings from appsettings.json, <c>Orlog__*</c> environment variables and the command line.
/// </summary>
public static class OrlogSilo
{
    /// <summary>The Orleans service id of every Orlog cluster.</summary>
    public const string ServiceId = "orlog";

    /// <summary>How long a graceful stop (SIGTERM, Ctrl-C) may take before the host gives up waiting.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the silo until SIGTERM or Ctrl-C; returns the process exit code (see <see cref="StartupFailure"/>).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is [ClusterDbSetupCommand.Name, ..])
        {
            return await ClusterDbSetupCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }
        var commandLine = SiloCommandLine.Parse(args);
        if (commandLine.ShowHelp)
        {
            Console.Out.WriteLine(SiloCommandLine.Usage);
            return 0;
        }
        if (commandLine.Error is not null)
        {
            await Console.Error.WriteLineAsync("orlog-silo: " + commandLine.Error);
            return StartupFailure.BadSetting;
        }
        try
        {
            await using var host = Build(commandLine.ConfigurationArgs);
            // Every setting checked up front, so that all bad ones are reported at once and before Orleans starts.
            host.Services.GetService<IStartupValidator>()?.Validate();
            // Every port bound (and held) before Orleans starts: a port in use stops the silo here, before the data directory is touched.
            host.Services.GetRequiredService<PortReservations>().Reserve();
            await ClusterDatabaseStartup.PrepareAsync(host.Services);
            await host.RunAsync();
            return 0;
        }
#pragma warning disable CA1031 // Every failure becomes a message and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return StartupFailure.Report(e, Console.Error);
        }
    }

    /// <summary>The host, built from <paramref name="configurationArgs"/> (already checked by <see cref="SiloCommandLine"/>), its web surface mapped.</summary>
    public static WebApplication Build(string[] configurationArgs)
    {
        var builder = CreateBuilder(configurationArgs);
        var app = builder.Build();
        app.MapOrlogWeb(app.Services.GetRequiredService<Web.WebSurfaceState>().On);
        return app;
    }

    /// <summary>The host builder, configured from <paramref name="configurationArgs"/> (already checked by <see cref="SiloCommandLine"/>).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] configurationArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // appsettings.json ships beside the program; the data directory is relative to the current directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(configurationArgs, new Dictionary<string, string>(SiloCommandLine.SwitchMappings, StringComparer.OrdinalIgnoreCase));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        builder.Services.AddOptions<SiloEndpointOptions>().Bind(builder.Configuration.GetSection(BrokerOptions.SectionName)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloEndpointOptions>, SiloEndpointOptionsValidator>());
        builder.Services.AddSingleton<IValidateOptions<SiloEndpointOptions>>(new OrlogSectionValidator(builder.Configuration));
        builder.Services.AddHostedService<SiloStartupLog>();
        builder.Services.AddSingleton(new Web.WebSurfaceState(builder.AddOrlogWeb()));

        builder.UseOrleans(silo =>
        {
            var clusterMode = ClusterModeSiloBuilderExtensions.IsClusterMode(builder.Configuration);
            silo.AddOrlogBroker(builder.Configuration, fileGrainStorage: !clusterMode);
            silo.AddOrlogClusterMode(builder.Configuration);
            // Added on every silo (web surface on or off), so that a dashboard anywhere reaches every silo's part of it.
            silo.AddDashboard();
            silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloEndpointOptions>, PortReservations>(ApplyEndpoints);
            silo.Services.AddOrlogPorts();
            silo.Services.AddOptions<ClusterOptions>().Configure<IOptions<BrokerOptions>>((cluster, broker) =>
            {
                cluster.ClusterId = broker.Value.ClusterId;
                cluster.ServiceId = ServiceId;
            });
            if (clusterMode)
            {
                return;
            }
            // Development clustering: this silo is its own primary; membership lives in the silo, no server needed.
            silo.UseDevelopmentClustering(membership => membership.Configure<IOptions<EndpointOptions>>(
                (options, endpoints) => options.PrimarySiloEndpoint = new IPEndPoint(endpoints.Value.AdvertisedIPAddress, endpoints.Value.SiloPort)));
        });
        return builder;
    }

    private static void ApplyEndpoints(EndpointOptions endpoints, IOptions<SiloEndpointOptions> configured, PortReservations ports)
    {
        var settings = configured.Value;
        var listen = ports.ListenAddress;
        endpoints.SiloPort = ports.SiloPort;
        endpoints.GatewayPort = ports.GatewayPort;
        endpoints.SiloListeningEndpoint = new IPEndPoint(listen, ports.SiloPort);
        endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, ports.GatewayPort);
        var advertised = SiloEndpointOptions.ParseAddress(settings.AdvertisedAddress) ?? (SiloEndpointOptions.IsAnyAddress(listen) ? null : listen);
        if (advertised is not null)
        {
            // Unset, Orleans picks one of this host's addresses.
            endpoints.AdvertisedIPAddress = advertised;
        }
    }
}
