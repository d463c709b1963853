using System.Diagnostics;
using System.Globalization;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.EndToEnd.Tests.Cluster;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>
/// Injects one fault at a time into the real processes of a local cluster, through deploy/local-cluster.sh, and
/// heals it as an operator or a supervisor would: inject, wait for the fault's effect (leaders moved, or the broker
/// declared dead), heal (restart, resume, heal the network), then wait until every broker runs and every partition
/// has all its replicas in sync again. Victims are chosen from the metadata of the moment: a fault that would touch
/// no partition fails the run instead of proving nothing.
/// </summary>
public sealed class Nemesis(LocalClusterFixture cluster, IAdminClient admin, string topic, string groupId, Stopwatch clock, ITestOutputHelper output)
{
    private static readonly TimeSpan _effectDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _recoverDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _callTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan _interval = TimeSpan.FromMilliseconds(250);

    public async Task<FaultRun> RunAsync(FaultKind kind)
    {
        var before = await Poll.UntilAsync("every partition led, all replicas in sync, before the fault", _recoverDeadline, _interval, InSyncAsync);
        var (victim, partitions) = await PickAsync(kind, before);
        var run = new FaultRun(kind, victim, partitions);
        var id = victim.ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"{At()} {DateTime.UtcNow:HH:mm:ss.fff} {kind} {(victim > 0 ? $"broker {id}, leader of partitions" : "PostgreSQL, under the writes of partitions")} {string.Join(',', partitions)}");
        run.Injected = clock.Elapsed;
        switch (kind)
        {
            case FaultKind.KillLeader or FaultKind.KillController or FaultKind.KillCoordinator:
                await ScriptAsync("kill", id);
                await LeadersMovedAsync(victim, partitions);
                run.Healed = clock.Elapsed;
                await ScriptAsync("restart", id);
                break;
            case FaultKind.GracefulRestart:
                await ScriptAsync("stop-broker", id);
                await LeadersMovedAsync(victim, partitions);
                run.Healed = clock.Elapsed;
                await ScriptAsync("restart", id);
                break;
            case FaultKind.PauseLeader:
                await ScriptAsync("pause", id);
                await DeclaredDeadAsync(victim);
                run.Healed = clock.Elapsed;
                await ScriptAsync("resume", id);
                await StoppedByItselfAsync(id, "resumed after it was declared dead");
                await ScriptAsync("restart", id);
                break;
            case FaultKind.PartitionLeader:
                await ScriptAsync("partition", id);
                await DeclaredDeadAsync(victim);
                run.Healed = clock.Elapsed;
                await ScriptAsync("heal", id);
                await StoppedByItselfAsync(id, "healed after it was declared dead");
                await ScriptAsync("restart", id);
                break;
            case FaultKind.DatabaseRestart:
                await ScriptAsync("db-restart");
                run.Healed = clock.Elapsed;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        await Poll.UntilAsync($"every broker running and every replica in sync after {kind}", _recoverDeadline, _interval, RecoveredAsync);
        run.Recovered = clock.Elapsed;
        output.WriteLine($"{At()} {kind}: healed {(run.Healed - run.Injected).TotalSeconds:F1} s after the injection, recovered {(run.Recovered - run.Injected).TotalSeconds:F1} s after it");
        return run;
    }

    // The broker leading the most partitions, the controller's or the group coordinator's broker; PostgreSQL touches every partition's writes.
    private async Task<(int Victim, IReadOnlyList<int> Partitions)> PickAsync(FaultKind kind, TopicDescription described)
    {
        int victim;
        switch (kind)
        {
            case FaultKind.DatabaseRestart:
                return (-1, [.. described.Partitions.Select(p => p.Partition)]);
            case FaultKind.KillController:
                var brokers = await admin.ListBrokersAsync();
                victim = brokers.Single(b => b.Controller).Id;
                break;
            case FaultKind.KillCoordinator:
                victim = (await admin.DescribeConsumerGroupAsync(groupId)).Coordinator!.Id;
                break;
            default:
                victim = described.Partitions.GroupBy(p => p.LeaderId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
                break;
        }
        var led = described.Partitions.Where(p => p.LeaderId == victim).Select(p => p.Partition).ToList();
        if (led.Count == 0)
        {
            Assert.Fail($"{kind}: broker {victim} leads no partition of {topic}, so the fault would prove nothing (leaders {Leaders(described)})");
        }
        return (victim, led);
    }

    private async Task LeadersMovedAsync(int victim, IReadOnlyList<int> partitions) =>
        await Poll.UntilAsync($"partitions {string.Join(',', partitions)} led by another broker than {victim}", _effectDeadline, _interval, async () =>
            await TryDescribeAsync() is { } d && partitions.All(p => d.Partitions[p].LeaderId >= 0 && d.Partitions[p].LeaderId != victim) ? d : null);

    // Orleans' membership declares the broker dead: the pause or the partition outlasted the death declaration.
    private async Task DeclaredDeadAsync(int victim) =>
        await Poll.UntilAsync($"broker {victim} declared dead", _effectDeadline, _interval, async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(_callTimeout);
                var brokers = await admin.ListBrokersAsync(timeout.Token);
                return brokers.FirstOrDefault(b => b.Id == victim) is { Status: "dead" } dead ? dead : null;
            }
            catch (Exception e) when (e is KafkaException or OperationCanceledException or TimeoutException)
            {
                return null;
            }
        });

    // A silo that learns it was declared dead stops itself (Orleans kills it); a supervisor then starts it again.
    private async Task StoppedByItselfAsync(string id, string why) =>
        await Poll.UntilAsync($"broker {id} stopped by itself, {why}", _effectDeadline, _interval, async () =>
            await cluster.StatusOfAsync(id) is { State: "stopped" } stopped ? stopped : null);

    private async Task<TopicDescription?> RecoveredAsync()
    {
        var status = await cluster.StatusAsync();
        if (status.Any(s => s.Id != "db" && s.State != "running"))
        {
            return null;
        }
        return await InSyncAsync();
    }

    private async Task<TopicDescription?> InSyncAsync() =>
        await TryDescribeAsync() is { } d && d.Partitions.All(p => p.LeaderId >= 0 && p.IsrIds.Count == p.ReplicaIds.Count) ? d : null;

    private async Task<TopicDescription?> TryDescribeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_callTimeout);
            return await admin.DescribeTopicAsync(topic, timeout.Token);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            return null;
        }
    }

    private async Task ScriptAsync(params string[] args)
    {
        var result = await cluster.RunAsync(args);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"{result}");
        }
    }

    public static string Leaders(TopicDescription described) =>
        string.Join(' ', described.Partitions.Select(p => $"p{p.Partition}:{p.LeaderId}[{string.Join(',', p.IsrIds)}]"));

    private string At() => $"[{clock.Elapsed.TotalSeconds,6:F1} s]";
}

/// <summary>One fault of a campaign: what was done to whom, and when it was injected, healed and recovered from.</summary>
public sealed class FaultRun(FaultKind kind, int victim, IReadOnlyList<int> partitions)
{
    public FaultKind Kind { get; } = kind;

    /// <summary>The broker id, or -1 for PostgreSQL.</summary>
    public int Victim { get; } = victim;

    /// <summary>The partitions whose writes the fault interrupts: those the victim led.</summary>
    public IReadOnlyList<int> Partitions { get; } = partitions;

    public TimeSpan Injected { get; set; }

    public TimeSpan Healed { get; set; }

    public TimeSpan Recovered { get; set; }
}
