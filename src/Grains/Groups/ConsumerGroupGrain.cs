using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Groups.Consumer;
using Orlog.Grains.Hosting;
using Orlog.Grains.Logs;

namespace Orlog.Grains.Groups;

/// <summary>
/// A consumer group's coordinator: thin over the two membership state machines
/// (<see cref="ConsumerGroupMembership"/>, <see cref="ClassicGroupMembership"/>) and the committed offsets.
/// Reentrant, so classic joins and syncs can wait for the rest of the group; the state machines are
/// synchronous, so each call sees and leaves them consistent. A timer drives session expiry and watches the
/// silo's metadata cache while the group has members.
/// </summary>
[Reentrant]
public sealed partial class ConsumerGroupGrain : Grain, IConsumerGroupGrain
{
    private const int MaxMetadataLength = 4096;
    private static readonly TimeSpan _tickPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _metadataPeriod = TimeSpan.FromMilliseconds(200);

    private readonly IPersistentState<GroupState> _state;
    private readonly MetadataCache _metadata;
    private readonly int _brokerId;
    private readonly GroupConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsumerGroupGrain> _logger;
    private ConsumerGroupMembership? _consumer;
    private ClassicGroupMembership? _classic;
    private IGrainTimer? _timer;
    private long _metadataVersion = long.MinValue;
    private long _metadataCheckedMs = long.MinValue;
    private IReadOnlyDictionary<string, int> _partitionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
    private Task _lastWrite = Task.CompletedTask;

    // Server-side members' observers (sent with their heartbeats), and those told of news since their last heartbeat.
    private readonly Dictionary<string, IGroupMemberObserver> _observers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private Task? _queuedWrite;

    public ConsumerGroupGrain([PersistentState("group")] IPersistentState<GroupState> state, LogManager logs, MetadataCache metadata, GroupClock clock,
        Metrics.BrokerMetrics metrics, ILogger<ConsumerGroupGrain> logger)
    {
        _state = state;
        _metrics = metrics;
        _metadata = metadata;
        _brokerId = logs.BrokerId;
        _config = logs.Defaults.Groups;
        _time = clock.Time;
        _logger = logger;
    }

    private readonly Metrics.BrokerMetrics _metrics;

    // The last epoch counted as a rebalance by this activation (-1: none yet; a group's first join counts, a reactivation's first look does not).
    private int _epochCounted = -1;

    private string GroupId => this.GetPrimaryKeyString();

    private IGroupMembership? Membership => _consumer is { IsEmpty: false } ? _consumer : _classic is { IsEmpty: false } ? _classic : null;

    private long NowMs => (long)_time.GetElapsedTime(0).TotalMilliseconds;

    public async Task<GroupHeartbeatResponse> Heartbeat(GroupHeartbeatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckGroupId();
        if (_classic is { IsEmpty: false })
        {
            return new GroupHeartbeatResponse(ErrorCode.InconsistentGroupProtocol,
                $"Group '{GroupId}' has members of Kafka's classic protocol; a group speaks one protocol at a time.", request.MemberId, request.MemberEpoch, 0, null);
        }
        if (request.MemberEpoch == 0)
        {
            await RefreshMetadataAsync(force: false);
        }
        _consumer ??= NewConsumerMembership();
        var wasEmpty = _consumer.IsEmpty;
        var response = _consumer.Heartbeat(request, NowMs);
        Heard(request, response);
        await AfterMembershipChangeAsync(wasEmpty, _consumer);
        // Written behind the answer, one write at a time, so that no heartbeat waits for the storage: a
        // coordinator that dies within that write's time loses the change, and its members rejoin as before.
        _ = SaveMembersAsync();
        return response;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A graceful stop or move takes the members' last changes with it.
        await _lastWrite.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.State.Members is { Members.Count: > 0 } snapshot && _state.State.Dialect == GroupDialects.Consumer)
        {
            // The coordinator moved (its silo stopped or died): it carries on with the members it had.
            await RefreshMetadataAsync(force: false);
            _consumer = ConsumerGroupMembership.Restore(GroupId, _config, snapshot, _partitionCounts, NowMs);
            EnsureTimer();
            LogRestored(_logger, GroupId, snapshot.Members.Count, snapshot.Epoch);
        }
    }

    /// <summary>
    /// Writes the server-side group's members and target assignment when they changed (the snapshot is a new
    /// object each time, never changed after, so a write in flight reads a consistent one). A stale
    /// activation's write fails on the ETag: it steps down, and the next call finds the group where it was
    /// written last. Any other failure is retried with the next change.
    /// </summary>
    private async Task SaveMembersAsync()
    {
        if (_consumer is not { } consumer)
        {
            return;
        }
        var snapshot = consumer.IsEmpty ? null : consumer.Snapshot();
        if (ConsumerGroupMembership.SameSnapshot(snapshot, _state.State.Members))
        {
            return;
        }
        _state.State.Members = snapshot;
        _state.State.Epoch = Math.Max(_state.State.Epoch, consumer.Epoch);
        try
        {
            await PersistAsync();
        }
        catch (Orleans.Storage.InconsistentStateException error)
        {
            LogStale(_logger, GroupId, error.Message);
            DeactivateOnIdle();
        }
#pragma warning disable CA1031 // Any storage failure: the coordinator keeps its state in memory and writes again at the next change.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _state.State.Members = null;
            LogWriteFailed(_logger, GroupId, error);
        }
    }

    public async Task<JoinGroupResponse> JoinGroup(JoinGroupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckGroupId();
        if (_consumer is { IsEmpty: false })
        {
            return new JoinGroupResponse(ErrorCode.InconsistentGroupProtocol,
                $"Group '{GroupId}' has members of the server-side (consumer) protocol; a group speaks one protocol at a time.",
                -1, null, null, "", false, request.MemberId, []);
        }
        await RefreshMetadataAsync(force: false);
        if (_classic is null)
        {
            _classic = new ClassicGroupMembership(GroupId, _config);
            _classic.OnMetadata(_partitionCounts, NowMs);
        }
        var wasEmpty = _classic.IsEmpty;
        var joined = _classic.Join(request, NowMs);
        await AfterMembershipChangeAsync(wasEmpty, _classic);
        var response = await joined;
        if (response.Error == ErrorCode.None && response.GenerationId > _state.State.Epoch)
        {
            _state.State.Epoch = response.GenerationId;
        }
        return response;
    }

    public async Task<SyncGroupResponse> SyncGroup(SyncGroupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_classic is null)
        {
            return new SyncGroupResponse(ErrorCode.UnknownMemberId, $"Member '{request.MemberId}' is not in group '{GroupId}'.", null, null, []);
        }
        return await _classic.Sync(request, NowMs);
    }

    public async Task<ErrorCode> ClassicHeartbeat(string memberId, int generationId, string? groupInstanceId)
    {
        if (_classic is null)
        {
            return ErrorCode.UnknownMemberId;
        }
        var wasEmpty = _classic.IsEmpty;
        var error = _classic.Heartbeat(memberId, generationId, groupInstanceId, NowMs);
        await AfterMembershipChangeAsync(wasEmpty, _classic);
        return error;
    }

    public async Task<IReadOnlyList<LeaveGroupResult>> LeaveGroup(IReadOnlyList<LeavingMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (_classic is null)
        {
            return [.. members.Select(m => new LeaveGroupResult(m.MemberId, m.GroupInstanceId, ErrorCode.UnknownMemberId))];
        }
        var wasEmpty = _classic.IsEmpty;
        var results = _classic.Leave(members, NowMs);
        await AfterMembershipChangeAsync(wasEmpty, _classic);
        return results;
    }

    public async Task<IReadOnlyList<OffsetCommitResult>> CommitOffsets(OffsetCommitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckGroupId();
        var fencing = CheckCommitter(request);
        var results = new List<OffsetCommitResult>(request.Offsets.Count);
        if (fencing is { } refused)
        {
            foreach (var offset in request.Offsets)
            {
                results.Add(new OffsetCommitResult(offset.Topic, offset.Partition, refused.Code, refused.Message));
            }
            return results;
        }
        if (request.Offsets.Any(o => !_partitionCounts.TryGetValue(o.Topic, out var count) || o.Partition >= count))
        {
            await RefreshMetadataAsync(force: true);
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var committed = 0;
        foreach (var offset in request.Offsets)
        {
            var error = CheckOffset(offset);
            if (error is { } bad)
            {
                results.Add(new OffsetCommitResult(offset.Topic, offset.Partition, bad.Code, bad.Message));
                continue;
            }
            if (!_state.State.Offsets.TryGetValue(offset.Topic, out var partitions))
            {
                _state.State.Offsets[offset.Topic] = partitions = [];
            }
            partitions[offset.Partition] = new OffsetRecord { Offset = offset.Offset, LeaderEpoch = offset.LeaderEpoch, Metadata = offset.Metadata, CommitTimestamp = now };
            results.Add(new OffsetCommitResult(offset.Topic, offset.Partition, ErrorCode.None, null));
            committed++;
        }
        if (committed > 0)
        {
            await MarkExistsAsync();
            await PersistAsync();
        }
        return results;
    }

    public Task<OffsetFetchResponse> FetchOffsets(OffsetFetchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.MemberId))
        {
            var error = Membership?.ValidateFetch(request.MemberId, request.MemberEpoch) ?? ErrorCode.UnknownMemberId;
            if (error != ErrorCode.None)
            {
                return Task.FromResult(new OffsetFetchResponse(error, $"Member '{request.MemberId}' at epoch {request.MemberEpoch} may not fetch the offsets of group '{GroupId}': {error.KafkaName()}.", []));
            }
        }
        var offsets = new List<CommittedOffset>();
        if (request.Partitions is null)
        {
            offsets.AddRange(AllOffsets());
        }
        else
        {
            foreach (var partition in request.Partitions)
            {
                offsets.Add(_state.State.Offsets.TryGetValue(partition.Topic, out var partitions) && partitions.TryGetValue(partition.Partition, out var record)
                    ? ToCommitted(partition.Topic, partition.Partition, record)
                    : new CommittedOffset(partition.Topic, partition.Partition, -1, -1, null, -1));
            }
        }
        return Task.FromResult(new OffsetFetchResponse(ErrorCode.None, null, offsets));
    }

    public Task<GroupDescription> Describe()
    {
        var membership = Membership;
        var state = membership?.State ?? (_state.State.Exists ? GroupStates.Empty : GroupStates.Dead);
        var dialect = membership?.Dialect ?? _state.State.Dialect;
        var protocolType = membership?.ProtocolType ?? (_state.State.Exists ? GroupProtocolTypes.Consumer : "");
        return Task.FromResult(new GroupDescription(
            GroupId,
            state,
            dialect,
            protocolType,
            membership?.ProtocolName ?? "",
            membership?.Epoch ?? _state.State.Epoch,
            membership?.DescribeMembers() ?? [],
            AllOffsets(),
            _brokerId));
    }

    public async Task<ErrorCode> Delete()
    {
        if (Membership is not null)
        {
            return ErrorCode.NonEmptyGroup;
        }
        if (!_state.State.Exists)
        {
            return ErrorCode.GroupIdNotFound;
        }
        await RemoveGroupAsync();
        LogDeleted(_logger, GroupId);
        return ErrorCode.None;
    }

    public async Task ExpireOffsets()
    {
        if (Membership is not null || !_state.State.Exists)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var retentionMs = _config.OffsetsRetentionMinutes * 60_000L;
        var expired = 0;
        foreach (var (topic, partitions) in _state.State.Offsets.ToList())
        {
            foreach (var (partition, record) in partitions.ToList())
            {
                if (now - Math.Max(_state.State.EmptySinceMs, record.CommitTimestamp) >= retentionMs)
                {
                    partitions.Remove(partition);
                    expired++;
                }
            }
            if (partitions.Count == 0)
            {
                _state.State.Offsets.Remove(topic);
            }
        }
        if (expired == 0)
        {
            return;
        }
        LogExpired(_logger, GroupId, expired);
        if (_state.State.Offsets.Count == 0)
        {
            await RemoveGroupAsync();
        }
        else
        {
            await PersistAsync();
        }
    }

    private ConsumerGroupMembership NewConsumerMembership()
    {
        var membership = new ConsumerGroupMembership(GroupId, _config, _state.State.Epoch);
        membership.OnMetadata(_partitionCounts, NowMs);
        return membership;
    }

    /// <summary>Records the group as existing, starts or stops the timer, and notes when it became empty.</summary>
    private async Task AfterMembershipChangeAsync(bool wasEmpty, IGroupMembership membership)
    {
        if (membership.Epoch > _epochCounted)
        {
            if (_epochCounted >= 0 || wasEmpty)
            {
                _metrics.Rebalanced(GroupId);
            }
            _epochCounted = membership.Epoch;
        }
        if (wasEmpty && !membership.IsEmpty)
        {
            if (membership == _consumer)
            {
                _classic = null;
            }
            else
            {
                _consumer = null;
            }
            _state.State.Dialect = membership.Dialect;
            EnsureTimer();
            await MarkExistsAsync();
        }
        else if (!wasEmpty && membership.IsEmpty)
        {
            await BecameEmptyAsync(membership);
        }
        else if (membership.Epoch > _state.State.Epoch + 100)
        {
            // Epochs are persisted now and then, so a restarted group never hands out an epoch twice.
            _state.State.Epoch = membership.Epoch;
            await PersistAsync();
        }
    }

    private async Task BecameEmptyAsync(IGroupMembership membership)
    {
        _state.State.Members = null;
        _state.State.Epoch = Math.Max(_state.State.Epoch, membership.Epoch);
        _state.State.EmptySinceMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _timer?.Dispose();
        _timer = null;
        await PersistAsync();
    }

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(_tickPeriod, _tickPeriod) { Interleave = true, KeepAlive = true });

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (Membership is not { } membership)
        {
            return;
        }
        var now = NowMs;
        var version = _metadataVersion;
        if (now - _metadataCheckedMs >= _metadataPeriod.TotalMilliseconds)
        {
            await RefreshMetadataAsync(force: false);
        }
        var evicted = membership.Tick(NowMs);
        if (evicted && membership.IsEmpty)
        {
            await BecameEmptyAsync(membership);
            return;
        }
        if (evicted || version != _metadataVersion)
        {
            // Evictions and metadata changes move the target assignment: written as a heartbeat's changes are.
            TellMembersWithNews(except: null);
            await SaveMembersAsync();
        }
    }

    /// <summary>Keeps the member's observer and tells the others whose next heartbeat has news (what this one gave up, say).</summary>
    private void Heard(GroupHeartbeatRequest request, GroupHeartbeatResponse response)
    {
        _told.Remove(response.MemberId);
        if (response.MemberEpoch < 0 || response.Error != ErrorCode.None)
        {
            _observers.Remove(response.MemberId);
        }
        else if (request.Observer is { } observer)
        {
            _observers[response.MemberId] = observer;
        }
        TellMembersWithNews(except: response.MemberId);
    }

    /// <summary>
    /// Calls the observer of every member whose next heartbeat would bring a change, once until it heartbeats, so a
    /// hand-over takes a few calls rather than a heartbeat interval per step. A lost call costs one interval.
    /// </summary>
    private void TellMembersWithNews(string? except)
    {
        if (_consumer is null || _observers.Count == 0)
        {
            return;
        }
        foreach (var memberId in _consumer.MembersWithNews())
        {
            if (memberId != except && _observers.TryGetValue(memberId, out var observer) && _told.Add(memberId))
            {
                try
                {
                    observer.AssignmentChanged(GroupId);
                }
#pragma warning disable CA1031 // A member that cannot be called hears it at its next heartbeat.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    LogTellFailed(_logger, GroupId, memberId, error.Message);
                }
            }
        }
        if (_observers.Count > _consumer.MemberCount)
        {
            foreach (var gone in _observers.Keys.Where(id => !_consumer.HasMember(id)).ToList())
            {
                _observers.Remove(gone);
                _told.Remove(gone);
            }
        }
    }

    /// <summary>
    /// Reads the topics from the silo's metadata cache when its version moved (force: catch up with the
    /// controller first, for a commit naming a partition the cache does not know), and tells the membership.
    /// </summary>
    private async Task RefreshMetadataAsync(bool force)
    {
        _metadataCheckedMs = NowMs;
        if (force)
        {
            await _metadata.CatchUpAsync();
        }
        var metadata = _metadata.Current;
        if (metadata.Version == _metadataVersion)
        {
            return;
        }
        var counts = new Dictionary<string, int>(metadata.Topics.Count, StringComparer.Ordinal);
        foreach (var (name, topic) in metadata.Topics)
        {
            counts[name] = topic.Partitions.Count;
        }
        _metadataVersion = metadata.Version;
        _partitionCounts = counts;
        // Empty memberships learn the topics too, so that they compare against what members saw when they joined.
        _consumer?.OnMetadata(counts, NowMs);
        _classic?.OnMetadata(counts, NowMs);
    }

    private (ErrorCode Code, string Message)? CheckCommitter(OffsetCommitRequest request)
    {
        var membership = Membership;
        if (string.IsNullOrEmpty(request.MemberId))
        {
            if (request.GenerationIdOrMemberEpoch >= 0)
            {
                return (ErrorCode.UnknownMemberId, $"A commit at generation {request.GenerationIdOrMemberEpoch} needs a member id.");
            }
            return membership is null
                ? null
                : (ErrorCode.UnknownMemberId, $"Group '{GroupId}' has members: offsets can be set without a member id only while the group is empty.");
        }
        var error = membership?.ValidateCommit(request.MemberId, request.GenerationIdOrMemberEpoch, request.GroupInstanceId) ?? ErrorCode.UnknownMemberId;
        return error == ErrorCode.None
            ? null
            : (error, $"Member '{request.MemberId}' at epoch/generation {request.GenerationIdOrMemberEpoch} may not commit to group '{GroupId}': {error.KafkaName()}.");
    }

    private (ErrorCode Code, string Message)? CheckOffset(OffsetToCommit offset)
    {
        if (!_partitionCounts.TryGetValue(offset.Topic, out var count) || offset.Partition < 0 || offset.Partition >= count)
        {
            return (ErrorCode.UnknownTopicOrPartition, $"{offset.Topic}-{offset.Partition} does not exist.");
        }
        if (offset.Offset < 0)
        {
            return (ErrorCode.InvalidRequest, $"Offset {offset.Offset} for {offset.Topic}-{offset.Partition} is negative.");
        }
        if (offset.Metadata is { Length: > MaxMetadataLength })
        {
            return (ErrorCode.OffsetMetadataTooLarge, $"The metadata of {offset.Topic}-{offset.Partition} has {offset.Metadata.Length} characters; at most {MaxMetadataLength} are kept.");
        }
        return null;
    }

    private async Task MarkExistsAsync()
    {
        if (_state.State.Exists)
        {
            return;
        }
        _state.State.Exists = true;
        await PersistAsync();
        await GrainFactory.GetGrain<IGroupDirectoryGrain>(0).Add(GroupId);
    }

    private async Task RemoveGroupAsync()
    {
        _state.State.Exists = false;
        _state.State.Offsets.Clear();
        _state.State.Dialect = GroupDialects.None;
        await PersistAsync();
        await GrainFactory.GetGrain<IGroupDirectoryGrain>(0).Remove(GroupId);
    }

    private List<CommittedOffset> AllOffsets()
    {
        var offsets = new List<CommittedOffset>();
        foreach (var (topic, partitions) in _state.State.Offsets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var (partition, record) in partitions.OrderBy(p => p.Key))
            {
                offsets.Add(ToCommitted(topic, partition, record));
            }
        }
        return offsets;
    }

    private static CommittedOffset ToCommitted(string topic, int partition, OffsetRecord record) =>
        new(topic, partition, record.Offset, record.LeaderEpoch, record.Metadata, record.CommitTimestamp);

    private void CheckGroupId()
    {
        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new Orlog.Client.KafkaException(ErrorCode.InvalidGroupId, "The group id must not be empty.");
        }
    }

    /// <summary>
    /// Writes the state, one write at a time (the grain is reentrant): callers that arrive while a write is out
    /// share the next one, which carries all their changes.
    /// </summary>
    private Task PersistAsync()
    {
        if (_queuedWrite is { } queued)
        {
            return queued;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queuedWrite = done.Task;
        _lastWrite = WriteAfterAsync(_lastWrite, done);
        return done.Task;
    }

    private async Task WriteAfterAsync(Task previous, TaskCompletionSource done)
    {
        await previous;
        _queuedWrite = null;
        try
        {
            await _state.WriteStateAsync();
            done.SetResult();
        }
        catch (Exception error)
        {
            done.SetException(error);
        }
    }

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Consumer group {Group}: a newer coordinator activation wrote the state first; this one steps down ({Reason})")]
    private static partial void LogStale(ILogger logger, string group, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Consumer group {Group} could not write its members; it writes again at the next change")]
    private static partial void LogWriteFailed(ILogger logger, string group, Exception error);

    [LoggerMessage(EventId = 406, Level = LogLevel.Debug, Message = "Consumer group {Group} could not tell member {MemberId} of its news; it hears at its next heartbeat: {Error}")]
    private static partial void LogTellFailed(ILogger logger, string group, string memberId, string error);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Consumer group {Group} took back {Members} members at group epoch {Epoch}")]
    private static partial void LogRestored(ILogger logger, string group, int members, int epoch);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Deleted consumer group {Group}")]
    private static partial void LogDeleted(ILogger logger, string group);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Expired {Count} committed offsets of empty consumer group {Group}")]
    private static partial void LogExpired(ILogger logger, string group, int count);
}
