using System.Diagnostics;
using Orlog.Client;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// A client follows the live brokers' gateways, not only bootstrap.servers: given one gateway, it learns the
/// others; when that gateway's silo is paused (SIGSTOP: its sockets stay open, so Orleans' client would keep
/// sending through it) and Orleans declares it dead, the client's calls move to the live gateways.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayFollowingTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Victim = "3";

    // Orleans declares a paused silo dead no sooner than MaxProbeTimeout x MissedProbesLimit (12 s with Orlog's
    // defaults) after its last message; about 14 s here, more on a loaded machine.
    private static readonly TimeSpan _deadDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _learnDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan _callTimeout = TimeSpan.FromSeconds(5);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    [Fact]
    public async Task AClientGivenOnlyAPausedBrokersGatewayReachesTheClusterOnceTheBrokerIsDeclaredDead()
    {
        var topic = $"gateways-{Guid.NewGuid().ToString("N")[..8]}";
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "3", "-r", "3", "--config", "min.insync.replicas=2")).EnsureSuccess();
        var statuses = await cluster.StatusAsync();
        var victimGateway = statuses.Single(s => s.Id == Victim).Gateway;
        var allGateways = statuses.Where(s => s.Id != "db").Select(s => s.Gateway).ToList();

        var logs = new CapturedLogs();
        using var loggerFactory = logs.Factory();
        var config = new ClientConfig { BootstrapServers = victimGateway, OrleansClusterId = cluster.ClusterId };
        await using var client = await OrlogClient.ConnectAsync(config, loggerFactory);
        await Poll.UntilAsync($"the client names every broker's gateway ({string.Join(", ", allGateways)})", _learnDeadline, TimeSpan.FromMilliseconds(200), () =>
            Task.FromResult(logs.Messages.LastOrDefault(m => m.Contains(" Gateways now", StringComparison.Ordinal)) is { } last
                && allGateways.All(g => last.Contains(g, StringComparison.Ordinal)) ? last : null));
        await using var admin = await new AdminClientBuilder(config).SetClient(client).BuildAsync();

        var clock = Stopwatch.StartNew();
        (await cluster.RunAsync("pause", Victim)).EnsureSuccess();
        try
        {
            var dead = await Poll.UntilAsync($"broker {Victim} shown dead through a client that bootstrapped from it", _deadDeadline, TimeSpan.FromMilliseconds(250), async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_callTimeout);
                    var brokers = await admin.ListBrokersAsync(timeout.Token);
                    return brokers.FirstOrDefault(b => b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == Victim) is { Status: "dead" } d ? d : null;
                }
                catch (Exception e) when (e is Orlog.Client.KafkaException or OperationCanceledException or TimeoutException or Orleans.Runtime.OrleansException)
                {
                    return null;
                }
            });
            output.WriteLine($"broker {Victim} shown dead {clock.Elapsed.TotalSeconds:F1} s after the pause");

            // And the data path: a record is acknowledged by the two live replicas.
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = victimGateway, OrleansClusterId = cluster.ClusterId, DeliveryTimeoutMs = 60_000 })
                .SetClient(client).Build();
            var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "after the pause" });
            Assert.True(report.Offset.Value >= 0, $"acknowledged without an offset: {report.Offset}");
            output.WriteLine($"a record acknowledged at {report.TopicPartitionOffset} {clock.Elapsed.TotalSeconds:F1} s after the pause");
            Assert.Contains(logs.Messages, m => m.Contains(" Gateways now", StringComparison.Ordinal) && !m.Contains(victimGateway, StringComparison.Ordinal));
        }
        catch
        {
            output.WriteLine($"paused at {DateTime.UtcNow - clock.Elapsed:HH:mm:ss.fff}");
            output.WriteLine("what the client logged:\n" + string.Join('\n', logs.Messages));
            output.WriteLine($"the brokers' logs are kept in {cluster.KeepLogs(topic)}");
            throw;
        }
        finally
        {
            // Resumed, the silo learns it was declared dead and stops; the next test finds it restarted.
            (await cluster.RunAsync("resume", Victim)).EnsureSuccess();
            await Poll.UntilAsync($"broker {Victim} stopped by itself after it was resumed", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), async () =>
                await cluster.StatusOfAsync(Victim) is { State: "stopped" } s ? s : null);
        }
    }
}
