using Microsoft.Extensions.Logging;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// The group membership loop, as Kafka's KIP-848 consumer: it joins, heartbeats, takes the group's assignment and
/// looks up where new partitions start (one heartbeat is in Consumer.Heartbeat.cs); the consuming thread applies it
/// (Consumer.Rebalance.cs). It also leaves when Consume is not called within max.poll.interval.ms, and commits in
/// the background with enable.auto.commit. Its state is guarded by the consumer's lock.
/// </summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private readonly AsyncSignal _heartbeatWake = new();
    private readonly CancellationTokenSource _membershipStop = new();
    private readonly Dictionary<TopicPartition, GroupStart> _prefetched = [];
    private readonly IConsumerGroupGrain? _group;
    private Task? _membershipLoop;
    private string _memberId = Guid.NewGuid().ToString();
    private int _memberEpoch;
    private bool _joined;
    // A join went out since the last leave: the group may know this member, so leaving must tell it.
    private bool _joinSent;
    // Changes whenever the membership ends (leave, fencing): answers to requests of an earlier membership are dropped.
    private int _membershipVersion;
    private TopicSubscription? _subscription;
    private int _subscriptionVersion;
    private int _subscriptionSentVersion = -1;
    // A regular expression was sent in this membership: a subscription by names must clear it.
    private bool _regexSent;
    private bool _heartbeatNow;
    private HashSet<TopicPartition>? _target;
    private IReadOnlyList<Grains.TopicPartition> _owned = [];
    private bool _lostPending;
    private bool _pollExpired;
    private KafkaException? _groupError;
    private TaskCompletionSource? _leaveRequest;
    private TaskCompletionSource _heartbeatAnswered = NewSignal();
    private bool _membershipKilled;
    private Task _autoCommit = Task.CompletedTask;

    private enum MembershipStep
    {
        Wait,
        Heartbeat,
        Leave,
    }

    /// <summary>Starts the membership loop unless it runs (under the lock).</summary>
    private void EnsureMembershipLoop()
    {
        if (_membershipLoop is null && _group is not null && _closed == 0 && !_membershipKilled)
        {
            _membershipLoop = Task.Run(() => RunMembershipAsync(_membershipStop.Token));
        }
    }

    private async Task RunMembershipAsync(CancellationToken stop)
    {
        var nextHeartbeatMs = 0L;
        var nextAutoCommitMs = _client.Clock.NowMs + _settings.AutoCommitIntervalMs;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var wake = _heartbeatWake.Reset();
                var now = _client.Clock.NowMs;
                if (_settings.EnableAutoCommit && now >= nextAutoCommitMs)
                {
                    if (_autoCommit.IsCompleted)
                    {
                        _autoCommit = AutoCommitAsync();
                    }
                    nextAutoCommitMs = now + _settings.AutoCommitIntervalMs;
                }
                MembershipStep step;
                GroupHeartbeatRequest? request;
                TaskCompletionSource? leave;
                int version, subscriptionVersion;
                long waitMs;
                lock (_lock)
                {
                    step = PlanMembership(now, nextHeartbeatMs, out request, out leave, out waitMs);
                    version = _membershipVersion;
                    subscriptionVersion = _subscriptionVersion;
                }
                if (step == MembershipStep.Leave)
                {
                    if (request is not null)
                    {
                        await SendLeaveAsync(request, stop).ConfigureAwait(false);
                    }
                    leave?.TrySetResult();
                    continue;
                }
                if (step == MembershipStep.Heartbeat)
                {
                    nextHeartbeatMs = await HeartbeatAsync(request!, version, subscriptionVersion, stop).ConfigureAwait(false);
                    await PrepareAssignmentAsync(stop).ConfigureAwait(false);
                    continue;
                }
                if (_settings.EnableAutoCommit)
                {
                    var untilCommit = Math.Max(0, nextAutoCommitMs - now);
                    waitMs = waitMs < 0 ? untilCommit : Math.Min(waitMs, untilCommit);
                }
                await AsyncSignal.WaitAsync(wake, waitMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(waitMs), _client.Clock.Provider, stop)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            TaskCompletionSource? leave;
            lock (_lock)
            {
                leave = _leaveRequest;
                _leaveRequest = null;
            }
            leave?.TrySetResult();
            _heartbeatAnswered.TrySetResult();
        }
    }

    /// <summary>What the loop does next (under the lock): leave, heartbeat, or wait (<paramref name="waitMs"/>, -1 for a wake-up).</summary>
    private MembershipStep PlanMembership(long now, long nextHeartbeatMs, out GroupHeartbeatRequest? request, out TaskCompletionSource? leave, out long waitMs)
    {
        request = null;
        leave = null;
        waitMs = -1;
        if (_leaveRequest is not null)
        {
            leave = _leaveRequest;
            _leaveRequest = null;
            request = _joinSent ? LeaveRequest(_settings.GroupInstanceId is null ? GroupHeartbeatRequest.LeaveEpoch : GroupHeartbeatRequest.StaticLeaveEpoch) : null;
            EndMembership();
            return MembershipStep.Leave;
        }
        if (_subscription is null || _lostPending || _pollExpired || _groupError is not null)
        {
            // Nothing to do until the consuming thread has dealt with what happened.
            return MembershipStep.Wait;
        }
        var sincePoll = now - Volatile.Read(ref _lastPollMs);
        if (!_polling && sincePoll > _settings.MaxPollIntervalMs)
        {
            LogPollExpired(_logger, _settings.GroupId, _memberId, sincePoll, _settings.MaxPollIntervalMs);
            request = _joinSent ? LeaveRequest(GroupHeartbeatRequest.LeaveEpoch) : null;
            EndMembership();
            _pollExpired = true;
            _lostPending = _partitions.Count > 0;
            SignalGroupEvents();
            return MembershipStep.Leave;
        }
        if (_heartbeatNow || now >= nextHeartbeatMs)
        {
            _heartbeatNow = false;
            request = HeartbeatRequest();
            return MembershipStep.Heartbeat;
        }
        waitMs = nextHeartbeatMs - now;
        if (!_polling)
        {
            waitMs = Math.Min(waitMs, Math.Max(0, _settings.MaxPollIntervalMs - sincePoll + 1));
        }
        return MembershipStep.Wait;
    }

    /// <summary>Looks up where the newly assigned partitions start: their leaders and their committed offsets.</summary>
    private async Task PrepareAssignmentAsync(CancellationToken stop)
    {
        List<TopicPartition> missing = [];
        string memberId;
        int epoch, version;
        lock (_lock)
        {
            if (_target is null || _lostPending)
            {
                return;
            }
            foreach (var partition in _target)
            {
                if (!_partitions.ContainsKey(partition) && !_prefetched.ContainsKey(partition))
                {
                    missing.Add(partition);
                }
            }
            memberId = _memberId;
            epoch = _memberEpoch;
            version = _membershipVersion;
        }
        if (missing.Count == 0)
        {
            return;
        }
        int[] leaders;
        OffsetFetchResponse committed;
        try
        {
            leaders = await LeadersAsync(missing).ConfigureAwait(false);
            committed = await GroupCall(_group!.FetchOffsets(new OffsetFetchRequest(memberId, epoch, ToGrains(missing))), stop).ConfigureAwait(false);
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            foreach (var partition in missing)
            {
                _client.Metadata.Invalidate(partition.Topic);
            }
            LogPrepareFailed(_logger, _settings.GroupId, error.Message);
            return;
        }
        lock (_lock)
        {
            if (committed.Error != ErrorCode.None)
            {
                LogPrepareFailed(_logger, _settings.GroupId, $"{committed.Error.KafkaName()}: {committed.ErrorMessage}");
                return;
            }
            if (version != _membershipVersion || _target is null)
            {
                return;
            }
            for (var i = 0; i < missing.Count; i++)
            {
                if (_target.Contains(missing[i]) && !_partitions.ContainsKey(missing[i]))
                {
                    _prefetched[missing[i]] = new GroupStart(leaders[i], CommittedOffsetOf(committed, missing[i]));
                }
            }
            SignalGroupEvents();
        }
    }

    /// <summary>Asks the loop to leave the group and waits until it did (or request.timeout.ms passed).</summary>
    private async Task LeaveGroupAsync()
    {
        TaskCompletionSource leave;
        lock (_lock)
        {
            if (_membershipLoop is null || _membershipLoop.IsCompleted)
            {
                return;
            }
            leave = _leaveRequest ??= NewSignal();
        }
        _heartbeatWake.Set();
        try
        {
            await leave.Task.WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task SendLeaveAsync(GroupHeartbeatRequest request, CancellationToken stop)
    {
        try
        {
            var response = await _group!.Heartbeat(request).WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs), stop).ConfigureAwait(false);
            LogLeft(_logger, _settings.GroupId, request.MemberId, request.MemberEpoch, response.Error.KafkaName());
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            LogLeft(_logger, _settings.GroupId, request.MemberId, request.MemberEpoch, error.Message);
        }
    }

    /// <summary>Asks for a heartbeat now and waits for its answer (bounded by request.timeout.ms); at once when there is no membership.</summary>
    private async Task WaitForNextHeartbeatAsync(CancellationToken cancellationToken)
    {
        Task answered;
        lock (_lock)
        {
            if (_membershipLoop is null || _membershipLoop.IsCompleted || _subscription is null || _lostPending || _pollExpired || _groupError is not null)
            {
                // No heartbeat goes out until the consuming thread has dealt with what ended the membership.
                return;
            }
            answered = _heartbeatAnswered.Task;
            _heartbeatNow = true;
        }
        _heartbeatWake.Set();
        try
        {
            await answered.WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// Test hook: stops heartbeating at once, without leaving or committing, as a crashed process would; the group
    /// gives the partitions to others when the session expires. Dispose afterwards only stops fetching.
    /// </summary>
    internal async Task StopHeartbeatsAsync()
    {
        Task? loop;
        lock (_lock)
        {
            _membershipKilled = true;
            loop = _membershipLoop;
        }
        await _membershipStop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    /// <summary>Tells the consuming thread that group events wait (under the lock).</summary>
    private void SignalGroupEvents()
    {
        _groupEvents = true;
        _available.Set();
    }

    private static long CommittedOffsetOf(OffsetFetchResponse response, TopicPartition partition)
    {
        foreach (var offset in response.Offsets)
        {
            if (offset.Partition == partition.Partition && offset.Topic == partition.Topic)
            {
                return offset.Offset;
            }
        }
        return -1;
    }

    private static List<Grains.TopicPartition> ToGrains(IReadOnlyList<TopicPartition> partitions)
    {
        var list = new List<Grains.TopicPartition>(partitions.Count);
        foreach (var partition in partitions)
        {
            list.Add(new Grains.TopicPartition(partition.Topic, partition.Partition));
        }
        return list;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where a newly assigned partition starts: its leader, and the group's committed offset (-1 for none).</summary>
    private readonly record struct GroupStart(int Leader, long Committed);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Member {MemberId} leaves group {GroupId}: Consume was not called for {SincePollMs} ms, above max.poll.interval.ms ({MaxPollIntervalMs}); the next Consume joins again")]
    private static partial void LogPollExpired(ILogger logger, string? groupId, string memberId, long sincePollMs, int maxPollIntervalMs);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Member {MemberId} left group {GroupId} with epoch {Epoch}: {Result}")]
    private static partial void LogLeft(ILogger logger, string? groupId, string memberId, int epoch, string result);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Debug, Message = "Looking up where the new partitions of group {GroupId} start failed, retrying: {Error}")]
    private static partial void LogPrepareFailed(ILogger logger, string? groupId, string error);
}
