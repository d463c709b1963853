using Orlog.Silo.Tests;

namespace Orlog.Deploy.Tests;

/// <summary>
/// The real silo started the way the systemd unit starts it: the unit's ExecStart for instance 1 with the
/// example environment file's settings, then stopped the way systemd stops it (SIGTERM, at most
/// TimeoutStopSec). No systemd here: the test is the service manager, and changes only what cannot work
/// on this machine, named below.
/// </summary>
public sealed class SiloUnderTheSystemdUnitTests : IDisposable
{
    private const string StartedLine = "Orlog silo started";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("orlog-deploy-silo-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task The_unit_command_with_the_example_settings_starts_broker_1_and_SIGTERM_stops_it_with_exit_code_0_within_TimeoutStopSec()
    {
        var unit = SystemdUnit.Load(DeployFiles.SystemdUnit).ForInstance("1");
        var exec = SystemdUnit.SplitCommandLine(unit.Single("Service", "ExecStart"));
        var stopTimeout = SystemdUnit.ParseTimeSpan(unit.Single("Service", "TimeoutStopSec"));
        Assert.Equal("Orlog.Silo.dll", Path.GetFileName(exec[1]));

        // The unit's arguments, with its data directory (/var/lib/orlog/broker-1) moved into a temp directory.
        var args = exec[2..];
        var dataDirectoryAt = Array.IndexOf(args, "--data-dir") + 1;
        Assert.True(dataDirectoryAt > 0, "the unit gives no --data-dir");
        var dataDirectory = Path.Combine(_temp.FullName, Path.GetFileName(args[dataDirectoryAt]));
        args[dataDirectoryAt] = dataDirectory;

        // The example's settings, but free ports on loopback and the embedded default: its address
        // 10.0.0.11 is not this machine's, and its database is not here.
        var environment = EnvironmentFile.Load(DeployFiles.SystemdEnvironmentFile).Settings.ToDictionary(pair => pair.Key, pair => pair.Value);
        string[] changed = ["Orlog__ListenAddress", "Orlog__AdvertisedAddress", "Orlog__SiloPort", "Orlog__GatewayPort", "Orlog__ClusterDb"];
        Assert.All(changed, name => Assert.True(environment.ContainsKey(name), $"the example no longer sets {name}: review what this test changes"));
        environment.Remove("Orlog__AdvertisedAddress");
        environment.Remove("Orlog__ClusterDb");
        environment["Orlog__ListenAddress"] = "127.0.0.1";
        environment["Orlog__SiloPort"] = "0";
        environment["Orlog__GatewayPort"] = "0";

        await using var silo = ChildProcess.Start(DeployFiles.DotnetHost, [DeployFiles.SiloDll, .. args], environment, _temp.FullName, StartedLine);
        await silo.WaitForLineAsync(_startTimeout);

        Assert.Contains(StartedLine + ": broker 1 of cluster orlog", silo.Output, StringComparison.Ordinal);
        var meta = File.ReadAllLines(Path.Combine(dataDirectory, "meta.properties"));
        Assert.Contains("broker.id=1", meta);
        Assert.Contains("cluster.id=" + environment["Orlog__ClusterId"], meta);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "endpoints.json")), "the silo wrote no endpoints.json");

        NativeSignals.Send(silo.Id, NativeSignals.SigTerm);
        var exitCode = await silo.WaitForExitAsync(stopTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode} after SIGTERM. Output:\n{silo.Output}");
        Assert.Contains("Orlog silo stopped", silo.Output, StringComparison.Ordinal);
    }
}
