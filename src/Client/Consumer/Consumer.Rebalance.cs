using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// The consuming thread's side of a rebalance, run inside Consume as Confluent.Kafka runs its handlers: partitions the
/// group took away are revoked (the handler, then the auto commit, then they are dropped) and only then reported as no
/// longer owned; lost partitions are dropped without committing; new partitions start and the assigned handler runs.
/// The group hands a partition on only after its old owner stopped reporting it, so no two members own one at a time.
/// </summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private bool _inHandler;

    /// <summary>Applies what the membership loop found (on the consuming thread, outside the lock).</summary>
    private void RunGroupEvents()
    {
        if (_inHandler)
        {
            // A handler that calls Consume: the events wait until it returns.
            return;
        }
        _groupEvents = false;
        List<PartitionState> lost = [];
        List<PartitionState> revoked = [];
        KafkaException? error;
        bool losing;
        lock (_lock)
        {
            error = _groupError;
            losing = _lostPending;
            if (losing)
            {
                lost.AddRange(_partitions.Values);
            }
            else if (_target is not null)
            {
                foreach (var state in _partitions.Values)
                {
                    if (!_target.Contains(state.TopicPartition))
                    {
                        revoked.Add(state);
                    }
                }
            }
        }
        Exception? handlerError = null;
        var changed = false;
        if (losing)
        {
            handlerError = LosePartitions(lost);
            changed = true;
        }
        else
        {
            if (revoked.Count > 0)
            {
                handlerError = RevokePartitions(revoked, _settings.EnableAutoCommit);
                changed = true;
            }
            var added = AddAssignedPartitions();
            if (added.Count > 0)
            {
                handlerError ??= CallHandler(_handlers.Assigned, added);
                changed = true;
            }
        }
        lock (_lock)
        {
            if (_pollExpired && !_lostPending)
            {
                // Consume is called again: join again.
                _pollExpired = false;
                changed = true;
            }
            if (error is not null && _groupError == error)
            {
                _groupError = null;
                changed = true;
            }
            if (changed)
            {
                _owned = OwnedForHeartbeat();
                _heartbeatNow = true;
            }
        }
        if (changed)
        {
            _heartbeatWake.Set();
            _fetchWake.Set();
        }
        if (error is not null)
        {
            throw error;
        }
        if (handlerError is not null)
        {
            ExceptionDispatchInfo.Throw(handlerError);
        }
    }

    /// <summary>Runs the revoked handler, commits the partitions' stored offsets when asked, then drops them.</summary>
    private Exception? RevokePartitions(List<PartitionState> revoked, bool commit)
    {
        LogRevoked(_logger, _settings.GroupId, revoked.Count);
        var handlerError = CallHandler(_handlers.Revoked, Positions(revoked));
        if (commit)
        {
            var partitions = revoked.ConvertAll(s => s.TopicPartition);
            try
            {
                Task.Run(() => CommitStoredAsync(partitions, changedOnly: true, CancellationToken.None)).GetAwaiter().GetResult();
            }
            catch (Exception error)
            {
                LogCommitFailed(_logger, _settings.GroupId, error.Message);
            }
        }
        lock (_lock)
        {
            Drop(revoked);
        }
        return handlerError;
    }

    /// <summary>Runs the lost handler (the revoked one without it) and drops the partitions, without committing.</summary>
    private Exception? LosePartitions(List<PartitionState> lost)
    {
        LogLost(_logger, _settings.GroupId, lost.Count);
        var handlerError = lost.Count > 0 ? CallHandler(_handlers.Lost ?? _handlers.Revoked, Positions(lost)) : null;
        lock (_lock)
        {
            Drop(lost);
            _lostPending = false;
        }
        return handlerError;
    }

    /// <summary>Starts the assigned partitions whose start is known: at the committed offset, else per auto.offset.reset.</summary>
    private List<TopicPartition> AddAssignedPartitions()
    {
        var added = new List<TopicPartition>();
        lock (_lock)
        {
            if (_target is null || _lostPending || _prefetched.Count == 0)
            {
                return added;
            }
            foreach (var (partition, start) in _prefetched)
            {
                if (!_target.Contains(partition) || _partitions.ContainsKey(partition))
                {
                    continue;
                }
                var state = new PartitionState(partition, start.Leader) { CommittedOffset = start.Committed };
                _partitions[partition] = state;
                Start(state, start.Committed >= 0 ? start.Committed : Offset.Unset);
                EnsureFetcher(start.Leader);
                added.Add(partition);
            }
            _prefetched.Clear();
        }
        if (added.Count > 0)
        {
            LogAssigned(_logger, _settings.GroupId, added.Count);
        }
        return added;
    }

    /// <summary>
    /// Gives up every partition before leaving (Unsubscribe, Close): revoked handler and auto commit, or the lost
    /// handler if the group already took them; the handler's exception is returned.
    /// </summary>
    private Exception? ReleaseAssignment()
    {
        List<PartitionState> owned;
        bool lost;
        lock (_lock)
        {
            owned = [.. _partitions.Values];
            lost = _lostPending;
        }
        var handlerError = lost ? LosePartitions(owned) : owned.Count > 0 ? RevokePartitions(owned, _settings.EnableAutoCommit) : null;
        lock (_lock)
        {
            _owned = [];
            _subscription = null;
            _subscriptionVersion++;
            _target = null;
            _prefetched.Clear();
            _pollExpired = false;
            _groupError = null;
        }
        return handlerError;
    }

    private Exception? CallHandler<T>(Action<IConsumer<TKey, TValue>, List<T>>? handler, List<T> partitions)
    {
        if (handler is null)
        {
            return null;
        }
        _inHandler = true;
        try
        {
            handler(this, partitions);
            return null;
        }
        catch (Exception error)
        {
            LogHandlerFailed(_logger, _settings.GroupId, error);
            return error;
        }
        finally
        {
            _inHandler = false;
        }
    }

    /// <summary>Stops fetching and returning records of these partitions (under the lock).</summary>
    private void Drop(List<PartitionState> states)
    {
        foreach (var state in states)
        {
            if (_partitions.TryGetValue(state.TopicPartition, out var current) && current == state)
            {
                state.Assigned = false;
                _partitions.Remove(state.TopicPartition);
            }
        }
    }

    private List<Grains.TopicPartition> OwnedForHeartbeat()
    {
        var owned = new List<Grains.TopicPartition>(_partitions.Count);
        foreach (var partition in _partitions.Keys)
        {
            owned.Add(new Grains.TopicPartition(partition.Topic, partition.Partition));
        }
        return owned;
    }

    private static List<TopicPartitionOffset> Positions(List<PartitionState> states) =>
        states.ConvertAll(s => new TopicPartitionOffset(s.TopicPartition, s.ConsumePosition >= 0 ? s.ConsumePosition : Offset.Unset));

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Group {GroupId} assigned {Count} partitions to this consumer")]
    private static partial void LogAssigned(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Group {GroupId} revoked {Count} partitions of this consumer")]
    private static partial void LogRevoked(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "This consumer lost its {Count} partitions of group {GroupId}")]
    private static partial void LogLost(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Error, Message = "A rebalance handler of group {GroupId} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string? groupId, Exception error);
}
