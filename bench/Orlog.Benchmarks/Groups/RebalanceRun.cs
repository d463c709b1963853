using System.Diagnostics;
using Orlog.Client;
using Orlog.Grains;

namespace Orlog.Benchmarks.Groups;

/// <summary>One rebalance measurement: the time, and how many group epochs (generations) it took.</summary>
internal readonly record struct Rebalance(TimeSpan Elapsed, int Epochs);

/// <summary>
/// One run of one mode: <c>members</c> members form a group on the topic (not timed); then, <c>cycles</c> times,
/// a further member joins, timed from its first request to a stable assignment of them all, and the oldest member
/// (not a classic group's leader) leaves, timed from its leave request to a stable assignment of the rest. Before
/// each change the run waits half a heartbeat interval plus a random part of one, so that the change falls
/// anywhere in the members' heartbeat cycle. The members leave at the end.
/// </summary>
internal sealed class RebalanceRun(OrlogClient client, RebalanceMode mode, string topic, int partitions, int members, GroupSettings settings, Random random)
{
    private static readonly TimeSpan _formTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _stepTimeout = TimeSpan.FromSeconds(60);

    public async Task<(List<Rebalance> Joins, List<Rebalance> Leaves)> RunAsync(string groupId, int cycles)
    {
        var grains = client.GrainFactory ?? throw new InvalidOperationException("The client has no grain factory.");
        var group = grains.GetGrain<IConsumerGroupGrain>(groupId);
        var changed = new ChangeSignal();
        var classicTarget = mode is RebalanceMode.ClassicCooperative or RebalanceMode.ClassicEager ? new ClassicTarget() : null;
        var players = Enumerable.Range(0, members).Select(i => NewMember(group, groupId, i, changed, classicTarget)).ToList();
        var joins = new List<Rebalance>();
        var leaves = new List<Rebalance>();
        try
        {
            await Task.WhenAll(players.Select(p => p.PrepareAsync()));
            await Task.WhenAll(players.Select(p => p.JoinAsync()));
            var stable = await StableAssignment.WaitAsync(group, players, partitions, changed, classicTarget, _formTimeout);
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                await SettleAsync();
                var newcomer = NewMember(group, groupId, members + cycle, changed, classicTarget);
                await newcomer.PrepareAsync();
                players.Add(newcomer);
                var watch = Stopwatch.StartNew();
                var joining = newcomer.JoinAsync();
                var joined = await StableAssignment.WaitAsync(group, players, partitions, changed, classicTarget, _stepTimeout);
                joins.Add(new Rebalance(watch.Elapsed, joined.Epoch - stable.Epoch));
                await joining;

                await SettleAsync();
                var leaver = players.First(p => p is not ClassicMemberClient { IsLeader: true });
                await leaver.StopAsync();
                players.Remove(leaver);
                watch.Restart();
                var leaving = leaver.LeaveAsync();
                stable = await StableAssignment.WaitAsync(group, players, partitions, changed, classicTarget, _stepTimeout);
                leaves.Add(new Rebalance(watch.Elapsed, stable.Epoch - joined.Epoch));
                await leaving;
            }
            return (joins, leaves);
        }
        finally
        {
            await Task.WhenAll(players.Select(StopQuietlyAsync));
            await Task.WhenAll(players.Select(LeaveQuietlyAsync));
        }
    }

    private IPlayedMember NewMember(IConsumerGroupGrain group, string groupId, int index, ChangeSignal changed, ClassicTarget? classicTarget) => mode switch
    {
        RebalanceMode.ServerSide => new ServerSideMemberClient(group, client.GrainFactory!, topic, settings, changed, index),
        RebalanceMode.ClassicCooperative => new ClassicMemberClient(group, topic, partitions, cooperative: true, settings, classicTarget!, changed, index),
        RebalanceMode.ClassicEager => new ClassicMemberClient(group, topic, partitions, cooperative: false, settings, classicTarget!, changed, index),
        RebalanceMode.Sdk => new SdkMemberClient(client, groupId, topic, settings, changed, index),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"unknown (group {groupId})"),
    };

    private Task SettleAsync() => Task.Delay(settings.HeartbeatIntervalMs / 2 + random.Next(settings.HeartbeatIntervalMs));

    private static async Task StopQuietlyAsync(IPlayedMember member)
    {
        try
        {
            await member.StopAsync();
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"  (stopping a member: {error.Message})");
        }
    }

    private static async Task LeaveQuietlyAsync(IPlayedMember member)
    {
        if (member.MemberId.Length == 0 || member.Failure is not null)
        {
            return;
        }
        try
        {
            await member.LeaveAsync();
        }
        catch (InvalidOperationException)
        {
            // Evicted already (a failed run): nothing to clean up.
        }
    }
}
