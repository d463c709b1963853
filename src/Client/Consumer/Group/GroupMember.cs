using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// A consumer's membership of its group in the server-side dialect (Kafka's KIP-848), as a plain state machine with
/// the clock passed in: it joins with epoch 0 and every field, heartbeats on the interval the group gives, sends the
/// subscription only when it changed, and takes the group's answers: a new epoch and assignment, fencing, or a
/// refusal. The consuming thread reports what it owns after acting on a change (<see cref="Reconciled"/>); until
/// then a member that lost its partitions does not join again. A member is lost when it is fenced, when no heartbeat
/// was answered within session.timeout.ms, and when Consume was not called within max.poll.interval.ms. The
/// membership loop drives it; nothing here does I/O.
/// </summary>
internal sealed class GroupMember : IGroupMember
{
    private readonly ConsumerSettings _settings;
    private readonly Clock _clock;
    private readonly string _clientHost;
    private readonly Queue<MemberChange> _changes = new();
    private HashSet<TopicPartition> _owned = [];
    private TopicSubscription? _subscription;
    private int _subscriptionVersion;
    private int _subscriptionSentVersion = -1;
    private int _requestSubscriptionVersion = -1;
    // A regular expression was sent in this membership: a subscription by names must clear it.
    private bool _regexSent;
    // A join went out since the membership last ended: the group may know this member, so leaving must tell it.
    private bool _joinSent;
    private bool _heartbeatNow;
    private long _nextHeartbeatMs;
    private long _lastAnswerMs;
    // The consuming thread has not yet let go of what the membership's end took away.
    private bool _awaitingRelease;

    public GroupMember(ConsumerSettings settings, Clock clock, string clientHost)
    {
        _settings = settings;
        _clock = clock;
        _clientHost = clientHost;
    }

    /// <summary>Where the coordinator may tell the member that its next heartbeat has news (sent with every heartbeat; null: none).</summary>
    public IGroupMemberObserver? Observer { get; init; }

    /// <summary>The member id (a UUID the member makes; the group may give another).</summary>
    public string MemberId { get; private set; } = Guid.NewGuid().ToString();

    /// <summary>The member epoch: 0 until the group accepts a join, and again after the membership ends.</summary>
    public int Epoch { get; private set; }

    /// <summary>The group has accepted this member at least once.</summary>
    public bool HasJoined { get; private set; }

    public bool IsSubscribed => _subscription is not null;

    /// <summary>The group's latest assignment for this member in this membership (null: none yet).</summary>
    public IReadOnlySet<TopicPartition>? Target { get; private set; }

    /// <summary>Changes with every new <see cref="Target"/>.</summary>
    public int TargetVersion { get; private set; }

    /// <summary>What the consuming thread last said it owns.</summary>
    public IReadOnlySet<TopicPartition> Owned => _owned;

    /// <summary>Waiting for the consuming thread to let go of its partitions before joining again.</summary>
    public bool AwaitingRelease => _awaitingRelease;

    /// <summary>Subscribes (or changes the subscription): a join, or a heartbeat carrying it, goes out at once.</summary>
    public void Subscribe(TopicSubscription subscription)
    {
        _subscription = subscription;
        _subscriptionVersion++;
        _heartbeatNow = true;
    }

    /// <summary>Ends the membership for good (Unsubscribe, Close); returns the leave to send, or null when the group never heard of the member.</summary>
    public MemberCall? Leave()
    {
        var request = _joinSent ? LeaveRequest(_settings.GroupInstanceId is null ? GroupHeartbeatRequest.LeaveEpoch : GroupHeartbeatRequest.StaticLeaveEpoch) : null;
        End();
        _subscription = null;
        _subscriptionVersion++;
        _owned = [];
        _awaitingRelease = false;
        _changes.Clear();
        return request;
    }

    /// <summary>The consuming thread acted on the changes: it owns <paramref name="owned"/> now, and the next heartbeat says so.</summary>
    public void Reconciled(IEnumerable<TopicPartition> owned)
    {
        _owned = [.. owned];
        _awaitingRelease = false;
        _heartbeatNow = true;
    }

    /// <summary>Sends a heartbeat at the next step (a commit found its epoch stale).</summary>
    public void HeartbeatNow() => _heartbeatNow = true;

    /// <summary>The next change for the consuming thread, if any.</summary>
    public bool TryTakeChange(out MemberChange change) => _changes.TryDequeue(out change!);

    /// <summary>What to do now, given when the application last called Consume.</summary>
    public MemberStep Next(bool polling, long lastPollMs)
    {
        if (_subscription is null || _awaitingRelease)
        {
            return MemberStep.Wait(-1);
        }
        var now = _clock.NowMs;
        var sincePoll = now - lastPollMs;
        if (MemberDeadlines.PollExpired(_settings, polling, sincePoll) is { } pollExpired)
        {
            var leave = _joinSent ? LeaveRequest(GroupHeartbeatRequest.LeaveEpoch) : null;
            Lose(pollExpired, always: true);
            return MemberStep.Leave(leave);
        }
        if (Epoch > 0 && MemberDeadlines.SessionExpired(_settings, now, _lastAnswerMs) is { } sessionExpired)
        {
            // The group has given the partitions to others by now: stop using them before it says so.
            Lose(sessionExpired, always: false);
            if (_awaitingRelease)
            {
                return MemberStep.Wait(-1);
            }
        }
        if (_heartbeatNow || now >= _nextHeartbeatMs)
        {
            _heartbeatNow = false;
            return MemberStep.Send(new HeartbeatCall(HeartbeatRequest()));
        }
        var wait = MemberDeadlines.Clamp(_settings, _nextHeartbeatMs - now, polling, sincePoll, Epoch > 0, now, _lastAnswerMs);
        return MemberStep.Wait(wait);
    }

    public string? OnAnswer(MemberCall call, object answer) => OnAnswer(((HeartbeatCall)call).Request, (GroupHeartbeatResponse)answer);

    /// <summary>Takes the group's answer to <paramref name="request"/>; returns what to log when it is a retriable failure, else null.</summary>
    public string? OnAnswer(GroupHeartbeatRequest request, GroupHeartbeatResponse response)
    {
        var now = _clock.NowMs;
        if (response.Error.IsRetriable())
        {
            return Retry(now, $"{response.Error.KafkaName()}: {response.ErrorMessage}");
        }
        switch (response.Error)
        {
            case ErrorCode.None:
                Accept(request, response, now);
                return null;
            case ErrorCode.UnknownMemberId or ErrorCode.FencedMemberEpoch:
                Lose($"the group fenced it ({response.Error.KafkaName()})", always: false);
                return null;
            default:
                Fail(new KafkaException(response.Error, response.ErrorMessage ?? $"The group '{_settings.GroupId}' refused the heartbeat."));
                return null;
        }
    }

    /// <summary>The heartbeat got no answer (timeout, lost connection): it is sent again after retry.backoff.ms.</summary>
    public string OnNoAnswer(MemberCall call, string error) => Retry(_clock.NowMs, error);

    /// <summary>The group refused the member in a way no retry helps (a bad group id, a group of the other dialect).</summary>
    public void OnRefused(KafkaException error) => Fail(error);

    private void Accept(GroupHeartbeatRequest request, GroupHeartbeatResponse response, long now)
    {
        HasJoined = true;
        _lastAnswerMs = now;
        Epoch = response.MemberEpoch;
        if (!string.IsNullOrEmpty(response.MemberId))
        {
            MemberId = response.MemberId;
        }
        if (request.SubscribedTopicNames is not null || request.SubscribedTopicRegex is not null)
        {
            _subscriptionSentVersion = _requestSubscriptionVersion;
        }
        if (response.Assignment is { } assignment)
        {
            var target = new HashSet<TopicPartition>(assignment.Count);
            foreach (var partition in assignment)
            {
                target.Add(new TopicPartition(partition.Topic, partition.Partition));
            }
            Target = target;
            TargetVersion++;
        }
        _nextHeartbeatMs = now + (response.HeartbeatIntervalMs > 0 ? response.HeartbeatIntervalMs : _settings.RetryBackoffMs);
    }

    private string Retry(long now, string error)
    {
        // The group may not have seen it: the next heartbeat sends every field again.
        _subscriptionSentVersion = -1;
        _nextHeartbeatMs = now + _settings.RetryBackoffMs;
        return error;
    }

    /// <summary>The membership ended and its partitions are gone; the consuming thread is told when it owns any (or always).</summary>
    private void Lose(string reason, bool always)
    {
        End();
        if (_owned.Count > 0 || always)
        {
            _changes.Enqueue(new PartitionsLost(reason));
            _awaitingRelease = true;
        }
        else
        {
            _heartbeatNow = true;
        }
    }

    private void Fail(KafkaException error)
    {
        End();
        _changes.Enqueue(new MembershipFailed(error));
        _awaitingRelease = true;
    }

    private void End()
    {
        Epoch = 0;
        _joinSent = false;
        _regexSent = false;
        _subscriptionSentVersion = -1;
        Target = null;
        TargetVersion++;
    }

    /// <summary>A join (epoch 0: every field) or a heartbeat (the subscription only when it changed).</summary>
    private GroupHeartbeatRequest HeartbeatRequest()
    {
        var subscription = _subscription!;
        var joining = Epoch == 0;
        var sendSubscription = joining || _subscriptionSentVersion != _subscriptionVersion;
        string? regex = null;
        if (sendSubscription)
        {
            // An empty regular expression clears the one sent before.
            regex = subscription.Regex ?? (_regexSent && !joining ? "" : null);
            _regexSent = subscription.Regex is not null;
        }
        _requestSubscriptionVersion = _subscriptionVersion;
        _joinSent = true;
        var owned = new List<Grains.TopicPartition>(_owned.Count);
        foreach (var partition in _owned)
        {
            owned.Add(new Grains.TopicPartition(partition.Topic, partition.Partition));
        }
        return new GroupHeartbeatRequest(
            MemberId,
            Epoch,
            _settings.GroupInstanceId,
            _settings.MaxPollIntervalMs,
            _settings.SessionTimeoutMs,
            sendSubscription ? subscription.Names : null,
            regex,
            joining ? _settings.GroupRemoteAssignor : null,
            owned,
            _settings.ClientId,
            _clientHost,
            Observer);
    }

    private HeartbeatCall LeaveRequest(int epoch) => new(new GroupHeartbeatRequest(
        MemberId, epoch, _settings.GroupInstanceId, _settings.MaxPollIntervalMs, _settings.SessionTimeoutMs, null, null, null, null, _settings.ClientId, _clientHost));
}
