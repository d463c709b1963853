using System.Diagnostics;
using System.Globalization;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.EndToEnd.Tests.Cluster;
using Orlog.Testing;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>
/// The fault campaign (Jepsen's way, phased as Redpanda's chaos tests: steady, inject, heal, recover): three brokers
/// in network namespaces, a topic of 6 partitions with 3 replicas and min.insync.replicas=2, idempotent acks=all
/// producers and a consumer group running throughout, while the <see cref="Nemesis"/> injects one fault after
/// another into the real processes. The history of every send and poll, and a final read of every partition, go
/// to the <see cref="HistoryChecker"/>: nothing acknowledged lost, nothing duplicated, no offset read with two
/// values, no poll going backwards. Each fault's unavailability and the consumers' catch-up are printed.
/// The quick run (5 faults) is part of the test suite; the long one (21 faults, every kind three times) runs with
/// <c>dotnet test tests/EndToEnd.Tests -c Release --filter Category=Long</c>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultCampaignTests(FaultClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PartitionCount = 6;

    private static readonly TimeSpan _steady = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan _firstAcksDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _flushDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _catchUpDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _readDeadline = TimeSpan.FromSeconds(90);

    private readonly Stopwatch _clock = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    [Fact]
    public Task FiveFaultsOfFiveKindsLoseAndDuplicateNothing() =>
        RunAsync([FaultKind.KillController, FaultKind.PauseLeader, FaultKind.GracefulRestart, FaultKind.PartitionLeader, FaultKind.DatabaseRestart]);

    [Fact]
    [Trait("Category", "Long")]
    public Task EveryFaultKindThreeTimesLosesAndDuplicatesNothing() =>
        RunAsync([.. Enumerable.Repeat(Enum.GetValues<FaultKind>(), 3).SelectMany(kinds => kinds)]);

    private async Task RunAsync(IReadOnlyList<FaultKind> faults)
    {
        var topic = $"faults-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            await CampaignAsync(topic, faults);
            if (Environment.GetEnvironmentVariable("ORLOG_KEEP_LOGS") == "1")
            {
                KeepLogs(topic);
            }
        }
        catch
        {
            KeepLogs(topic);
            throw;
        }
    }

    private async Task CampaignAsync(string topic, IReadOnlyList<FaultKind> faults)
    {
        (await cluster.RunCliAsync("topics", "create", topic, "-p", PartitionCount.ToString(CultureInfo.InvariantCulture), "-r", "3",
            "--config", "min.insync.replicas=2")).EnsureSuccess();
        // The admin client's own account of the gateways it follows goes to the output with the faults' lines.
        var adminLogs = new CapturedLogs();
        using var adminLoggerFactory = adminLogs.Factory();
        await using var admin = await new AdminClientBuilder(Settings(new ClientConfig())).SetLoggerFactory(adminLoggerFactory).BuildAsync();
        var history = new History();
        _clock.Restart();
        await using var workload = new Workload(history, topic, PartitionCount, config => Settings(config), _clock);
        await workload.StartAsync();
        await Poll.UntilAsync("an acknowledged write on every partition", _firstAcksDeadline, TimeSpan.FromMilliseconds(200), () =>
            Task.FromResult<object?>(history.Events.OfType<SendAcknowledged>().Select(a => a.Partition).Distinct().Count() == PartitionCount ? "" : null));
        output.WriteLine($"{At()} steady: every partition written");

        var nemesis = new Nemesis(cluster, admin, topic, $"{topic}-readers", _clock, output);
        var runs = new List<FaultRun>();
        foreach (var kind in faults)
        {
            await Task.Delay(_steady);
            runs.Add(await nemesis.RunAsync(kind));
        }
        await Task.Delay(_steady);

        var unreported = await workload.StopProducingAsync(_flushDeadline);
        output.WriteLine($"{At()} producers stopped: {unreported} sends without an outcome");
        await CatchUpAsync(history);
        await workload.StopConsumingAsync();
        var final = await Poll.UntilAsync("every replica in sync at the end", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), async () =>
            await TryDescribeAsync(admin, topic) is { } d && d.Partitions.All(p => p.LeaderId >= 0 && p.IsrIds.Count == 3) ? d : null);
        await FinalReadAsync(history, topic, final);

        var events = history.Events;
        var measures = runs.Select(r => FaultMeasures.Of(r, events, _clock.Elapsed)).ToList();
        foreach (var measure in measures)
        {
            var retries = workload.RetriesBetween(measure.Run.Injected, measure.Run.Recovered);
            output.WriteLine($"{measure}; client retries meanwhile: " +
                (retries.Count == 0 ? "none" : string.Join(", ", retries.Select(r => $"{r.Value} x {r.Key}"))));
        }
        foreach (var kind in measures.GroupBy(m => m.Run.Kind))
        {
            var windows = kind.Select(m => m.LongestUnavailable?.TotalSeconds ?? double.PositiveInfinity).Order().ToList();
            output.WriteLine($"{kind.Key}: {windows.Count} faults, unavailability median {windows[windows.Count / 2]:F2} s, max {windows[^1]:F2} s");
        }
        output.WriteLine("the admin client's gateways:\n" + string.Join('\n', adminLogs.Messages.Where(m => m.Contains(" Gateways now", StringComparison.Ordinal))));
        var report = HistoryChecker.Check(history);
        output.WriteLine(report.ToTable());
        output.WriteLine($"Consume calls that threw: {workload.ConsumeErrors}{(workload.FirstConsumeError is { } first ? $" (first: {first})" : "")}");
        output.WriteLine($"total {_clock.Elapsed.TotalSeconds:F1} s for {faults.Count} faults (the cluster's start before it: {cluster.StartDuration.TotalSeconds:F1} s)");

        var failed = report.Errors > 0 || report.Count(AnomalyKind.OutOfOrder) > 0;
        if (failed)
        {
            var path = Path.Combine(Path.GetTempPath(), $"orlog-faults-{topic}.jsonl");
            HistoryWriter.WriteJsonLines(history, path);
            output.WriteLine($"the history is in {path}");
        }
        Assert.Equal(faults.Count, runs.Count);
        Assert.True(report.Errors == 0, $"the checker found errors:\n{report.ToTable()}");
        Assert.Equal(0, report.Count(AnomalyKind.OutOfOrder)); // idempotent producers: stored in the order sent
        Assert.All(measures.Where(m => m.Run.Kind == FaultKind.GracefulRestart), m => Assert.Equal(0, m.FailedSends));
        Assert.Equal(0, workload.ConsumeErrors);
        Assert.All(measures, m => Assert.NotNull(m.LongestUnavailable));
    }

    // The consumers read on until they have polled every acknowledged record (or the deadline: what is left shows as unseen).
    private async Task CatchUpAsync(History history)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < _catchUpDeadline)
        {
            var events = history.Events;
            var polled = events.OfType<Polled>().Select(p => p.SendId).ToHashSet();
            var missing = events.OfType<SendAcknowledged>().Count(a => !polled.Contains(a.SendId));
            if (missing == 0)
            {
                output.WriteLine($"{At()} consumers caught up with every acknowledged record");
                return;
            }
            await Task.Delay(500);
        }
        output.WriteLine($"{At()} consumers did not catch up within {_catchUpDeadline.TotalSeconds:F0} s");
    }

    private async Task FinalReadAsync(History history, string topic, TopicDescription described)
    {
        var ends = described.Partitions.ToDictionary(p => p.Partition, p => p.HighWatermark);
        await FinalReader.ReadAsync(history, topic, ends, config => Settings(config), _readDeadline);
        output.WriteLine($"{At()} final read: {ends.Values.Sum()} offsets, high watermarks {string.Join(' ', ends.OrderBy(e => e.Key).Select(e => $"p{e.Key}:{e.Value}"))}");
    }

    private static async Task<TopicDescription?> TryDescribeAsync(IAdminClient admin, string topic)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await admin.DescribeTopicAsync(topic, timeout.Token);
        }
        catch (Exception e) when (e is Orlog.Client.KafkaException or OperationCanceledException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            return null;
        }
    }

    private void KeepLogs(string topic) =>
        output.WriteLine($"the brokers' logs are kept in {cluster.KeepLogs(topic)}");

    private T Settings<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = cluster.Bootstrap;
        config.OrleansClusterId = cluster.ClusterId;
        return config;
    }

    private string At() => $"[{_clock.Elapsed.TotalSeconds,6:F1} s]";
}
