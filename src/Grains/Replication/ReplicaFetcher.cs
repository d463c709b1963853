using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orlog.Grains.Hosting;
using Orlog.Grains.Partitions;

namespace Orlog.Grains.Replication;

/// <summary>
/// Copies, for this broker, every partition it follows whose leader is one other broker (Kafka's replica
/// fetcher thread): one loop with one request in flight, covering all those partitions at once. Partitions
/// that have just become followers first ask the leader where their last epoch ended and truncate
/// (OffsetsForLeaderEpoch); the others fetch from their log end. The leader holds the request until it has
/// something new (replica.fetch.wait.max.ms); the next request, sent as soon as the answer is appended, tells
/// the leader how far this broker got, which is what advances its high watermark.
/// </summary>
public sealed partial class ReplicaFetcher
{
    // How long a call may take beyond the leader's wait before this side gives up on it.
    private static readonly TimeSpan _callSlack = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly int _brokerId;
    private readonly Func<long> _brokerEpoch;
    private readonly IGrainFactory _grains;
    private readonly int _maxWaitMs;
    private readonly int _maxBytes;
    private readonly Func<Task> _catchUp;
    private readonly ILogger _logger;
    private readonly CancellationToken _stop;
    private TaskCompletionSource _added = NewSignal();

    public ReplicaFetcher(int brokerId, Func<long> brokerEpoch, int leaderId, IGrainFactory grains, BrokerDefaults settings, Func<Task> catchUp, ILogger<ReplicaFetcher> logger,
        CancellationToken stop)
    {
        _brokerId = brokerId;
        _brokerEpoch = brokerEpoch;
        LeaderId = leaderId;
        _grains = grains;
        _maxWaitMs = settings.ReplicaFetchWaitMaxMs;
        _maxBytes = settings.ReplicaFetchMaxBytes;
        _catchUp = catchUp;
        _logger = logger;
        _stop = stop;
        Completion = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>The broker copied from.</summary>
    public int LeaderId { get; }

    public Task Completion { get; }

    public void Add(Partition partition)
    {
        _partitions[partition.Id] = partition;
        // Also wakes the loop for a partition that is already here but changed epoch and must truncate.
        Interlocked.Exchange(ref _added, NewSignal()).TrySetResult();
    }

    public void Remove(TopicPartition partition) => _partitions.TryRemove(partition, out _);

    private async Task RunAsync()
    {
        var backoff = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var leader = _grains.GetGrain<IBrokerGrain>(LeaderId);
                var waiting = Volatile.Read(ref _added).Task;
                await TruncateAsync(leader).ConfigureAwait(false);
                var progressed = await FetchAsync(leader).ConfigureAwait(false);
                backoff = TimeSpan.Zero;
                if (!progressed)
                {
                    // Nothing to fetch (every partition truncating or gone), or only errors: wait for a change or a little while.
                    await Task.WhenAny(waiting, Task.Delay(100, _stop)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The leader's silo is down or unreachable, or the call timed out: the metadata will say who leads next.
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
                LogFetchFailed(_logger, LeaderId, _partitions.Count, error.Message);
                _ = _catchUp();
                try
                {
                    await Task.Delay(backoff, _stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task TruncateAsync(IBrokerGrain leader)
    {
        for (var round = 0; round < 8; round++)
        {
            List<(Partition Partition, int LeaderEpoch)>? asking = null;
            List<EpochEndOffsetRequest>? requests = null;
            foreach (var partition in _partitions.Values)
            {
                if (partition.EpochToTruncateBy() is { } epoch)
                {
                    var leaderEpoch = partition.LeaderEpoch;
                    (asking ??= []).Add((partition, leaderEpoch));
                    (requests ??= []).Add(new EpochEndOffsetRequest(partition.Id.Topic, partition.Id.Partition, partition.TopicId, leaderEpoch, epoch));
                }
            }
            if (asking is null || requests is null)
            {
                return;
            }
            var answers = await leader.OffsetsForLeaderEpoch(requests).WaitAsync(_callSlack, _stop).ConfigureAwait(false);
            var errors = false;
            for (var i = 0; i < asking.Count && i < answers.Count; i++)
            {
                var (partition, leaderEpoch) = asking[i];
                if (answers[i].Error != ErrorCode.None)
                {
                    errors = true;
                    continue;
                }
                var before = partition.Log.LogEndOffset;
                if (partition.ApplyEpochEndOffset(leaderEpoch, answers[i]) && partition.Log.LogEndOffset < before)
                {
                    LogTruncated(_logger, partition.Id.ToString(), before, partition.Log.LogEndOffset, LeaderId, leaderEpoch);
                }
            }
            if (errors)
            {
                // The leader does not lead at that epoch yet (or any more): the metadata catches up, the next turn asks again.
                _ = _catchUp();
                return;
            }
        }
    }

    private async Task<bool> FetchAsync(IBrokerGrain leader)
    {
        var fetching = new List<(Partition Partition, int LeaderEpoch, long Offset)>(_partitions.Count);
        var items = new List<ReplicaFetchPartition>(_partitions.Count);
        foreach (var partition in _partitions.Values)
        {
            if (partition.IsFollowing(out var leaderEpoch, out var offset))
            {
                fetching.Add((partition, leaderEpoch, offset));
                items.Add(new ReplicaFetchPartition(partition.Id.Topic, partition.Id.Partition, partition.TopicId, leaderEpoch, offset, _maxBytes));
            }
        }
        if (items.Count == 0)
        {
            return false;
        }
        var request = new ReplicaFetchRequest(_brokerId, _maxWaitMs, _maxBytes, items, _brokerEpoch());
        var response = await leader.ReplicaFetch(request).WaitAsync(TimeSpan.FromMilliseconds(_maxWaitMs) + _callSlack, _stop).ConfigureAwait(false);
        var ok = false;
        var stale = false;
        for (var i = 0; i < fetching.Count && i < response.Results.Count; i++)
        {
            var (partition, leaderEpoch, offset) = fetching[i];
            var result = response.Results[i];
            if (result.Error is ErrorCode.None or ErrorCode.OffsetOutOfRange)
            {
                try
                {
                    partition.AppendFromLeader(leaderEpoch, offset, result);
                    if (partition.Log.Config.FlushesEveryAppend && result.Records.Length > 0)
                    {
                        partition.Log.Flush();
                    }
                    ok |= result.Error == ErrorCode.None;
                }
                catch (Exception error) when (error is KafkaException or ObjectDisposedException or IOException)
                {
                    LogAppendFailed(_logger, partition.Id.ToString(), LeaderId, error.Message);
                }
            }
            else
            {
                stale = true;
            }
        }
        if (stale)
        {
            _ = _catchUp();
        }
        return ok;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Replica {Partition} truncated from {Before} to {After} by leader epoch, following broker {Leader} at epoch {LeaderEpoch}")]
    private static partial void LogTruncated(ILogger logger, string partition, long before, long after, int leader, int leaderEpoch);

    [LoggerMessage(EventId = 721, Level = LogLevel.Debug, Message = "Fetching from broker {Leader} for {Count} partitions failed ({Reason}); retrying")]
    private static partial void LogFetchFailed(ILogger logger, int leader, int count, string reason);

    [LoggerMessage(EventId = 722, Level = LogLevel.Error, Message = "Replica {Partition} could not append what broker {Leader} sent ({Reason})")]
    private static partial void LogAppendFailed(ILogger logger, string partition, int leader, string reason);
}
