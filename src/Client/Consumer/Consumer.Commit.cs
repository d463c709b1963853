using Microsoft.Extensions.Logging;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// Offsets: stored per partition (StoreOffset, or Consume with enable.auto.offset.store), committed to the group
/// (Commit, or in the background with enable.auto.commit), and read back (Committed). Commits go out one at a time,
/// each reading the stored offsets when its turn comes, so a later commit never carries an older offset.
/// </summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private readonly SemaphoreSlim _commitGate = new(1, 1);

    public void StoreOffset(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        StoreOffset(new TopicPartitionOffset(result.Topic, result.Partition, result.Offset.Value + 1));
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ThrowIfSpecial(offset);
        lock (_lock)
        {
            Assigned(offset.TopicPartition).StoredOffset = offset.Offset.Value;
        }
    }

    public IReadOnlyList<TopicPartitionOffset> Commit() => Task.Run(() => CommitAsync()).GetAwaiter().GetResult();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => Task.Run(() => CommitAsync(offsets)).GetAwaiter().GetResult();

    public void Commit(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Commit([new TopicPartitionOffset(result.Topic, result.Partition, result.Offset.Value + 1)]);
    }

    public Task<IReadOnlyList<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default) =>
        CommitStoredAsync(null, changedOnly: false, cancellationToken);

    public async Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var list = offsets.ToList();
        foreach (var offset in list)
        {
            ArgumentNullException.ThrowIfNull(offset, nameof(offsets));
            ThrowIfSpecial(offset);
        }
        RequireGroup();
        if (list.Count == 0)
        {
            return;
        }
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendCommitAsync(list, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                foreach (var offset in list)
                {
                    if (_partitions.TryGetValue(offset.TopicPartition, out var state))
                    {
                        state.CommittedOffset = offset.Offset.Value;
                    }
                }
            }
        }
        finally
        {
            _commitGate.Release();
        }
    }

    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        RequireGroup();
        var asked = partitions.ToList();
        try
        {
            return Task.Run(() => FetchCommittedAsync(asked, CancellationToken.None)).WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"The committed offsets of group '{_settings.GroupId}' did not arrive within {timeout.TotalMilliseconds:0} ms.", error);
        }
    }

    /// <summary>
    /// Commits the stored offsets of the partitions this consumer has (of <paramref name="only"/> when given; with
    /// <paramref name="changedOnly"/> those not committed yet).
    /// </summary>
    private async Task<IReadOnlyList<TopicPartitionOffset>> CommitStoredAsync(IReadOnlyCollection<TopicPartition>? only, bool changedOnly, CancellationToken cancellationToken)
    {
        RequireGroup();
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var states = new List<PartitionState>();
            var offsets = new List<TopicPartitionOffset>();
            lock (_lock)
            {
                foreach (var state in _partitions.Values)
                {
                    if (state.StoredOffset < 0 || (changedOnly && state.StoredOffset == state.CommittedOffset) || (only is not null && !only.Contains(state.TopicPartition)))
                    {
                        continue;
                    }
                    states.Add(state);
                    offsets.Add(new TopicPartitionOffset(state.TopicPartition, state.StoredOffset));
                }
            }
            if (offsets.Count == 0)
            {
                return [];
            }
            await SendCommitAsync(offsets, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                for (var i = 0; i < states.Count; i++)
                {
                    states[i].CommittedOffset = offsets[i].Offset.Value;
                }
            }
            return offsets;
        }
        finally
        {
            _commitGate.Release();
        }
    }

    /// <summary>
    /// Sends a commit as this member (its id and epoch), or, without a subscription, as an admin commit (an empty member
    /// id and -1), which the group takes only while it has no members. STALE_MEMBER_EPOCH is retried once after the next heartbeat.
    /// </summary>
    private async Task SendCommitAsync(List<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        var request = offsets.ConvertAll(o => new OffsetToCommit(o.Topic, o.Partition, o.Offset.Value, -1, null));
        for (var attempt = 0; ; attempt++)
        {
            string memberId;
            int epoch;
            string? instanceId;
            bool member;
            lock (_lock)
            {
                member = _subscription is not null;
                memberId = member ? _memberId : "";
                epoch = member ? _memberEpoch : -1;
                instanceId = member ? _settings.GroupInstanceId : null;
            }
            var results = await GroupCall(_group!.CommitOffsets(new OffsetCommitRequest(memberId, epoch, instanceId, request)), cancellationToken).ConfigureAwait(false);
            var failed = results.Where(r => r.Error != ErrorCode.None).ToList();
            if (failed.Count == 0)
            {
                return;
            }
            if (attempt == 0 && member && failed.Exists(r => r.Error == ErrorCode.StaleMemberEpoch))
            {
                await WaitForNextHeartbeatAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var first = failed[0];
            var partitions = string.Join(", ", failed.Select(f => $"{f.Topic} [{f.Partition}] ({f.Error.KafkaName()})"));
            throw new KafkaException(first.Error, $"Group '{_settings.GroupId}' refused the commit of {partitions}. {first.ErrorMessage}".TrimEnd());
        }
    }

    private async Task<IReadOnlyList<TopicPartitionOffset>> FetchCommittedAsync(List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var response = await GroupCall(_group!.FetchOffsets(new OffsetFetchRequest(null, -1, ToGrains(partitions))), cancellationToken).ConfigureAwait(false);
        if (response.Error != ErrorCode.None)
        {
            throw new KafkaException(response.Error, response.ErrorMessage ?? $"Reading the committed offsets of group '{_settings.GroupId}' failed.");
        }
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var committed = CommittedOffsetOf(response, partition);
            result.Add(new TopicPartitionOffset(partition, committed >= 0 ? committed : Offset.Unset));
        }
        return result;
    }

    /// <summary>A background commit of the stored offsets that changed (enable.auto.commit); failures are logged.</summary>
    private async Task AutoCommitAsync()
    {
        lock (_lock)
        {
            if (_subscription is not null && _memberEpoch == 0)
            {
                // Not in the group (yet or any more): the group would refuse it.
                return;
            }
        }
        try
        {
            await CommitStoredAsync(null, changedOnly: true, _membershipStop.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (!_membershipStop.IsCancellationRequested)
        {
            LogCommitFailed(_logger, _settings.GroupId, error.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<T> GroupCall<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"Group '{_settings.GroupId}' did not answer within request.timeout.ms ({_settings.RequestTimeoutMs}).", error);
        }
        catch (OrleansException error)
        {
            throw new KafkaException(ErrorCode.NetworkException, $"The request to group '{_settings.GroupId}' failed: {error.Message}", error);
        }
    }

    private void RequireGroup()
    {
        if (_group is null)
        {
            throw new KafkaException(ErrorCode.InvalidGroupId, "Committing and reading committed offsets need a consumer group: set group.id.");
        }
    }

    private static void ThrowIfSpecial(TopicPartitionOffset offset)
    {
        if (offset.Offset.IsSpecial)
        {
            throw new ArgumentException($"{offset} is not an offset to commit: give the next offset to read (a number from 0).", nameof(offset));
        }
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Warning, Message = "Committing offsets to group {GroupId} failed: {Error}")]
    private static partial void LogCommitFailed(ILogger logger, string? groupId, string error);
}
