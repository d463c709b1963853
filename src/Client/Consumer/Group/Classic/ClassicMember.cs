using System.Text.RegularExpressions;
using Orlog.Grains;
using Orlog.Grains.Groups.Classic;

namespace Orlog.Client;

/// <summary>
/// A consumer's membership of its group in Kafka's classic dialect, as a plain state machine with the clock passed
/// in. It joins with no member id and again with the one MEMBER_ID_REQUIRED gives; the leader the coordinator elects
/// reads the cluster's partition counts and assigns with the first assignor every member offers
/// (partition.assignment.strategy); every member then syncs for its share and heartbeats every
/// heartbeat.interval.ms. Rebalances are eager, as Kafka's range and roundrobin assignors are: when the group
/// rebalances (REBALANCE_IN_PROGRESS), or the subscription or a pattern's matches change, the member's target becomes
/// empty, the consuming thread revokes everything (committing under the old generation), and only then does the
/// member join again. ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID mean the group has moved on without it: its
/// partitions are lost. Leaders and members subscribed by pattern re-read the topics every metadata.max.age.ms and
/// rejoin when a pattern matches other topics or a subscribed topic's partition count changed.
/// </summary>
internal sealed class ClassicMember : IGroupMember
{
    private const string ProtocolType = "consumer";

    private readonly ConsumerSettings _settings;
    private readonly Clock _clock;
    private readonly string _clientHost;
    private readonly Queue<MemberChange> _changes = new();
    private HashSet<TopicPartition> _owned = [];
    private TopicSubscription? _subscription;
    private Phase _phase = Phase.Idle;
    private bool _awaitingRelease;
    // The topics this member subscribes to: the names given, or what the pattern matched at the last look.
    private IReadOnlyList<string>? _topics;
    // The generation the last join gave, the leader's view of the members, and what the leader assigned from.
    private int _joinGeneration;
    private string? _protocolName;
    private IReadOnlyList<JoinGroupMember> _joinMembers = [];
    private IReadOnlyDictionary<string, int>? _assignedCounts;
    private IReadOnlyList<SyncGroupAssignment> _assignments = [];
    private bool _isLeader;
    private bool _joinSent;
    private bool _heartbeatNow;
    private long _nextCallMs;
    private long _nextTopicsMs;
    private long _lastAnswerMs;

    public ClassicMember(ConsumerSettings settings, Clock clock, string clientHost)
    {
        _settings = settings;
        _clock = clock;
        _clientHost = clientHost;
    }

    private enum Phase
    {
        /// <summary>Not subscribed.</summary>
        Idle,

        /// <summary>Waiting for the consuming thread to revoke everything before joining.</summary>
        Revoking,

        /// <summary>Sending JoinGroup (after looking the pattern's topics up, for a pattern).</summary>
        Joining,

        /// <summary>The elected leader: reading the partition counts to assign with.</summary>
        Assigning,

        /// <summary>Sending SyncGroup.</summary>
        Syncing,

        /// <summary>In the group with an assignment: heartbeating.</summary>
        Stable,
    }

    public string MemberId { get; private set; } = "";

    /// <summary>The generation of the assignment in force (0: none).</summary>
    public int Epoch { get; private set; }

    public bool HasJoined { get; private set; }

    public bool IsSubscribed => _subscription is not null;

    public IReadOnlySet<TopicPartition>? Target { get; private set; }

    public int TargetVersion { get; private set; }

    public IReadOnlySet<TopicPartition> Owned => _owned;

    public bool AwaitingRelease => _awaitingRelease;

    /// <summary>This member assigned the current generation.</summary>
    public bool IsLeader => _isLeader && _phase == Phase.Stable;

    public void Subscribe(TopicSubscription subscription)
    {
        _subscription = subscription;
        _topics = subscription.Regex is null ? subscription.Names : null;
        // A new subscription means a new assignment: eager members give everything back first.
        Rejoin();
    }

    public MemberCall? Leave()
    {
        // A static member leaves by letting its session expire, as Kafka's do: a restart inside it keeps the partitions.
        var call = _joinSent && MemberId.Length > 0 && _settings.GroupInstanceId is null
            ? new LeaveCall(new LeavingMember(MemberId, null, "the consumer is closing or unsubscribing"))
            : null;
        End(resetId: true);
        _subscription = null;
        _topics = null;
        _phase = Phase.Idle;
        _owned = [];
        _awaitingRelease = false;
        _changes.Clear();
        return call;
    }

    public void Reconciled(IEnumerable<TopicPartition> owned)
    {
        _owned = [.. owned];
        _awaitingRelease = false;
    }

    public void HeartbeatNow() => _heartbeatNow = true;

    public bool TryTakeChange(out MemberChange change) => _changes.TryDequeue(out change!);

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
            var leave = _joinSent && MemberId.Length > 0 && _settings.GroupInstanceId is null
                ? new LeaveCall(new LeavingMember(MemberId, null, "Consume was not called within max.poll.interval.ms"))
                : null;
            Lose(pollExpired, always: true, resetId: true);
            return MemberStep.Leave(leave);
        }
        if (_phase is Phase.Stable or Phase.Revoking && MemberDeadlines.SessionExpired(_settings, now, _lastAnswerMs) is { } sessionExpired)
        {
            // The coordinator has removed the member by now and given its partitions to others: stop using them.
            Lose(sessionExpired, always: false, resetId: true);
            if (_awaitingRelease)
            {
                return MemberStep.Wait(-1);
            }
        }
        if (_phase == Phase.Revoking && _owned.Count == 0)
        {
            _phase = Phase.Joining;
            _nextCallMs = now;
        }
        var wait = _phase switch
        {
            Phase.Revoking => Math.Max(0, HeartbeatDueMs() - now),
            Phase.Stable => Math.Max(0, Math.Min(HeartbeatDueMs(), TopicsDueMs()) - now),
            _ => Math.Max(0, _nextCallMs - now),
        };
        if (wait == 0)
        {
            return MemberStep.Send(CallNow(now));
        }
        return MemberStep.Wait(MemberDeadlines.Clamp(_settings, wait, polling, sincePoll, _phase is Phase.Stable or Phase.Revoking, now, _lastAnswerMs));
    }

    public string? OnAnswer(MemberCall call, object answer)
    {
        var now = _clock.NowMs;
        return call switch
        {
            JoinCall => OnJoined((JoinGroupResponse)answer, now),
            SyncCall => OnSynced((SyncGroupResponse)answer, now),
            ClassicHeartbeatCall beat => OnHeartbeat(beat, (ErrorCode)answer, now),
            TopicsCall => OnTopics(((TopicCounts)answer).Partitions, now),
            _ => null,
        };
    }

    public string OnNoAnswer(MemberCall call, string error)
    {
        var now = _clock.NowMs;
        switch (call)
        {
            case JoinCall or SyncCall:
                // The coordinator may have moved on: join again after the backoff.
                _phase = _phase == Phase.Revoking ? Phase.Revoking : Phase.Joining;
                _nextCallMs = now + _settings.RetryBackoffMs;
                break;
            case TopicsCall:
                if (_phase == Phase.Stable)
                {
                    _nextTopicsMs = now + _settings.RetryBackoffMs;
                }
                else
                {
                    _nextCallMs = now + _settings.RetryBackoffMs;
                }
                break;
            default:
                _nextCallMs = now + _settings.RetryBackoffMs;
                break;
        }
        return error;
    }

    public void OnRefused(KafkaException error) => Fail(error);

    private MemberCall CallNow(long now)
    {
        switch (_phase)
        {
            case Phase.Joining when _topics is null:
            case Phase.Assigning:
                return new TopicsCall();
            case Phase.Joining:
                _joinSent = true;
                return new JoinCall(JoinRequest());
            case Phase.Syncing:
                return new SyncCall(new SyncGroupRequest(MemberId, _joinGeneration, _settings.GroupInstanceId, ProtocolType, _protocolName, _assignments));
            case Phase.Stable when TopicsDueMs() <= now && HeartbeatDueMs() > now:
                _nextTopicsMs = now + _settings.MetadataMaxAgeMs;
                return new TopicsCall();
            default:
                _heartbeatNow = false;
                _nextCallMs = now + _settings.HeartbeatIntervalMs;
                return new ClassicHeartbeatCall(MemberId, Epoch > 0 ? Epoch : _joinGeneration, _settings.GroupInstanceId);
        }
    }

    private long HeartbeatDueMs() => _heartbeatNow ? 0 : _nextCallMs;

    // Only a leader (partition counts) and a pattern (its matches) need the topics while in the group.
    private long TopicsDueMs() => _isLeader || _subscription?.Regex is not null ? _nextTopicsMs : long.MaxValue;

    private string? OnJoined(JoinGroupResponse response, long now)
    {
        _lastAnswerMs = now;
        switch (response.Error)
        {
            case ErrorCode.None:
                MemberId = response.MemberId;
                _joinGeneration = response.GenerationId;
                _protocolName = response.ProtocolName;
                _isLeader = response.Leader == MemberId && !response.SkipAssignment;
                _joinMembers = _isLeader ? response.Members : [];
                _assignments = [];
                _phase = _isLeader ? Phase.Assigning : Phase.Syncing;
                _nextCallMs = now;
                return null;
            case ErrorCode.MemberIdRequired:
                // KIP-394: the coordinator gives the id to join with; join again at once.
                MemberId = response.MemberId;
                _nextCallMs = now;
                return null;
            case ErrorCode.UnknownMemberId:
                MemberId = "";
                _nextCallMs = now;
                return null;
            case var error when error.IsRetriable() || error == ErrorCode.RebalanceInProgress:
                _nextCallMs = now + _settings.RetryBackoffMs;
                return $"{error.KafkaName()}: {response.ErrorMessage}";
            default:
                Fail(new KafkaException(response.Error, response.ErrorMessage ?? $"The group '{_settings.GroupId}' refused the join."));
                return null;
        }
    }

    private string? OnSynced(SyncGroupResponse response, long now)
    {
        _lastAnswerMs = now;
        switch (response.Error)
        {
            case ErrorCode.None:
                ConsumerAssignment assignment;
                try
                {
                    assignment = response.Assignment.Length == 0 ? new ConsumerAssignment([], null) : ConsumerProtocol.DecodeAssignment(response.Assignment);
                }
                catch (KafkaException error)
                {
                    Fail(new KafkaException(ErrorCode.InconsistentGroupProtocol, $"The leader of group '{_settings.GroupId}' sent an assignment that does not parse: {error.Message}"));
                    return null;
                }
                Epoch = _joinGeneration;
                HasJoined = true;
                var target = new HashSet<TopicPartition>(assignment.Partitions.Count);
                foreach (var partition in assignment.Partitions)
                {
                    target.Add(new TopicPartition(partition.Topic, partition.Partition));
                }
                Target = target;
                TargetVersion++;
                _phase = Phase.Stable;
                _nextCallMs = now + _settings.HeartbeatIntervalMs;
                _nextTopicsMs = now + _settings.MetadataMaxAgeMs;
                return null;
            case ErrorCode.UnknownMemberId:
                MemberId = "";
                JoinAgain(now);
                return null;
            case ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration:
                JoinAgain(now);
                return null;
            case var error when error.IsRetriable():
                _phase = Phase.Joining;
                _nextCallMs = now + _settings.RetryBackoffMs;
                return $"{error.KafkaName()}: {response.ErrorMessage}";
            default:
                Fail(new KafkaException(response.Error, response.ErrorMessage ?? $"The group '{_settings.GroupId}' refused the sync."));
                return null;
        }
    }

    private string? OnHeartbeat(ClassicHeartbeatCall call, ErrorCode error, long now)
    {
        if (call.MemberId != MemberId || _phase is not (Phase.Stable or Phase.Revoking))
        {
            return null;
        }
        switch (error)
        {
            case ErrorCode.None:
                _lastAnswerMs = now;
                return null;
            case ErrorCode.RebalanceInProgress:
                // Still a member of the generation that is ending: commit and revoke, then join.
                _lastAnswerMs = now;
                if (_phase == Phase.Stable)
                {
                    Rejoin();
                }
                return null;
            case ErrorCode.IllegalGeneration:
                Lose("the group moved to a new generation without it (ILLEGAL_GENERATION)", always: false, resetId: false);
                return null;
            case ErrorCode.UnknownMemberId:
                Lose("the group no longer knows it (UNKNOWN_MEMBER_ID)", always: false, resetId: true);
                return null;
            case var retriable when retriable.IsRetriable():
                _nextCallMs = now + _settings.RetryBackoffMs;
                return retriable.KafkaName();
            default:
                Fail(new KafkaException(error, $"The group '{_settings.GroupId}' refused the heartbeat of member '{MemberId}'."));
                return null;
        }
    }

    private string? OnTopics(IReadOnlyDictionary<string, int> counts, long now)
    {
        switch (_phase)
        {
            case Phase.Joining:
                _topics = Matches(counts);
                _nextCallMs = now;
                break;
            case Phase.Assigning:
                Assign(counts);
                _phase = Phase.Syncing;
                _nextCallMs = now;
                break;
            case Phase.Stable:
                if (_subscription?.Regex is not null && !Matches(counts).SequenceEqual(_topics ?? []))
                {
                    _topics = null;
                    Rejoin();
                }
                else if (_isLeader && _assignedCounts is not null && Changed(_assignedCounts, counts))
                {
                    // A subscribed topic appeared, went or grew: the leader starts a rebalance to assign it.
                    Rejoin();
                }
                break;
        }
        return null;
    }

    /// <summary>The leader's work: every member's share by the assignor the coordinator chose.</summary>
    private void Assign(IReadOnlyDictionary<string, int> counts)
    {
        var members = new List<AssignorMember>(_joinMembers.Count);
        foreach (var member in _joinMembers)
        {
            IReadOnlyList<string> topics;
            try
            {
                topics = ConsumerProtocol.DecodeSubscription(member.Metadata).Topics;
            }
            catch (KafkaException)
            {
                // A member whose subscription does not parse gets nothing rather than failing the whole group.
                topics = [];
            }
            members.Add(new AssignorMember(member.MemberId, member.GroupInstanceId, topics));
        }
        var groupTopics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal);
        _assignedCounts = groupTopics.ToDictionary(t => t, t => counts.GetValueOrDefault(t), StringComparer.Ordinal);
        var assignor = ClassicAssignors.Find(_protocolName) ?? ClassicAssignors.Find(_settings.Assignors[0])!;
        var assignment = assignor.Assign(members, _assignedCounts);
        var assignments = new List<SyncGroupAssignment>(assignment.Count);
        foreach (var (memberId, partitions) in assignment)
        {
            var encoded = partitions.ConvertAll(p => new Grains.TopicPartition(p.Topic, p.Partition));
            assignments.Add(new SyncGroupAssignment(memberId, ConsumerProtocol.EncodeAssignment(new ConsumerAssignment(encoded, null))));
        }
        _assignments = assignments;
    }

    private static bool Changed(IReadOnlyDictionary<string, int> assigned, IReadOnlyDictionary<string, int> now)
    {
        foreach (var (topic, count) in assigned)
        {
            if (now.GetValueOrDefault(topic) != count)
            {
                return true;
            }
        }
        return false;
    }

    private List<string> Matches(IReadOnlyDictionary<string, int> counts)
    {
        var regex = new Regex(_subscription!.Regex!, RegexOptions.None, TimeSpan.FromSeconds(1));
        return [.. counts.Keys.Where(t => regex.IsMatch(t)).Order(StringComparer.Ordinal)];
    }

    private JoinGroupRequest JoinRequest()
    {
        var subscription = ConsumerProtocol.EncodeSubscription(new ConsumerSubscription(_topics!, null, [], ConsumerSubscription.NoGeneration, null));
        var protocols = new List<Grains.GroupProtocol>(_settings.Assignors.Count);
        foreach (var assignor in _settings.Assignors)
        {
            protocols.Add(new Grains.GroupProtocol(assignor, subscription));
        }
        return new JoinGroupRequest(MemberId, _settings.GroupInstanceId, _settings.SessionTimeoutMs, _settings.MaxPollIntervalMs, ProtocolType, protocols,
            _settings.ClientId, _clientHost, null);
    }

    /// <summary>Gives everything back, then joins: the target empties and the join waits for the consuming thread.</summary>
    private void Rejoin()
    {
        if (Target is { Count: > 0 } || _owned.Count > 0)
        {
            Target = new HashSet<TopicPartition>();
            TargetVersion++;
            _phase = Phase.Revoking;
        }
        else
        {
            _phase = Phase.Joining;
            _nextCallMs = _clock.NowMs;
        }
    }

    private void JoinAgain(long now)
    {
        _phase = Phase.Joining;
        _nextCallMs = now;
    }

    /// <summary>The membership ended and its partitions are gone; the consuming thread is told when it owns any (or always).</summary>
    private void Lose(string reason, bool always, bool resetId)
    {
        End(resetId);
        _phase = Phase.Joining;
        _nextCallMs = _clock.NowMs;
        if (_owned.Count > 0 || always)
        {
            _changes.Enqueue(new PartitionsLost(reason));
            _awaitingRelease = true;
        }
    }

    private void Fail(KafkaException error)
    {
        End(resetId: true);
        _phase = Phase.Joining;
        _nextCallMs = _clock.NowMs;
        _changes.Enqueue(new MembershipFailed(error));
        _awaitingRelease = true;
    }

    private void End(bool resetId)
    {
        if (resetId)
        {
            MemberId = "";
        }
        Epoch = 0;
        _isLeader = false;
        _joinSent = false;
        _joinMembers = [];
        _assignments = [];
        _assignedCounts = null;
        Target = null;
        TargetVersion++;
    }
}
