using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// The data path of the local cluster, through the real CLI: partitions spread over the brokers, every gateway
/// serving every partition, the controller's broker killed and restarted, a duplicate broker id refused, and
/// PostgreSQL stopped under produce and fetch. Every wait polls against a deadline; every test leaves all the
/// brokers and the database running.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDataPathTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    // Orleans' membership (MembershipTimingOptions): 3 missed probes of 2 s, then the votes, then the table
    // refresh at most 10 s later; a SIGKILL closes the sockets, so detection is usually far quicker.
    private static readonly TimeSpan _membershipDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _metadataDeadline = TimeSpan.FromSeconds(30);

    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-e2e-data", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_temp);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await cluster.EnsureAllRunningAsync();
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    [Fact]
    public async Task APartitionedTopicHasLeadersOnEveryBrokerAndTheClusterOneController()
    {
        var topic = NewTopic("spread");
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "6")).EnsureSuccess();

        var described = await DescribeAsync(topic);
        Assert.Equal(6, described.Partitions.Count);
        Assert.Equal([1, 2, 3], described.Partitions.Select(p => p.Leader).Distinct().Order());
        var brokers = await BrokersAsync();
        Assert.Equal([1, 2, 3], brokers.Select(b => b.Id));
        Assert.All(brokers, b => Assert.Equal("alive", b.Status));
        Assert.All(brokers, b => Assert.True(b.Leaders >= 2, $"broker {b.Id} leads {b.Leaders} partitions"));
        Assert.Single(brokers, b => b.Controller);

        // Every broker's web surface is ready and shows the whole cluster: the same leaders, every broker's replicas.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var status in (await cluster.StatusAsync()).Where(line => line.Id != "db"))
        {
            var web = "http://" + status.Web;
            using (var ready = await http.GetAsync(web + "/health/ready"))
            {
                Assert.True(ready.IsSuccessStatusCode, $"broker {status.Id}: /health/ready {(int)ready.StatusCode}");
            }
            using (var shown = JsonDocument.Parse(await http.GetStringAsync(web + $"/api/topics/{topic}")))
            {
                Assert.Equal(described.Partitions.Select(p => p.Leader), shown.RootElement.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("leader").GetInt32()));
            }
            using var listed = JsonDocument.Parse(await http.GetStringAsync(web + "/api/brokers"));
            Assert.Equal([1, 2, 3], listed.RootElement.EnumerateArray().Select(b => b.GetProperty("id").GetInt32()));
            Assert.All(listed.RootElement.EnumerateArray(), b => Assert.True(b.GetProperty("replicas").GetInt32() >= 2, $"broker {status.Id} shows {b}"));
        }
    }

    [Fact]
    public async Task UnderReplicatedListsEveryPartitionWithFewerInSyncReplicasThanReplicas()
    {
        // Two replicas each: all in sync while every broker runs.
        var twice = NewTopic("twice");
        var once = NewTopic("once");
        (await cluster.RunCliAsync("topics", "create", twice, "-p", "2", "--replication-factor", "2")).EnsureSuccess();
        (await cluster.RunCliAsync("topics", "create", once, "-p", "2")).EnsureSuccess();
        Assert.Equal(1, (await cluster.RunCliAsync("topics", "create", NewTopic("too-many"), "--replication-factor", "4")).ExitCode);
        Assert.Empty(await UnderReplicatedAsync(twice, once));

        // Broker 3 stops gracefully: it leaves every ISR, and each partition it holds a replica of is listed.
        (await cluster.RunAsync("stop-broker", "3")).EnsureSuccess();
        var described = await DescribeAsync(twice);
        var mine = await UnderReplicatedAsync(twice, once);
        var expected = described.Partitions.Where(p => p.Replicas.Split(',').Contains("3")).Select(p => p.Partition).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, mine.Select(p => p.GetProperty("partition").GetInt32()).Order());
        Assert.All(mine, p =>
        {
            Assert.Equal(twice, p.GetProperty("topic").GetString());
            Assert.Equal(2, p.GetProperty("replicas").GetArrayLength());
            Assert.DoesNotContain(3, p.GetProperty("isr").EnumerateArray().Select(b => b.GetInt32()));
            Assert.NotEqual(3, p.GetProperty("leader").GetInt32());
        });
    }

    private async Task<List<JsonElement>> UnderReplicatedAsync(params string[] topics)
    {
        var listed = await cluster.RunCliAsync("topics", "describe", "--under-replicated", "--output", "json");
        listed.EnsureSuccess();
        using var json = JsonDocument.Parse(listed.Stdout);
        return json.RootElement.EnumerateArray().Where(p => p.GetProperty("topic").GetString() is { } t && topics.Contains(t)).Select(p => p.Clone()).ToList();
    }

    [Fact]
    public async Task EveryGatewayTakesProducesAndServesEveryRecordOnceInOffsetOrder()
    {
        var topic = NewTopic("gateways");
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "6")).EnsureSuccess();
        var gateways = cluster.Bootstrap.Split(',');
        var produced = new List<(string Key, string Value)>();
        for (var g = 0; g < gateways.Length; g++)
        {
            var records = Enumerable.Range(0, 30).Select(i => (Key: $"g{g}-k{i:D2}", Value: $"g{g}-v{i:D2}")).ToList();
            await ProduceAsync(gateways[g], topic, records);
            produced.AddRange(records);
        }

        var seen = new Dictionary<(int Partition, long Offset), (string Key, string Value)>();
        List<ConsumedRecord> last = [];
        foreach (var gateway in gateways)
        {
            var consumed = await ConsumeAllAsync(gateway, topic, produced.Count);
            Assert.Equal(produced.Order(), consumed.Select(r => (r.Key, r.Value)).Order());
            AssertOffsetOrderPerPartition(consumed);
            foreach (var record in consumed)
            {
                // Every gateway shows the same record at the same offset.
                if (seen.TryGetValue((record.Partition, record.Offset), out var before))
                {
                    Assert.Equal(before, (record.Key, record.Value));
                }
                seen[(record.Partition, record.Offset)] = (record.Key, record.Value);
            }
            last = consumed;
        }
        await AssertNothingBeyondAsync(topic, last);
    }

    [Fact]
    public async Task AKilledControllerBrokersPartitionsAreLeaderlessUntilItReturnsWithEveryAcknowledgedRecord()
    {
        var topic = NewTopic("failover");
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "6", "--config", "retention.ms=86400000")).EnsureSuccess();
        var before = await DescribeAsync(topic);
        var acknowledged = Enumerable.Range(0, 60).Select(i => (Key: $"k{i:D2}", Value: $"before-{i:D2}")).ToList();
        await ProduceAsync(cluster.Bootstrap, topic, acknowledged);
        // Where each key went: the same key goes to the same partition again.
        var partitionOfKey = (await ConsumeAllAsync(cluster.Bootstrap, topic, acknowledged.Count)).ToDictionary(r => r.Key, r => r.Partition);
        var victim = (await BrokersAsync()).Single(b => b.Controller).Id;
        var victimPartitions = before.Partitions.Where(p => p.Leader == victim).Select(p => p.Partition).ToHashSet();
        Assert.NotEmpty(victimPartitions);
        output.WriteLine($"controller on broker {victim}, leading partitions {string.Join(',', victimPartitions)}");

        var clock = Stopwatch.StartNew();
        (await cluster.RunAsync("kill", victim.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();
        output.WriteLine($"kill {victim}: {clock.Elapsed.TotalSeconds:F1} s");

        // Within the membership timeout: the broker is dead and another one hosts the controller.
        var failedCalls = new List<string>();
        var brokers = await PollAsync("the killed broker dead and the controller elsewhere", _membershipDeadline, async () =>
        {
            var result = await cluster.RunCliAsync("brokers", "list", "--output", "json");
            if (result.ExitCode != 0)
            {
                failedCalls.Add($"{clock.Elapsed.TotalSeconds:F1} s: exit {result.ExitCode}: {result.Stderr.Trim()}");
                return null;
            }
            var list = ParseBrokers(result.Stdout);
            return list.Single(b => b.Id == victim).Status == "dead" && list.Count(b => b.Controller) == 1 && !list.Single(b => b.Id == victim).Controller
                ? list
                : null;
        });
        output.WriteLine($"broker {victim} dead, controller on broker {brokers.Single(b => b.Controller).Id}: {clock.Elapsed.TotalSeconds:F1} s after the kill");
        foreach (var failed in failedCalls)
        {
            output.WriteLine($"  brokers list failed meanwhile at {failed}");
        }

        // The topic is intact; the dead broker's partitions have no leader while it is down.
        var during = await PollAsync("the killed broker's partitions leaderless", _metadataDeadline, async () =>
        {
            var described = await DescribeAsync(topic);
            return described.Partitions.Where(p => victimPartitions.Contains(p.Partition)).All(p => p.Leader == -1) ? described : null;
        });
        output.WriteLine($"its partitions leaderless: {clock.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.Equal(before.TopicId, during.TopicId);
        Assert.Equal(before.Configs, during.Configs);
        Assert.Equal(before.Partitions.Select(p => (p.Partition, p.Replicas)), during.Partitions.Select(p => (p.Partition, p.Replicas)));
        Assert.All(during.Partitions.Where(p => !victimPartitions.Contains(p.Partition)), p => Assert.Equal(before.Partitions[p.Partition].Leader, p.Leader));

        // The live brokers' partitions keep taking produces and serving fetches.
        var liveKeys = acknowledged.Select(r => r.Key).Where(key => !victimPartitions.Contains(partitionOfKey[key])).ToList();
        Assert.NotEmpty(liveKeys);
        var meanwhile = liveKeys.Select(key => (Key: key, Value: $"meanwhile-{key}")).ToList();
        var produceClock = Stopwatch.StartNew();
        await ProduceAsync(cluster.Bootstrap, topic, meanwhile, "-X", "request.timeout.ms=10000", "-X", "delivery.timeout.ms=20000");
        output.WriteLine($"{meanwhile.Count} records produced to the live partitions in {produceClock.Elapsed.TotalSeconds:F1} s while broker {victim} was down");
        // One consumer of the whole topic: the leaderless partitions give nothing, the others everything.
        var live = acknowledged.Concat(meanwhile).Where(r => !victimPartitions.Contains(partitionOfKey[r.Key])).ToList();
        var fetched = await ConsumeAllAsync(cluster.Bootstrap, topic, live.Count);
        Assert.Equal(live.Order(), fetched.Select(r => (r.Key, r.Value)).Order());
        AssertOffsetOrderPerPartition(fetched);
        await AssertNothingBeyondAsync(topic, fetched, during.Partitions.Select(p => p.Partition).Where(p => !victimPartitions.Contains(p)));
        acknowledged.AddRange(meanwhile);
        output.WriteLine($"live partitions fetched: {clock.Elapsed.TotalSeconds:F1} s after the kill");

        // Back: it leads its partitions again, in a new leader epoch, with every acknowledged record.
        var restartClock = Stopwatch.StartNew();
        (await cluster.RunAsync("restart", victim.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();
        output.WriteLine($"restart {victim}: {restartClock.Elapsed.TotalSeconds:F1} s");
        var after = await PollAsync("the restarted broker leading its partitions", _metadataDeadline, async () =>
        {
            var described = await DescribeAsync(topic);
            return described.Partitions.Where(p => victimPartitions.Contains(p.Partition)).All(p => p.Leader == victim) ? described : null;
        });
        output.WriteLine($"broker {victim} leads its partitions again {restartClock.Elapsed.TotalSeconds:F1} s after restart began");
        Assert.Equal(before.TopicId, after.TopicId);
        Assert.All(after.Partitions.Where(p => victimPartitions.Contains(p.Partition)),
            p => Assert.True(p.LeaderEpoch > before.Partitions[p.Partition].LeaderEpoch,
                $"partition {p.Partition}: leader epoch {p.LeaderEpoch}, was {before.Partitions[p.Partition].LeaderEpoch} before the kill"));
        var all = await ConsumeAllAsync(cluster.Bootstrap, topic, acknowledged.Count);
        Assert.Equal(acknowledged.Order(), all.Select(r => (r.Key, r.Value)).Order());
        AssertOffsetOrderPerPartition(all);
        await AssertNothingBeyondAsync(topic, all);
        output.WriteLine($"every record read back: {clock.Elapsed.TotalSeconds:F1} s after the kill");
    }

    [Fact]
    public async Task ASecondBrokerWithALiveBrokersIdIsRefusedNamingTheId()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll"), "--broker-id", "1", "--data-dir", Path.Combine(_temp, "duplicate"),
            "--silo-port", "0", "--gateway-port", "0", "--cluster-db", cluster.ClusterDb,
        })
        {
            info.ArgumentList.Add(arg);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"a second broker 1 was still running after 60 s; stderr:\n{await stderr}");
        }
        output.WriteLine($"refused after {clock.Elapsed.TotalSeconds:F1} s");

        var text = await stdout + await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.True(text.Contains("broker id 1 is already taken", StringComparison.Ordinal) || text.Contains("DUPLICATE_BROKER_REGISTRATION", StringComparison.Ordinal),
            $"the refusal does not name broker id 1:\n{text}");

        // The cluster keeps working: broker 1 is alive, and takes and serves records.
        var brokers = await BrokersAsync();
        Assert.All(brokers, b => Assert.Equal("alive", b.Status));
        var topic = NewTopic("after-duplicate");
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "3")).EnsureSuccess();
        var records = Enumerable.Range(0, 12).Select(i => (Key: $"k{i}", Value: $"v{i}")).ToList();
        await ProduceAsync(cluster.Bootstrap, topic, records);
        Assert.Equal(records.Order(), (await ConsumeAllAsync(cluster.Bootstrap, topic, records.Count)).Select(r => (r.Key, r.Value)).Order());
    }

    [Fact]
    public async Task ProduceAndFetchKeepWorkingWhileTheDatabaseIsStopped()
    {
        var topic = NewTopic("nodb");
        (await cluster.RunCliAsync("topics", "create", topic, "-p", "3")).EnsureSuccess();
        var records = Enumerable.Range(0, 15).Select(i => (Key: $"k{i:D2}", Value: $"before-{i:D2}")).ToList();
        // Also leaves the producer-id grain active with a block of ids in hand (see the report in docs/cluster.md).
        await ProduceAsync(cluster.Bootstrap, topic, records);

        var postmaster = (await cluster.StatusOfAsync("db")).Pid;
        var children = (await RunToolAsync("pgrep", "-P", postmaster)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] database = [postmaster, .. children];
        var createdWhileStopped = NewTopic("nodb-create");
        ScriptResult produceAfterCreate;
        output.WriteLine($"SIGSTOP PostgreSQL: {string.Join(' ', database)}");
        (await RunToolAsync("kill", ["-STOP", .. database])).EnsureSuccess();
        try
        {
            // A new producer (its producer id from the block in hand), then a new consumer of each partition.
            var clock = Stopwatch.StartNew();
            var more = Enumerable.Range(0, 15).Select(i => (Key: $"k{i:D2}", Value: $"stopped-{i:D2}")).ToList();
            await ProduceAsync(cluster.Bootstrap, topic, more, "-X", "request.timeout.ms=10000", "-X", "delivery.timeout.ms=20000", "-X", "max.block.ms=10000");
            output.WriteLine($"produce (new producer, idempotent) with the database stopped: ok in {clock.Elapsed.TotalSeconds:F1} s");
            records.AddRange(more);

            clock.Restart();
            var fetched = new List<ConsumedRecord>();
            for (var partition = 0; partition < 3; partition++)
            {
                fetched.AddRange(await ConsumePartitionAsync(cluster.Bootstrap, topic, partition, expected: null));
            }
            output.WriteLine($"fetch of the 3 partitions (--partition/--offset) with the database stopped: ok in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(records.Order(), fetched.Select(r => (r.Key, r.Value)).Order());
            AssertOffsetOrderPerPartition(fetched);

            clock.Restart();
            var describe = await cluster.RunCliAsync("topics", "describe", topic, "--output", "json");
            output.WriteLine($"topics describe with the database stopped: exit {describe.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(0, describe.ExitCode);

            // A metadata change needs the database: it times out for the client...
            clock.Restart();
            var create = await cluster.RunCliAsync("topics", "create", createdWhileStopped, "-p", "1", "-X", "request.timeout.ms=3000");
            output.WriteLine($"topics create with the database stopped: exit {create.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s: {create.Stderr.Trim()}");

            // ...and must not take produce and fetch down with it.
            clock.Restart();
            var file = Path.Combine(_temp, "after-create.txt");
            await File.WriteAllLinesAsync(file, ["k99\tafter-create"]);
            produceAfterCreate = await cluster.RunCliAsync("produce", topic, "--file", file, "--key-separator",
                "-X", "request.timeout.ms=5000", "-X", "delivery.timeout.ms=10000", "-X", "max.block.ms=5000");
            output.WriteLine($"produce (new producer) after that create, database still stopped: exit {produceAfterCreate.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s: {produceAfterCreate.Stderr.Trim()}");
            clock.Restart();
            var describeAfterCreate = await cluster.RunCliAsync("topics", "describe", topic, "-X", "request.timeout.ms=3000");
            output.WriteLine($"topics describe after that create: exit {describeAfterCreate.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s: {describeAfterCreate.Stderr.Trim()}");
        }
        finally
        {
            (await RunToolAsync("kill", ["-CONT", .. database])).EnsureSuccess();
            output.WriteLine("SIGCONT PostgreSQL");
        }

        // With the database back, changes go through again; the create that timed out was applied after all.
        var back = Stopwatch.StartNew();
        await PollAsync("a topic created after the database came back", _metadataDeadline, async () =>
            (await cluster.RunCliAsync("topics", "create", NewTopic("nodb-after"), "-p", "1")).ExitCode == 0 ? "" : null);
        output.WriteLine($"topics create works again {back.Elapsed.TotalSeconds:F1} s after SIGCONT");
        var timedOutCreate = await cluster.RunCliAsync("topics", "describe", createdWhileStopped);
        output.WriteLine($"the topic whose create timed out while the database was stopped: {(timedOutCreate.ExitCode == 0 ? "exists (applied when the database came back)" : "does not exist")}");

        // The controller answers reads from its committed metadata without waiting for a change in flight: a
        // metadata change waiting on the database must not stop a new client's metadata, so produce goes on.
        Assert.True(produceAfterCreate.ExitCode == 0,
            $"with the database stopped, a metadata change in flight stopped produce to a live partition: {produceAfterCreate.Stderr.Trim()}");
    }

    private static string NewTopic(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task ProduceAsync(string bootstrap, string topic, IEnumerable<(string Key, string Value)> records, params string[] settings)
    {
        var file = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllLinesAsync(file, records.Select(r => $"{r.Key}\t{r.Value}"));
        (await cluster.RunCliOnAsync(bootstrap, ["produce", topic, "--file", file, "--key-separator", .. settings])).EnsureSuccess();
    }

    /// <summary>
    /// The first <paramref name="count"/> records of the topic from the beginning. With offsets 0..n-1 in each
    /// partition (<see cref="AssertOffsetOrderPerPartition"/>) and <see cref="AssertNothingBeyondAsync"/>, that is
    /// every record exactly once, without waiting out a timeout.
    /// </summary>
    private async Task<List<ConsumedRecord>> ConsumeAllAsync(string bootstrap, string topic, int count)
    {
        var result = (await cluster.RunCliOnAsync(bootstrap, "consume", topic, "--from-beginning", "--format", "json",
            "--max-messages", count.ToString(CultureInfo.InvariantCulture), "--timeout-ms", "10000")).EnsureSuccess();
        return ParseRecords(result.Stdout);
    }

    /// <summary>Partition <paramref name="partition"/> from its earliest offset: <paramref name="expected"/> records, or all until a second passes without one.</summary>
    private async Task<List<ConsumedRecord>> ConsumePartitionAsync(string bootstrap, string topic, int partition, int? expected)
    {
        string[] limit = expected is { } count ? ["--max-messages", count.ToString(CultureInfo.InvariantCulture), "--timeout-ms", "10000"] : ["--timeout-ms", "1000"];
        var result = (await cluster.RunCliOnAsync(bootstrap, ["consume", topic, "--partition", partition.ToString(CultureInfo.InvariantCulture),
            "--offset", "earliest", "--format", "json", .. limit])).EnsureSuccess();
        return ParseRecords(result.Stdout);
    }

    /// <summary>Each partition's high watermark is the number of records read from it: nothing more is there.</summary>
    private async Task AssertNothingBeyondAsync(string topic, IEnumerable<ConsumedRecord> records, IEnumerable<int>? partitions = null)
    {
        var counts = records.GroupBy(r => r.Partition).ToDictionary(g => g.Key, g => (long)g.Count());
        var described = await DescribeAsync(topic);
        foreach (var partition in described.Partitions.Where(p => partitions is null || partitions.Contains(p.Partition)))
        {
            Assert.Equal((partition.Partition, counts.GetValueOrDefault(partition.Partition)), (partition.Partition, partition.HighWatermark));
        }
    }

    private static void AssertOffsetOrderPerPartition(IEnumerable<ConsumedRecord> records)
    {
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            // In the order printed, offsets 0, 1, 2, ...: nothing skipped, repeated or out of order.
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset));
        }
    }

    private async Task<IReadOnlyList<BrokerEntry>> BrokersAsync() =>
        ParseBrokers((await cluster.RunCliAsync("brokers", "list", "--output", "json")).EnsureSuccess().Stdout);

    private async Task<TopicEntry> DescribeAsync(string topic)
    {
        using var json = JsonDocument.Parse((await cluster.RunCliAsync("topics", "describe", topic, "--output", "json")).EnsureSuccess().Stdout);
        var root = json.RootElement;
        return new TopicEntry(
            root.GetProperty("topicId").GetString()!,
            root.GetProperty("configs").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.ToString()),
            [.. root.GetProperty("partitions").EnumerateArray().Select(p => new PartitionEntry(
                p.GetProperty("partition").GetInt32(),
                p.GetProperty("leader").GetInt32(),
                p.GetProperty("leaderEpoch").GetInt32(),
                string.Join(',', p.GetProperty("replicas").EnumerateArray().Select(r => r.GetInt32())),
                p.GetProperty("highWatermark").GetInt64()))]);
    }

    private static List<BrokerEntry> ParseBrokers(string text)
    {
        using var json = JsonDocument.Parse(text);
        return [.. json.RootElement.EnumerateArray().Select(b => new BrokerEntry(
            b.GetProperty("id").GetInt32(), b.GetProperty("status").GetString()!, b.GetProperty("leaders").GetInt32(), b.GetProperty("controller").GetBoolean()))];
    }

    private static List<ConsumedRecord> ParseRecords(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            return new ConsumedRecord(r.GetProperty("partition").GetInt32(), r.GetProperty("offset").GetInt64(),
                r.GetProperty("key").GetString()!, r.GetProperty("value").GetString()!);
        })];

    private static Task<T> PollAsync<T>(string what, TimeSpan deadline, Func<Task<T?>> probe)
        where T : class => Poll.UntilAsync(what, deadline, TimeSpan.FromMilliseconds(250), probe);

    private static async Task<ScriptResult> RunToolAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ScriptResult($"{program} {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr);
    }

    private sealed record BrokerEntry(int Id, string Status, int Leaders, bool Controller);

    private sealed record PartitionEntry(int Partition, int Leader, int LeaderEpoch, string Replicas, long HighWatermark);

    private sealed record TopicEntry(string TopicId, Dictionary<string, string> Configs, IReadOnlyList<PartitionEntry> Partitions);

    private sealed record ConsumedRecord(int Partition, long Offset, string Key, string Value);
}
