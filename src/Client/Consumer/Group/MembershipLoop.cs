using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// Runs a consumer's group member (<see cref="GroupMember"/> for KIP-848, <see cref="ClassicMember"/> for the classic
/// protocol): takes the consuming thread's commands from a queue, makes the calls the member asks for and hands it
/// the answers, and hands the member's changes to the consuming thread. Before it hands on a new assignment it looks
/// up where the new partitions start (their leaders and committed offsets), so the consuming thread starts them
/// without a call of its own. It is the only code touching the member.
/// </summary>
internal sealed partial class MembershipLoop
{
    private static readonly string _clientHost = ClientHostName();
    private readonly IConsumerGroupGrain _group;
    private readonly OrlogClient _client;
    private readonly ConsumerSettings _settings;
    private readonly PollTimer _poll;
    private readonly Action<MemberChange> _deliver;
    private readonly ILogger _logger;
    private readonly IGroupMember _member;
    private readonly ConcurrentQueue<MemberCommand> _commands = new();
    private readonly AsyncSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TaskCompletionSource> _answerWaiters = [];
    // Cancels a call the coordinator may hold for a whole rebalance (classic JoinGroup, SyncGroup) when a leave comes.
    private CancellationTokenSource? _heldCall;
    private readonly MemberEar _ear;
    private MemberIdentity _identity;
    private Task _loop = Task.CompletedTask;
    private int _deliveredVersion = -1;
    private long _startsRetryAtMs;

    public MembershipLoop(IConsumerGroupGrain group, OrlogClient client, ConsumerSettings settings, PollTimer poll, Action<MemberChange> deliver, ILogger logger)
    {
        _group = group;
        _client = client;
        _settings = settings;
        _poll = poll;
        _deliver = deliver;
        _logger = logger;
        _ear = new MemberEar(this);
        _member = settings.Classic
            ? new ClassicMember(settings, client.Clock, _clientHost)
            : new GroupMember(settings, client.Clock, _clientHost) { Observer = _ear.Reference(client.GrainFactory) };
        _identity = new MemberIdentity(_member.MemberId, 0, false);
    }

    /// <summary>Who the member is now (read by commits on other threads).</summary>
    public MemberIdentity Identity => Volatile.Read(ref _identity);

    public void Start() => _loop = Task.Run(RunAsync);

    public void Subscribe(TopicSubscription subscription) => Post(new MemberCommand.Subscribe(subscription));

    public void Reconciled(IReadOnlyList<TopicPartition> owned, int targetVersion) => Post(new MemberCommand.Reconciled(owned, targetVersion));

    /// <summary>Leaves the group, waiting at most request.timeout.ms for the leave to go out.</summary>
    public async Task LeaveAsync()
    {
        if (_loop.IsCompleted)
        {
            return;
        }
        var done = NewSignal();
        Post(new MemberCommand.Leave(done));
        await WaitAsync(done.Task, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Asks for a heartbeat now and waits for its answer (at most request.timeout.ms).</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_loop.IsCompleted)
        {
            return;
        }
        var answered = NewSignal();
        Post(new MemberCommand.Heartbeat(answered));
        await WaitAsync(answered.Task, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop without leaving (Close has left already, or a test plays a crashed process).</summary>
    public async Task StopAsync()
    {
        _ear.Delete(_client.GrainFactory);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The coordinator's call: the next heartbeat has news.</summary>
    internal void Told() => Post(new MemberCommand.Told());

    private void Post(MemberCommand command)
    {
        _commands.Enqueue(command);
        if (command is MemberCommand.Leave)
        {
            // A member leaving does not wait out a rebalance it is held in.
            CancelHeldCall();
        }
        _wake.Set();
    }

    private void CancelHeldCall()
    {
        try
        {
            Volatile.Read(ref _heldCall)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended meanwhile.
        }
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var signal = _wake.Reset();
                await TakeCommandsAsync(stop).ConfigureAwait(false);
                var step = _member.Next(_poll.Polling, _poll.LastPollMs);
                var waitMs = step.WaitMs;
                switch (step.Kind)
                {
                    case MemberStepKind.Send:
                        await SendAsync(step.Call!, stop).ConfigureAwait(false);
                        break;
                    case MemberStepKind.Leave:
                        var memberId = step.Call switch { HeartbeatCall beat => beat.Request.MemberId, LeaveCall leave => leave.Member.MemberId, _ => _member.MemberId };
                        LogPollExpired(_logger, _settings.GroupId, _member.MemberId, _settings.MaxPollIntervalMs);
                        if (step.Call is not null)
                        {
                            await SendLeaveAsync(step.Call, memberId, stop).ConfigureAwait(false);
                        }
                        break;
                }
                Publish();
                waitMs = await HandOnChangesAsync(waitMs, stop).ConfigureAwait(false);
                if (step.Kind == MemberStepKind.Wait)
                {
                    await AsyncSignal.WaitAsync(signal, waitMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(waitMs), _client.Clock.Provider, stop)
                        .ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            AnswerWaiters();
            while (_commands.TryDequeue(out var command))
            {
                Complete(command);
            }
        }
    }

    private async Task TakeCommandsAsync(CancellationToken stop)
    {
        while (_commands.TryDequeue(out var command))
        {
            switch (command)
            {
                case MemberCommand.Subscribe subscribe:
                    _member.Subscribe(subscribe.Subscription);
                    break;
                case MemberCommand.Reconciled reconciled:
                    _member.Reconciled(reconciled.Owned);
                    if (reconciled.TargetVersion == _member.TargetVersion && _member.Target is { } target && !_member.Owned.IsSupersetOf(target))
                    {
                        // The consuming thread could not start some of the target: look their starts up again.
                        _deliveredVersion = -1;
                    }
                    break;
                case MemberCommand.Heartbeat heartbeat:
                    _member.HeartbeatNow();
                    _answerWaiters.Add(heartbeat.Answered);
                    break;
                case MemberCommand.Told:
                    _member.HeartbeatNow();
                    break;
                case MemberCommand.Leave leave:
                    var memberId = _member.MemberId;
                    var call = _member.Leave();
                    _deliveredVersion = -1;
                    if (call is not null)
                    {
                        await SendLeaveAsync(call, memberId, stop).ConfigureAwait(false);
                    }
                    leave.Done.TrySetResult();
                    break;
            }
        }
        if (!_member.IsSubscribed || _member.AwaitingRelease)
        {
            // No heartbeat goes out until the consuming thread has dealt with what ended the membership.
            AnswerWaiters();
        }
    }

    private async Task SendAsync(MemberCall call, CancellationToken stop)
    {
        var joined = _member.Epoch > 0;
        try
        {
            var answer = await CallAsync(call, stop).ConfigureAwait(false);
            var retry = _member.OnAnswer(call, answer);
            if (retry is not null)
            {
                LogCallFailed(_logger, _settings.GroupId, _member.MemberId, retry);
            }
            else if (!joined && _member.Epoch > 0)
            {
                LogJoined(_logger, _settings.GroupId, _member.MemberId, _member.Epoch);
            }
        }
        catch (KafkaException error) when (call is not TopicsCall)
        {
            // The grain throws only for a bad group id or a group of the other dialect: no retry helps.
            _member.OnRefused(error);
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            LogCallFailed(_logger, _settings.GroupId, _member.MemberId, _member.OnNoAnswer(call, error.Message));
        }
        AnswerWaiters();
    }

    /// <summary>
    /// Makes one call of the member's, bounded by request.timeout.ms (a call held for a rebalance: by
    /// max.poll.interval.ms, the rebalance timeout, and 5 s more, as Kafka's clients allow).
    /// </summary>
    private async Task<object> CallAsync(MemberCall call, CancellationToken stop)
    {
        if (!call.WaitsForRebalance)
        {
            var timeout = TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs);
            return call switch
            {
                HeartbeatCall beat => await _group.Heartbeat(beat.Request).WaitAsync(timeout, stop).ConfigureAwait(false),
                ClassicHeartbeatCall beat => await _group.ClassicHeartbeat(beat.MemberId, beat.GenerationId, beat.GroupInstanceId).WaitAsync(timeout, stop)
                    .ConfigureAwait(false),
                LeaveCall leave => (await _group.LeaveGroup([leave.Member]).WaitAsync(timeout, stop).ConfigureAwait(false)) is [var result, ..]
                    ? result
                    : new LeaveGroupResult(leave.Member.MemberId, leave.Member.GroupInstanceId, ErrorCode.None),
                TopicsCall => await TopicCountsAsync(timeout, stop).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Not a call: {call}"),
            };
        }
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Volatile.Write(ref _heldCall, held);
        try
        {
            if (!_commands.IsEmpty && _commands.Any(c => c is MemberCommand.Leave))
            {
                await held.CancelAsync().ConfigureAwait(false);
            }
            var timeout = TimeSpan.FromMilliseconds(Math.Max(_settings.RequestTimeoutMs, _settings.MaxPollIntervalMs + 5_000L));
            return call switch
            {
                JoinCall join => await _group.JoinGroup(join.Request).WaitAsync(timeout, held.Token).ConfigureAwait(false),
                SyncCall sync => await _group.SyncGroup(sync.Request).WaitAsync(timeout, held.Token).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Not a call: {call}"),
            };
        }
        finally
        {
            Volatile.Write(ref _heldCall, null);
        }
    }

    private async Task<TopicCounts> TopicCountsAsync(TimeSpan timeout, CancellationToken stop)
    {
        var topics = await _client.Gateway.Controller.GetTopics(null).WaitAsync(timeout, stop).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(topics.Count, StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            counts[topic.Name] = topic.Partitions.Count;
        }
        return new TopicCounts(counts);
    }

    /// <summary>
    /// Hands the member's changes to the consuming thread; a new target goes once the starts of its new partitions are
    /// known. Returns how long the loop may wait (shortened while a failed lookup waits to be retried).
    /// </summary>
    private async Task<long> HandOnChangesAsync(long waitMs, CancellationToken stop)
    {
        while (_member.TryTakeChange(out var change))
        {
            switch (change)
            {
                case PartitionsLost lost:
                    LogLost(_logger, _settings.GroupId, _member.MemberId, lost.Reason);
                    break;
                case MembershipFailed failed:
                    LogRefused(_logger, _settings.GroupId, _member.MemberId, failed.Error.Message);
                    break;
            }
            _deliveredVersion = -1;
            _deliver(change);
        }
        if (_member.Target is not { } target || _member.AwaitingRelease || _member.TargetVersion == _deliveredVersion)
        {
            return waitMs;
        }
        var now = _client.Clock.NowMs;
        if (now < _startsRetryAtMs)
        {
            var left = _startsRetryAtMs - now;
            return waitMs < 0 ? left : Math.Min(waitMs, left);
        }
        var version = _member.TargetVersion;
        var missing = target.Where(p => !_member.Owned.Contains(p)).ToList();
        Dictionary<TopicPartition, PartitionStart> starts;
        try
        {
            starts = await LookUpStartsAsync(missing, stop).ConfigureAwait(false);
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            foreach (var partition in missing)
            {
                _client.Metadata.Invalidate(partition.Topic);
            }
            LogStartsFailed(_logger, _settings.GroupId, error.Message);
            _startsRetryAtMs = _client.Clock.NowMs + _settings.RetryBackoffMs;
            return waitMs < 0 ? _settings.RetryBackoffMs : Math.Min(waitMs, _settings.RetryBackoffMs);
        }
        if (version == _member.TargetVersion)
        {
            _deliveredVersion = version;
            _deliver(new AssignmentChanged(target, starts) { TargetVersion = version });
        }
        return waitMs;
    }

    private async Task<Dictionary<TopicPartition, PartitionStart>> LookUpStartsAsync(List<TopicPartition> partitions, CancellationToken stop)
    {
        var starts = new Dictionary<TopicPartition, PartitionStart>(partitions.Count);
        if (partitions.Count == 0)
        {
            return starts;
        }
        var leaders = await _client.Metadata.LeadersAsync(partitions).ConfigureAwait(false);
        var asked = partitions.ConvertAll(p => new Grains.TopicPartition(p.Topic, p.Partition));
        var committed = await GroupCall.RunAsync(_group.FetchOffsets(new OffsetFetchRequest(_member.MemberId, _member.Epoch, asked)), _settings.GroupId,
            _settings.RequestTimeoutMs, stop).ConfigureAwait(false);
        if (committed.Error != ErrorCode.None)
        {
            throw new KafkaException(committed.Error, committed.ErrorMessage ?? "Reading the committed offsets failed.");
        }
        for (var i = 0; i < partitions.Count; i++)
        {
            starts[partitions[i]] = new PartitionStart(leaders[i], OffsetFetchAnswer.Find(committed, partitions[i]));
        }
        return starts;
    }

    private async Task SendLeaveAsync(MemberCall call, string memberId, CancellationToken stop)
    {
        try
        {
            var answer = await CallAsync(call, stop).ConfigureAwait(false);
            LogLeft(_logger, _settings.GroupId, memberId, answer switch
            {
                GroupHeartbeatResponse response => response.Error.KafkaName(),
                LeaveGroupResult result => result.Error.KafkaName(),
                _ => answer.ToString() ?? "",
            });
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            LogLeft(_logger, _settings.GroupId, memberId, error.Message);
        }
    }

    private void Publish()
    {
        var identity = Volatile.Read(ref _identity);
        if (identity.MemberId != _member.MemberId || identity.Epoch != _member.Epoch || identity.HasJoined != _member.HasJoined)
        {
            Volatile.Write(ref _identity, new MemberIdentity(_member.MemberId, _member.Epoch, _member.HasJoined));
        }
    }

    private void AnswerWaiters()
    {
        foreach (var waiter in _answerWaiters)
        {
            waiter.TrySetResult();
        }
        _answerWaiters.Clear();
    }

    private static void Complete(MemberCommand command)
    {
        switch (command)
        {
            case MemberCommand.Leave leave:
                leave.Done.TrySetResult();
                break;
            case MemberCommand.Heartbeat heartbeat:
                heartbeat.Answered.TrySetResult();
                break;
        }
    }

    private async Task WaitAsync(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string ClientHostName()
    {
        try
        {
            return Environment.MachineName;
        }
        catch (InvalidOperationException)
        {
            return IPAddress.Loopback.ToString();
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Joined group {GroupId} as member {MemberId} at epoch {Epoch}")]
    private static partial void LogJoined(ILogger logger, string? groupId, string memberId, int epoch);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "A call of member {MemberId} to group {GroupId} failed, retrying: {Error}")]
    private static partial void LogCallFailed(ILogger logger, string? groupId, string memberId, string? error);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Member {MemberId} of group {GroupId} lost its partitions: {Reason}")]
    private static partial void LogLost(ILogger logger, string? groupId, string memberId, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Member {MemberId} of group {GroupId} was refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string? groupId, string memberId, string error);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Member {MemberId} leaves group {GroupId}: Consume was not called within max.poll.interval.ms ({MaxPollIntervalMs}); the next Consume joins again")]
    private static partial void LogPollExpired(ILogger logger, string? groupId, string memberId, int maxPollIntervalMs);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Member {MemberId} left group {GroupId}: {Result}")]
    private static partial void LogLeft(ILogger logger, string? groupId, string memberId, string result);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Debug, Message = "Looking up where the new partitions of group {GroupId} start failed, retrying: {Error}")]
    private static partial void LogStartsFailed(ILogger logger, string? groupId, string error);
}
