using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.EndToEnd.Tests.Faults;
using Orlog.Testing;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// Growing and shrinking the local cluster under load: `local-cluster.sh add-broker`, `orlog partitions rebalance`
/// spreading a topic onto the new broker, `orlog brokers drain` moving it all off again, then the broker stopped and
/// unregistered, while idempotent acks=all producers and a consumer group run (the fault tests' <see cref="Workload"/>).
/// Every acknowledged record is read back once. The collection's three brokers are left as they were: the fourth
/// is stopped, unregistered and its state removed from the cluster's directory, even when the test fails.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReassignmentTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PartitionCount = 6;
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _interval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _clock = new();
    private int? _added;

    public Task InitializeAsync() => Task.CompletedTask;

    // The test failed with the added broker still there: move what it holds off it first, as far as that goes.
    public async Task DisposeAsync()
    {
        if (_added is { } id)
        {
            await cluster.RunCliAsync("brokers", "drain", id.ToString(CultureInfo.InvariantCulture), "--wait");
            await RetireAsync(id);
        }
    }

    [Fact]
    public async Task ABrokerAddedThenSpreadOntoThenDrainedUnderLoadLosesNothing()
    {
        var topic = $"spread-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            await SpreadAndDrainAsync(topic);
        }
        catch
        {
            // The brokers' logs go with the cluster's directory: kept for a diagnosis.
            var kept = Path.Combine(Path.GetTempPath(), $"orlog-logs-{topic}");
            Directory.CreateDirectory(kept);
            foreach (var file in Directory.GetFiles(Path.Combine(cluster.Directory, "logs")))
            {
                File.Copy(file, Path.Combine(kept, Path.GetFileName(file)), overwrite: true);
            }
            output.WriteLine($"the brokers' logs are kept in {kept}");
            throw;
        }
    }

    private async Task SpreadAndDrainAsync(string topic)
    {
        _clock.Start();
        (await cluster.RunCliAsync("topics", "create", topic, "-p", PartitionCount.ToString(CultureInfo.InvariantCulture), "-r", "3",
            "--config", "min.insync.replicas=2")).EnsureSuccess();
        var history = new History();
        await using var workload = new Workload(history, topic, PartitionCount, config => Settings(config), _clock);
        await workload.StartAsync();
        await Poll.UntilAsync("an acknowledged write on every partition", _deadline, _interval, () =>
            Task.FromResult<object?>(history.Events.OfType<SendAcknowledged>().Select(a => a.Partition).Distinct().Count() == PartitionCount ? "" : null));
        output.WriteLine($"{At()} writing to every partition");

        var id = int.Parse((await cluster.RunAsync("add-broker")).EnsureSuccess().Stdout.Trim(), CultureInfo.InvariantCulture);
        _added = id;
        output.WriteLine($"{At()} broker {id} added");

        // One command spreads the topic onto it: the replicas even out, and the new broker leads some partitions.
        var started = _clock.Elapsed;
        var rebalance = (await cluster.RunCliAsync("partitions", "rebalance", "--topic", topic, "--wait", "-o", "json")).EnsureSuccess();
        output.WriteLine($"{At()} rebalanced in {(_clock.Elapsed - started).TotalSeconds:F1} s: {rebalance.Stderr.Trim()}");
        var moves = Moves(rebalance.Stdout);
        Assert.NotEmpty(moves);
        var spread = await DescribeAsync(topic);
        var replicas = spread.SelectMany(p => p.Replicas).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(replicas.GetValueOrDefault(id) >= 4, $"broker {id} holds {replicas.GetValueOrDefault(id)} replicas: {Show(spread)}");
        Assert.True(replicas.Values.Max() - replicas.Values.Min() <= 1, $"replicas are not even: {Show(spread)}");
        Assert.All(spread, p => Assert.Equal(3, p.Replicas.Count));
        Assert.Equal("", (await cluster.RunCliAsync("partitions", "reassign", "--status", topic, "-o", "plain")).EnsureSuccess().Stdout.Split('\n')[1]);
        var none = await cluster.RunCliAsync("partitions", "reassign", "--status", topic, "--partition", "0");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("NO_REASSIGNMENT_IN_PROGRESS", none.Stderr, StringComparison.Ordinal);

        // And one command moves everything off it again.
        started = _clock.Elapsed;
        var drain = (await cluster.RunCliAsync("brokers", "drain", id.ToString(CultureInfo.InvariantCulture), "--wait", "-o", "json")).EnsureSuccess();
        output.WriteLine($"{At()} drained in {(_clock.Elapsed - started).TotalSeconds:F1} s: {drain.Stderr.Trim()}");
        Assert.Equal(replicas[id], Moves(drain.Stdout).Count);
        var drained = await DescribeAsync(topic);
        Assert.All(drained, p => Assert.DoesNotContain(id, p.Replicas));
        Assert.All(drained, p => Assert.Equal(3, p.Replicas.Count));
        await Poll.UntilAsync($"broker {id} to delete its replicas", _deadline, _interval, () =>
            Task.FromResult<object?>(Directory.GetDirectories(Path.Combine(cluster.Directory, $"broker-{id}"), $"{topic}-*").Length == 0 ? "" : null));

        var unreported = await workload.StopProducingAsync(_deadline);
        await workload.StopConsumingAsync();
        var final = await Poll.UntilAsync("every replica in sync", _deadline, _interval, async () =>
            await DescribeAsync(topic) is var d && d.All(p => p.Leader >= 0 && p.Isr.Count == 3) ? d : null);
        await FinalReadAsync(history, topic, final);
        var report = HistoryChecker.Check(history);
        output.WriteLine(report.ToTable());
        output.WriteLine($"{At()} done: {history.Events.OfType<SendAcknowledged>().Count()} acknowledged, {unreported} without an outcome, " +
            $"{workload.ConsumeErrors} Consume errors; the cluster's start before it took {cluster.StartDuration.TotalSeconds:F1} s");
        if (report.Errors > 0)
        {
            var path = Path.Combine(Path.GetTempPath(), $"orlog-{topic}.jsonl");
            HistoryWriter.WriteJsonLines(history, path);
            output.WriteLine($"the history is in {path}");
        }
        Assert.True(report.Errors == 0, $"the checker found errors:\n{report.ToTable()}");
        Assert.Equal(0, report.Count(AnomalyKind.OutOfOrder));
        Assert.Equal(0, unreported);
        Assert.True(history.Events.OfType<SendAcknowledged>().Count() > 1_000);

        await RetireAsync(id);
        Assert.Equal([1, 2, 3], await BrokerIdsAsync());
    }

    // Stops the added broker, removes it from the controller's registry and from the script's state, so the
    // collection's other tests find the three brokers they started with (`status`, `bootstrap` and `roll` list it otherwise).
    private async Task RetireAsync(int id)
    {
        _added = null;
        var name = id.ToString(CultureInfo.InvariantCulture);
        try
        {
            (await cluster.RunAsync("stop-broker", name)).EnsureSuccess();
            await Poll.UntilAsync($"broker {id} unregistered", _deadline, TimeSpan.FromMilliseconds(500), async () =>
                (await cluster.RunCliAsync("brokers", "unregister", name)).ExitCode == 0 || !(await BrokerIdsAsync()).Contains(id) ? "" : null);
        }
        finally
        {
            // local-cluster.sh knows its brokers by these files: without them it neither lists nor restarts this one.
            foreach (var file in new[] { $"state/broker-{name}.env", $"state/broker-{name}.pid", $"state/broker-{name}.logstart" })
            {
                File.Delete(Path.Combine(cluster.Directory, file));
            }
            var data = Path.Combine(cluster.Directory, $"broker-{name}");
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
        output.WriteLine($"{At()} broker {id} stopped, unregistered and removed");
    }

    private async Task<List<int>> BrokerIdsAsync()
    {
        using var json = JsonDocument.Parse((await cluster.RunCliAsync("brokers", "list", "-o", "json")).EnsureSuccess().Stdout);
        return [.. json.RootElement.EnumerateArray().Select(b => b.GetProperty("id").GetInt32())];
    }

    private async Task<List<PartitionState>> DescribeAsync(string topic)
    {
        using var json = JsonDocument.Parse((await cluster.RunCliAsync("topics", "describe", topic, "-o", "json")).EnsureSuccess().Stdout);
        return [.. json.RootElement.GetProperty("partitions").EnumerateArray().Select(p => new PartitionState(
            p.GetProperty("partition").GetInt32(),
            p.GetProperty("leader").GetInt32(),
            [.. p.GetProperty("replicas").EnumerateArray().Select(b => b.GetInt32())],
            [.. p.GetProperty("isr").EnumerateArray().Select(b => b.GetInt32())]))];
    }

    private static List<(int Partition, List<int> Target)> Moves(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(m => (m.GetProperty("partition").GetInt32(), m.GetProperty("targetReplicas").EnumerateArray().Select(b => b.GetInt32()).ToList()))];
    }

    private async Task FinalReadAsync(History history, string topic, List<PartitionState> described)
    {
        var ends = new Dictionary<int, long>();
        await using (var admin = await new AdminClientBuilder(Settings(new ClientConfig())).BuildAsync())
        {
            foreach (var offset in (await admin.ListOffsetsAsync(described.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, p.Partition), OffsetSpec = OffsetSpec.Latest() }))).ResultInfos.Select(r => r.TopicPartitionOffsetError))
            {
                ends[offset.Partition] = offset.Offset.Value;
            }
        }
        await FinalReader.ReadAsync(history, topic, ends, config => Settings(config), _deadline);
    }

    private static string Show(List<PartitionState> partitions) =>
        string.Join("; ", partitions.Select(p => $"p{p.Partition} [{string.Join(',', p.Replicas)}] led by {p.Leader}"));

    private T Settings<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = cluster.Bootstrap;
        config.OrleansClusterId = cluster.ClusterId;
        return config;
    }

    private string At() => $"[{_clock.Elapsed.TotalSeconds,6:F1} s]";

    private sealed record PartitionState(int Partition, int Leader, List<int> Replicas, List<int> Isr);
}
