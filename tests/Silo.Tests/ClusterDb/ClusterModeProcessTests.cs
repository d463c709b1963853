using System.Globalization;

namespace Orlog.Silo.Tests.ClusterDb;

/// <summary>The real silo process in cluster mode: the setup subcommand and the refusals at start.</summary>
[Collection(ClusterDbCollection.Name)]
public sealed class ClusterModeProcessTests(PostgresFixture postgres) : IDisposable
{
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SiloProcess StartSilo(params string[] args)
    {
        var ports = FreePorts.Take(2);
        return SiloProcess.Start(_temp.Path,
        [
            "--data-dir", _temp.Combine("data"), "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture),
            "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture), .. args,
        ]);
    }

    [Fact]
    public async Task An_unreachable_database_stops_the_silo_with_a_message_naming_host_port_and_database()
    {
        var closedPort = FreePorts.Take(1)[0];
        await using var silo = StartSilo("--cluster-db", $"Host=127.0.0.1;Port={closedPort};Database=orlog;Username=orlog;Password=secret-pw;Timeout=5");

        var exit = await silo.WaitForExitAsync(_exitTimeout);

        Assert.True(exit == StartupFailure.Failed, $"exit code {exit}\n{silo.Describe()}");
        Assert.Contains($"orlog-silo: cannot reach the cluster database (host 127.0.0.1, port {closedPort}, database orlog, user orlog)", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", silo.Output + silo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_prepares_the_database_once_and_a_silo_of_another_cluster_is_refused_at_start()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        await using (var setup = SiloProcess.Start(_temp.Path, ["setup", "--cluster-db", connectionString, "--cluster-id", "alpha"]))
        {
            Assert.True(await setup.WaitForExitAsync(_exitTimeout) == 0, setup.Describe());
            Assert.Contains("created schema version 1 for cluster 'alpha'", setup.Output, StringComparison.Ordinal);
        }
        var prepared = await ClusterDatabaseTests.SnapshotAsync(connectionString);
        await using (var again = SiloProcess.Start(_temp.Path, ["setup", "--cluster-db", connectionString, "--cluster-id", "alpha"]))
        {
            Assert.True(await again.WaitForExitAsync(_exitTimeout) == 0, again.Describe());
            Assert.Contains("nothing changed", again.Output, StringComparison.Ordinal);
        }

        await using var silo = StartSilo("--cluster-db", connectionString, "--cluster-id", "beta");
        var exit = await silo.WaitForExitAsync(_exitTimeout);

        Assert.True(exit == StartupFailure.Failed, $"exit code {exit}\n{silo.Describe()}");
        Assert.Contains("belongs to cluster 'alpha', not to this broker's cluster 'beta'", silo.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.Error, StringComparison.Ordinal);
        Assert.Equal(prepared, await ClusterDatabaseTests.SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task A_membership_timing_out_of_range_is_a_bad_setting_naming_it_and_its_range()
    {
        await using var silo = StartSilo("--cluster-db", "Host=127.0.0.1;Port=1;Database=orlog", "--Orlog:Membership:ProbeTimeoutMs=5");

        var exit = await silo.WaitForExitAsync(_exitTimeout);

        Assert.True(exit == StartupFailure.BadSetting, $"exit code {exit}\n{silo.Describe()}");
        Assert.Contains("Orlog:Membership:ProbeTimeoutMs must be between 200 and 60000, not 5.", silo.Error, StringComparison.Ordinal);
    }
}
