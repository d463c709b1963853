using Microsoft.Extensions.Logging;

namespace Orlog.Grains.Controller;

/// <summary>The controller's side of replication: leaders' ISR proposals (AlterPartition) and controlled shutdowns.</summary>
public sealed partial class ControllerGrain
{
    // Brokers that asked for a controlled shutdown and have not registered since. Such a broker is neither
    // elected leader, nor added to an ISR, nor given new replicas; if it still leads (no other in-sync replica
    // could take over) it keeps leading while its silo is Active. Once Orleans' membership says its silo is
    // ShuttingDown, Stopping or Dead, it is not alive (BrokerSilos.AliveBrokers counts Active silos only) and
    // FollowBrokers treats it as dead: its leaders move and it leaves every ISR, as for a crash. So this set only
    // covers the window between the broker's request and its silo leaving Active; it is kept in memory, and a
    // new controller activation starts without it (a broker then stopping is seen dying through membership).
    // Registering again (the restarted broker) clears the mark.
    private readonly HashSet<int> _shuttingDown = [];

    private LiveBrokers LiveBrokers() => new(_silos.AliveBrokers(), _shuttingDown, _state.State.Brokers.Values.ToDictionary(b => b.Id, b => b.Epoch));

    public async Task<IReadOnlyList<AlterPartitionResult>> AlterPartition(int brokerId, IReadOnlyList<AlterPartitionItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var brokers = LiveBrokers();
        var restorePreferredLeader = _logs.Defaults.AutoLeaderRebalance;
        var decisions = new List<IsrDecision>(items.Count);
        foreach (var item in items)
        {
            decisions.Add(AlterPartitions.Decide(brokerId, item, Topics, brokers, restorePreferredLeader));
        }
        // Every accepted proposal of the call in one change: one write, one push. A failed write undoes them all.
        var failed = decisions.Any(d => d.Changed is not null) ? await CommitAsync() : null;
        var results = new List<AlterPartitionResult>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (item, decision) = (items[i], decisions[i]);
            if (decision is { Changed: { } changed, Before: { } before })
            {
                results.Add(failed is null
                    ? Accepted(item, changed, before)
                    : new AlterPartitionResult(item.Topic, item.Partition, failed.Error, failed.ErrorMessage, null));
            }
            else
            {
                results.Add(new AlterPartitionResult(item.Topic, item.Partition, decision.Error, decision.Message, decision.Current));
            }
        }
        return results;
    }

    private AlterPartitionResult Accepted(AlterPartitionItem item, PartitionRecord changed, PartitionMetadata before)
    {
        var now = changed.ToMetadata();
        LogIsrChanged(_logger, item.Topic, item.Partition, string.Join(',', before.Isr), string.Join(',', now.Isr), now.LeaderEpoch, now.PartitionEpoch);
        if (now.Leader != before.Leader)
        {
            LogLeaderChanged(_logger, item.Topic, item.Partition, before.Leader, now.Leader, now.LeaderEpoch, string.Join(',', now.Isr));
        }
        if (before.IsReassigning && !now.IsReassigning)
        {
            LogReassigned(_logger, item.Topic, item.Partition, string.Join(',', now.Replicas), now.Leader, now.LeaderEpoch, string.Join(',', now.Isr));
        }
        return new AlterPartitionResult(item.Topic, item.Partition, ErrorCode.None, null, now);
    }

    public async Task<ControlledShutdownResult> ControlledShutdown(int brokerId)
    {
        _shuttingDown.Add(brokerId);
        var brokers = LiveBrokers();
        var changes = new List<(string Topic, PartitionRecord Partition, PartitionMetadata Before)>();
        var (moved, left, remaining) = (0, 0, 0);
        foreach (var (name, topic) in Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                var before = partition.ToMetadata();
                switch (ControlledShutdowns.Leave(partition, brokerId, brokers))
                {
                    case ShutdownStep.StillLeads:
                        remaining++;
                        break;
                    case ShutdownStep.LeaderMoved:
                        moved++;
                        changes.Add((name, partition, before));
                        break;
                    case ShutdownStep.LeftIsr:
                        left++;
                        changes.Add((name, partition, before));
                        break;
                }
            }
        }
        // Asked again with nothing left to move: answered without a write.
        if (changes.Count == 0)
        {
            return new ControlledShutdownResult(ErrorCode.None, null, remaining);
        }
        if (await CommitAsync() is { } error)
        {
            return new ControlledShutdownResult(error.Error, error.ErrorMessage, remaining + moved);
        }
        foreach (var (name, partition, before) in changes)
        {
            if (partition.Leader != before.Leader)
            {
                LogLeaderChanged(_logger, name, partition.Partition, before.Leader, partition.Leader, partition.LeaderEpoch, string.Join(',', partition.Isr));
            }
            else
            {
                LogIsrChanged(_logger, name, partition.Partition, string.Join(',', before.Isr), string.Join(',', partition.Isr), partition.LeaderEpoch, partition.PartitionEpoch);
            }
        }
        LogControlledShutdown(_logger, brokerId, moved, left, remaining);
        return new ControlledShutdownResult(ErrorCode.None, null, remaining);
    }

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "{Topic}-{Partition}: ISR {OldIsr} -> {NewIsr} at leader epoch {LeaderEpoch}, partition epoch {PartitionEpoch}")]
    private static partial void LogIsrChanged(ILogger logger, string topic, int partition, string oldIsr, string newIsr, int leaderEpoch, int partitionEpoch);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Broker {BrokerId} is shutting down: {Moved} leaders moved, {Left} ISRs left, {Remaining} partitions it still leads")]
    private static partial void LogControlledShutdown(ILogger logger, int brokerId, int moved, int left, int remaining);
}
