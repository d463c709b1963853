using System.Net;
using System.Net.Sockets;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// deploy/local-cluster.sh as CONVENTIONS.md describes it, on a real cluster of three brokers and a private
/// PostgreSQL. Each test that changes a broker's state puts it back.
/// </summary>
/// <remarks>
/// Depends on other branches: the brokers form one cluster only with the silo's --cluster-db and setup
/// (branch cluster-db); <see cref="ABrokerWhoseGatewayPortIsTakenRefusesToStartAndNamesThePort"/> needs the
/// exclusive ports and their message (branch ports); the script waits on `orlog brokers list` once the CLI
/// has it (main), and judges a broker up by its gateway and its log until then.
/// </remarks>
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterTests(LocalClusterFixture cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    [Fact]
    public async Task StatusShowsEveryBrokerRunningAndTheDatabase()
    {
        var status = await cluster.StatusAsync();

        Assert.Equal(["1", "2", "3", "db"], status.Select(line => line.Id));
        Assert.All(status, line => Assert.Equal("running", line.State));
        Assert.All(status, line => Assert.True(int.TryParse(line.Pid, out _), $"PID of {line.Id} is '{line.Pid}'"));
        var brokers = status.Where(line => line.Id != "db").ToList();
        Assert.All(brokers, line => Assert.Equal(Path.Combine(cluster.Directory, "broker-" + line.Id), line.DataDirectory));
        Assert.Equal(cluster.Bootstrap, string.Join(',', brokers.Select(line => line.Gateway)));
        Assert.Equal(brokers.Count, brokers.Select(line => line.Gateway).Distinct().Count());
    }

    [Fact]
    public async Task BootstrapListsAGatewayOfEveryBrokerThatAcceptsConnections()
    {
        var bootstrap = (await cluster.RunAsync("bootstrap")).EnsureSuccess();

        var gateways = bootstrap.Stdout.TrimEnd('\n').Split(',');
        Assert.Equal(LocalClusterFixture.Brokers, gateways.Length);
        foreach (var gateway in gateways)
        {
            var endpoint = IPEndPoint.Parse(gateway);
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Address, endpoint.Port);
            Assert.True(client.Connected, $"gateway {gateway} did not accept a connection");
        }
    }

    [Fact]
    public async Task AKilledBrokerIsStoppedAndComesBackOnItsPortsWhenRestarted()
    {
        var before = await cluster.StatusOfAsync("2");

        (await cluster.RunAsync("kill", "2")).EnsureSuccess();
        var killed = await cluster.StatusOfAsync("2");
        Assert.Equal(("stopped", "-"), (killed.State, killed.Pid));

        (await cluster.RunAsync("restart", "2")).EnsureSuccess();
        var restarted = await cluster.StatusOfAsync("2");
        Assert.Equal("running", restarted.State);
        Assert.NotEqual(before.Pid, restarted.Pid);
        Assert.Equal(before.Gateway, restarted.Gateway);
        Assert.Equal(before.DataDirectory, restarted.DataDirectory);
    }

    [Fact]
    public async Task APausedBrokerIsPausedUntilResumed()
    {
        (await cluster.RunAsync("pause", "3")).EnsureSuccess();
        Assert.Equal("paused", (await cluster.StatusOfAsync("3")).State);

        (await cluster.RunAsync("resume", "3")).EnsureSuccess();
        Assert.Equal("running", (await cluster.StatusOfAsync("3")).State);
    }

    [Fact]
    public async Task VerbsThatDoNotFitABrokersStateFailWithAMessage()
    {
        var restartRunning = await cluster.RunAsync("restart", "1");
        var killUnknown = await cluster.RunAsync("kill", "9");
        var startAgain = await cluster.RunAsync("start", "1");
        var partitionWithoutNetns = await cluster.RunAsync("partition", "1");

        Assert.Equal((1, ""), (restartRunning.ExitCode, restartRunning.Stdout));
        Assert.Contains("broker 1 is running", restartRunning.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, killUnknown.ExitCode);
        Assert.Contains("no broker 9", killUnknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, startAgain.ExitCode);
        Assert.Contains("is running", startAgain.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, partitionWithoutNetns.ExitCode);
        Assert.Contains("--netns", partitionWithoutNetns.Stderr, StringComparison.Ordinal);
        Assert.All(await cluster.StatusAsync(), line => Assert.Equal("running", line.State));
    }

    /// <summary>Needs branch ports: every port bound exclusively, a port in use stops the silo naming it.</summary>
    [Fact]
    public async Task ABrokerWhoseGatewayPortIsTakenRefusesToStartAndNamesThePort()
    {
        var broker = await cluster.StatusOfAsync("3");
        var gateway = IPEndPoint.Parse(broker.Gateway);
        (await cluster.RunAsync("stop-broker", "3")).EnsureSuccess();
        Assert.Equal("stopped", (await cluster.StatusOfAsync("3")).State);

        ScriptResult refused;
        using (var squatter = new TcpListener(gateway))
        {
            squatter.Start();
            refused = await cluster.RunAsync("restart", "3", "--timeout", "30");
        }

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"port {gateway.Port}", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("in use", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("stopped", (await cluster.StatusOfAsync("3")).State);
        (await cluster.RunAsync("restart", "3")).EnsureSuccess();
        Assert.Equal("running", (await cluster.StatusOfAsync("3")).State);
    }
}
