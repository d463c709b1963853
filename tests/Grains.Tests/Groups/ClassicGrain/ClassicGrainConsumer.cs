using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Tests.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.ClassicGrain;

/// <summary>
/// A Kafka consumer's side of the classic protocol against the real group grain, as its own async loop
/// (the grain-level sibling of <see cref="ClassicTestConsumer"/>): it joins with the MEMBER_ID_REQUIRED round
/// trip, assigns when it leads (uniform, sticky and balanced; cooperative withholds partitions another member
/// still owns), syncs, heartbeats every <see cref="HeartbeatIntervalMs"/>, rejoins when told, and reports
/// every change of what it owns to the <see cref="OwnershipLog"/>. Eager revokes everything before it
/// rejoins; cooperative (KIP-429) keeps what it still has and rejoins after revoking anything.
/// </summary>
internal sealed class ClassicGrainConsumer
{
    public const int HeartbeatIntervalMs = 50;

    private readonly IConsumerGroupGrain _group;
    private readonly IControllerGrain _controller;
    private readonly OwnershipLog _log;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<TopicPartition> _owned = [];
    private Task _loop = Task.CompletedTask;
    private string _memberId = "";
    private int _generation = -1;
    private int _ownedGeneration = -1;
    private bool _rejoin = true;
    private bool _rebalancing;
    private bool _stopped;
    private int _joins;
    private bool _leads;
    private bool _skippedAssignment;

    public ClassicGrainConsumer(IConsumerGroupGrain group, IControllerGrain controller, OwnershipLog log, string name, RebalanceMode mode, IReadOnlyList<string> topics, string? instanceId = null)
    {
        _group = group;
        _controller = controller;
        _log = log;
        Name = name;
        Mode = mode;
        Topics = topics;
        InstanceId = instanceId;
    }

    /// <summary>Unique among the consumers of a test: the client id, and the name in the ownership log.</summary>
    public string Name { get; }

    public RebalanceMode Mode { get; }

    public IReadOnlyList<string> Topics { get; }

    public string? InstanceId { get; }

    public int SessionTimeoutMs { get; init; } = 3_000;

    public int RebalanceTimeoutMs { get; init; } = 10_000;

    /// <summary>Awaited after a successful JoinGroup, before SyncGroup: lets a test hold the group in CompletingRebalance.</summary>
    public Func<Task>? BeforeSync { get; set; }

    public string ProtocolName => ClassicConsumerProtocol.ProtocolName(Mode);

    public ConsumerSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new ConsumerSnapshot(Name, _memberId, _generation, _ownedGeneration, _owned.ToHashSet(),
                !_stopped && !_rejoin && !_rebalancing && _generation > 0, _joins, _leads, _skippedAssignment);
        }
    }

    public override string ToString() => Snapshot().ToString();

    public void Start()
    {
        _log.Record(Name, -1, [], running: true);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Stops polling and heartbeating but still believes it owns its partitions (a zombie: a long pause, a hung thread).</summary>
    public async Task StallAsync()
    {
        await StopLoopAsync();
        lock (_lock)
        {
            _log.Record(Name, _ownedGeneration, _owned, running: false);
        }
    }

    /// <summary>The process dies: it consumes nothing more and sends nothing more (no LeaveGroup).</summary>
    public async Task KillAsync()
    {
        await StopLoopAsync();
        lock (_lock)
        {
            _owned.Clear();
            _log.Record(Name, _ownedGeneration, _owned, running: false);
        }
    }

    /// <summary>A clean shutdown: revoke everything, then leave the group.</summary>
    public async Task CloseAsync()
    {
        await StopLoopAsync();
        string memberId;
        lock (_lock)
        {
            _owned.Clear();
            _log.Record(Name, _ownedGeneration, _owned, running: false);
            memberId = _memberId;
        }
        if (memberId.Length > 0)
        {
            var left = Assert.Single(await _group.LeaveGroup([new LeavingMember(memberId, InstanceId, "closing")]));
            Assert.Equal(ErrorCode.None, left.Error);
        }
    }

    private async Task StopLoopAsync()
    {
        lock (_lock)
        {
            _stopped = true;
        }
        await _stop.CancelAsync();
        await _loop;
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                bool rejoin;
                string memberId;
                int generation;
                lock (_lock)
                {
                    if (_stopped)
                    {
                        return;
                    }
                    (rejoin, memberId, generation) = (_rejoin, _memberId, _generation);
                }
                if (rejoin)
                {
                    await JoinAndSyncAsync(cancellation);
                    continue;
                }
                await Task.Delay(HeartbeatIntervalMs, cancellation);
                var error = await _group.ClassicHeartbeat(memberId, generation, InstanceId).WaitAsync(cancellation);
                lock (_lock)
                {
                    OnError(error, "Heartbeat");
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Stopped by the test; a call in flight is abandoned, as a dying process abandons it.
        }
        catch (Exception error)
        {
            _log.Problem($"{Name} failed: {error}");
        }
    }

    private async Task JoinAndSyncAsync(CancellationToken cancellation)
    {
        JoinGroupResponse joined;
        while (true)
        {
            JoinGroupRequest request;
            lock (_lock)
            {
                _rejoin = false;
                _rebalancing = true;
                if (Mode == RebalanceMode.Eager && _owned.Count > 0)
                {
                    // Eager: give up everything before rejoining, so no partition has two owners during the rebalance.
                    _owned.Clear();
                    _log.Record(Name, _ownedGeneration, _owned, running: true);
                }
                request = new JoinGroupRequest(_memberId, InstanceId, SessionTimeoutMs, RebalanceTimeoutMs, GroupProtocolTypes.Consumer,
                    ClassicConsumerProtocol.Protocols(Mode, Topics, _owned, _ownedGeneration), Name, "/127.0.0.1", null);
            }
            joined = await _group.JoinGroup(request).WaitAsync(cancellation);
            if (joined.Error != ErrorCode.MemberIdRequired)
            {
                break;
            }
            lock (_lock)
            {
                _memberId = joined.MemberId;
            }
        }
        lock (_lock)
        {
            if (joined.Error != ErrorCode.None)
            {
                _rebalancing = false;
                OnError(joined.Error, "JoinGroup");
                return;
            }
            _memberId = joined.MemberId;
            _generation = joined.GenerationId;
            _joins++;
            _leads = joined.Leader == joined.MemberId;
            _skippedAssignment = joined.SkipAssignment;
        }

        var assignments = joined.Leader == joined.MemberId && !joined.SkipAssignment ? await AssignAsync(joined.Members) : [];
        if (BeforeSync is { } gate)
        {
            await gate().WaitAsync(cancellation);
        }
        var synced = await _group.SyncGroup(new SyncGroupRequest(joined.MemberId, joined.GenerationId, InstanceId, joined.ProtocolType, joined.ProtocolName, assignments))
            .WaitAsync(cancellation);
        lock (_lock)
        {
            _rebalancing = false;
            if (synced.Error != ErrorCode.None)
            {
                OnError(synced.Error, "SyncGroup");
                return;
            }
            var assigned = synced.Assignment.Length == 0 ? [] : ConsumerProtocol.DecodeAssignment(synced.Assignment).Partitions;
            var revoked = _owned.Except(assigned).Count();
            _owned.Clear();
            _owned.UnionWith(assigned);
            _ownedGeneration = joined.GenerationId;
            _log.Record(Name, _ownedGeneration, _owned, running: true);
            if (Mode == RebalanceMode.Cooperative && revoked > 0)
            {
                // KIP-429: what was revoked can be handed on only in another rebalance, which this rejoin starts.
                _rejoin = true;
            }
        }
    }

    /// <summary>Kafka's consumer reaction to an error (the caller holds the lock).</summary>
    private void OnError(ErrorCode error, string call)
    {
        switch (error)
        {
            case ErrorCode.None:
                break;
            case ErrorCode.RebalanceInProgress:
                _rejoin = true;
                break;
            case ErrorCode.IllegalGeneration:
                LoseAll();
                _generation = -1;
                _rejoin = true;
                break;
            case ErrorCode.UnknownMemberId:
                LoseAll();
                _generation = -1;
                _memberId = "";
                _rejoin = true;
                break;
            case ErrorCode.FencedInstanceId:
                LoseAll();
                _stopped = true;
                break;
            default:
                _log.Problem($"{Name}: {call} answered {error}");
                _stopped = true;
                break;
        }
    }

    private void LoseAll()
    {
        _owned.Clear();
        _ownedGeneration = -1;
        _log.Record(Name, _ownedGeneration, _owned, running: true);
    }

    /// <summary>The leader's client-side assignment, over the subscribed topics as the controller knows them now.</summary>
    private async Task<List<SyncGroupAssignment>> AssignAsync(IReadOnlyList<JoinGroupMember> members)
    {
        var subscriptions = ClassicConsumerProtocol.Subscriptions(members);
        var topics = subscriptions.Values.SelectMany(s => s.Topics).Distinct().ToList();
        var metadata = (await _controller.GetTopics(topics)).ToDictionary(t => t.Name, t => t.Partitions.Count);
        return ClassicConsumerProtocol.Assign(Mode, members, subscriptions, metadata);
    }
}
