using Orlog.Grains.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>How a classic consumer rebalances: eager (revoke all, then rejoin) or cooperative (KIP-429).</summary>
public enum RebalanceMode
{
    Eager,
    Cooperative,
}

/// <summary>
/// A Kafka consumer's side of the classic protocol, at the state machine's level: it joins (with the
/// MEMBER_ID_REQUIRED round trip), assigns when it leads (sticky and balanced; cooperative withholds
/// partitions another member still owns), syncs, heartbeats, rejoins when told, and tracks what it owns.
/// One <see cref="Step"/> is one poll: at most one request.
/// </summary>
internal sealed class ClassicTestConsumer
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;

    private Task<JoinGroupResponse>? _join;
    private Task<SyncGroupResponse>? _sync;
    private bool _rejoin = true;

    public ClassicTestConsumer(string clientId, RebalanceMode mode, IReadOnlyList<string> topics, string? instanceId = null)
    {
        ClientId = clientId;
        Mode = mode;
        Topics = topics;
        InstanceId = instanceId;
    }

    public string ClientId { get; }

    public RebalanceMode Mode { get; }

    public IReadOnlyList<string> Topics { get; }

    public string? InstanceId { get; }

    public string MemberId { get; private set; } = "";

    public int Generation { get; private set; } = -1;

    /// <summary>The partitions this consumer would consume now.</summary>
    public HashSet<TopicPartition> Owned { get; } = [];

    /// <summary>The generation whose assignment last confirmed <see cref="Owned"/>.</summary>
    public int OwnedGeneration { get; private set; } = -1;

    /// <summary>Stopped polling (a long GC pause, a hung thread): its session runs out.</summary>
    public bool Stalled { get; set; }

    /// <summary>Closed, or fenced by another consumer with its instance id: it does nothing more.</summary>
    public bool Stopped { get; private set; }

    public int Revoked { get; private set; }

    public bool IsStable => !Stopped && _join is null && _sync is null && !_rejoin && Generation > 0;

    public string ProtocolName => ClassicConsumerProtocol.ProtocolName(Mode);

    public override string ToString() =>
        $"{ClientId} member={MemberId} gen={Generation} owned@{OwnedGeneration}=[{string.Join(",", Owned.Order(PartitionOrder.Instance))}]" +
        $"{(_join is not null ? " joining" : "")}{(_sync is not null ? " syncing" : "")}{(_rejoin ? " rejoin" : "")}{(Stalled ? " stalled" : "")}{(Stopped ? " stopped" : "")}";

    public void Step(ClassicGroupMembership group, long nowMs, IReadOnlyDictionary<string, int> metadata)
    {
        if (Stopped || Stalled)
        {
            return;
        }
        if (_join is not null)
        {
            if (_join.IsCompleted)
            {
                OnJoined(group, nowMs, metadata);
            }
            return;
        }
        if (_sync is not null)
        {
            if (_sync.IsCompleted)
            {
                OnSynced();
            }
            return;
        }
        if (_rejoin)
        {
            SendJoin(group, nowMs);
            return;
        }
        OnError(group.Heartbeat(MemberId, Generation, InstanceId, nowMs));
    }

    /// <summary>A clean shutdown: give everything up and leave.</summary>
    public void Close(ClassicGroupMembership group, long nowMs)
    {
        Revoke(Owned.ToList());
        if (MemberId.Length > 0)
        {
            group.Leave([new LeavingMember(MemberId, InstanceId, "closing")], nowMs);
        }
        Stopped = true;
    }

    private void SendJoin(ClassicGroupMembership group, long nowMs)
    {
        _rejoin = false;
        if (Mode == RebalanceMode.Eager)
        {
            // Eager: give up everything before rejoining, so that no partition has two owners during the rebalance.
            Revoke(Owned.ToList());
        }
        var request = new JoinGroupRequest(MemberId, InstanceId, SessionMs, RebalanceMs, GroupProtocolTypes.Consumer,
            ClassicConsumerProtocol.Protocols(Mode, Topics, Owned, Generation), ClientId, "/127.0.0.1", null);
        _join = group.Join(request, nowMs);
    }

    private void OnJoined(ClassicGroupMembership group, long nowMs, IReadOnlyDictionary<string, int> metadata)
    {
        var response = _join!.Result;
        _join = null;
        switch (response.Error)
        {
            case ErrorCode.None:
                MemberId = response.MemberId;
                Generation = response.GenerationId;
                var assignments = response.Leader == MemberId && !response.SkipAssignment
                    ? ClassicConsumerProtocol.Assign(Mode, response.Members, ClassicConsumerProtocol.Subscriptions(response.Members), metadata)
                    : [];
                _sync = group.Sync(new SyncGroupRequest(MemberId, Generation, InstanceId, response.ProtocolType, response.ProtocolName, assignments), nowMs);
                break;
            case ErrorCode.MemberIdRequired:
                MemberId = response.MemberId;
                SendJoin(group, nowMs);
                break;
            default:
                OnError(response.Error);
                break;
        }
    }

    private void OnSynced()
    {
        var response = _sync!.Result;
        _sync = null;
        if (response.Error != ErrorCode.None)
        {
            OnError(response.Error);
            return;
        }
        var assigned = response.Assignment.Length == 0 ? [] : ConsumerProtocol.DecodeAssignment(response.Assignment).Partitions;
        var revoked = Owned.Except(assigned).ToList();
        Revoke(revoked);
        Owned.UnionWith(assigned);
        OwnedGeneration = Generation;
        if (Mode == RebalanceMode.Cooperative && revoked.Count > 0)
        {
            // KIP-429: what was revoked can be handed on only in another rebalance.
            _rejoin = true;
        }
    }

    private void OnError(ErrorCode error)
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
                Generation = -1;
                _rejoin = true;
                break;
            case ErrorCode.UnknownMemberId:
                LoseAll();
                Generation = -1;
                MemberId = "";
                _rejoin = true;
                break;
            case ErrorCode.FencedInstanceId:
                LoseAll();
                Stopped = true;
                break;
            default:
                throw new InvalidOperationException($"{this}: unexpected {error}");
        }
    }

    private void Revoke(List<TopicPartition> partitions)
    {
        Owned.ExceptWith(partitions);
        Revoked += partitions.Count;
    }

    private void LoseAll() => Owned.Clear();
}
