using Npgsql;

namespace Orlog.Deploy.Tests;

/// <summary>
/// Broker 1 as systemd, compose and Kubernetes run it: the same program, given the same Orlog settings.
/// Each side is read the way its runner reads it: systemd's ExecStart and environment file; the image's
/// ENV, its ENTRYPOINT and the compose service's environment; the StatefulSet's command actually run by
/// /bin/sh. Four differences are deliberate and named.
/// </summary>
public sealed class SettingsEquivalenceTests
{
    // Compose: a container has one address on its network, the one Orleans advertises when none is set.
    private const string OnlyInSystemdNotCompose = "Orlog:AdvertisedAddress";

    // Kubernetes: the downward API does not expose the node's zone to a pod, so the rack is left unset.
    private const string OnlyInSystemdNotKubernetes = "Orlog:Rack";

    // Compose: each gateway is published on the host under its own port number, so each broker has its own.
    private const string OtherValueInCompose = "Orlog:GatewayPort";

    // Compose: Kafka clients on the host reach each broker's listener at its published port on loopback, which
    // the broker must tell them; systemd hosts and Kubernetes pods are reached where they listen.
    private const string OnlyInCompose = "Orlog:AdvertisedListeners";

    private static readonly string[] _sameEverywhere = ["Orlog:BrokerId", "Orlog:ClusterId", "Orlog:ListenAddress", "Orlog:SiloPort"];

    [Fact]
    public async Task Systemd_compose_and_Kubernetes_run_the_same_Orlog_Silo_dll_with_the_same_settings()
    {
        var unit = SystemdUnit.Load(DeployFiles.SystemdUnit).ForInstance("1");
        var execStart = SystemdUnit.SplitCommandLine(unit.Single("Service", "ExecStart"));
        var systemd = OrlogSettings.From(EnvironmentFile.Load(DeployFiles.SystemdEnvironmentFile).Settings, execStart[2..]);

        var dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);
        var entrypoint = Dockerfile.ExecForm(dockerfile.InStage(dockerfile.FinalStage, "ENTRYPOINT").Single())!;
        var broker1 = ComposeFile.Brokers(ComposeFile.Load()).Single(broker => ComposeFile.Environment(broker.Service)["Orlog__BrokerId"] == "1").Service;
        var compose = OrlogSettings.From([.. dockerfile.Environment(dockerfile.FinalStage), .. ComposeFile.Environment(broker1)], entrypoint[2..]);

        var pod = await KubernetesBrokerStart.RunAsync(podIndex: 0);
        Assert.True(pod.DotnetArgs is not null, pod.Output);
        var kubernetes = pod.Settings;

        // The same program: the dotnet host running Orlog.Silo.dll.
        Assert.Equal("dotnet", Path.GetFileName(execStart[0]));
        Assert.Equal("dotnet", entrypoint[0]);
        Assert.Equal("Orlog.Silo.dll", Path.GetFileName(execStart[1]));
        Assert.Equal("Orlog.Silo.dll", Path.GetFileName(entrypoint[1]));
        Assert.Equal(entrypoint[1], pod.DotnetArgs[0]);

        // The same settings, but for the two named differences.
        Assert.Contains(OnlyInSystemdNotCompose, systemd.OrlogKeys);
        Assert.Contains(OnlyInSystemdNotKubernetes, systemd.OrlogKeys);
        Assert.Contains(OnlyInCompose, compose.OrlogKeys);
        Assert.Equal(systemd.OrlogKeys.Where(key => key != OnlyInSystemdNotCompose), compose.OrlogKeys.Where(key => key != OnlyInCompose));
        Assert.Equal(systemd.OrlogKeys.Where(key => key != OnlyInSystemdNotKubernetes), kubernetes.OrlogKeys);
        foreach (var key in _sameEverywhere)
        {
            Assert.True(systemd[key] == compose[key] && compose[key] == kubernetes[key], $"{key}: systemd {systemd[key]}, compose {compose[key]}, Kubernetes {kubernetes[key]}");
        }
        Assert.Equal(systemd[OtherValueInCompose], kubernetes[OtherValueInCompose]);
        Assert.NotEqual(systemd[OtherValueInCompose], compose[OtherValueInCompose]);
        Assert.Equal("1", systemd["Orlog:BrokerId"]);
        Assert.Equal(systemd["Orlog:Rack"], compose["Orlog:Rack"]);
        Assert.All([systemd, compose, kubernetes], settings => Assert.StartsWith("/var/lib/orlog", settings["Orlog:DataDirectory"], StringComparison.Ordinal));

        // The same kind of database: each its own host, the same database, user and port.
        var databases = new[] { systemd, compose, kubernetes }.Select(settings => new NpgsqlConnectionStringBuilder(settings["Orlog:ClusterDb"])).ToList();
        Assert.All(databases, database => Assert.False(string.IsNullOrEmpty(database.Host)));
        Assert.Single(databases.Select(database => (database.Database, database.Username, database.Port)).Distinct());
    }
}
