using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>A classic group state machine with a manual clock, ticked every 100 ms as the grain does, and request builders.</summary>
internal sealed class ClassicGroupHarness
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;
    public const int TickMs = 100;

    public ClassicGroupHarness(int initialDelayMs = 0, int maxSize = int.MaxValue, string groupId = "g")
    {
        Group = new ClassicGroupMembership(groupId, Config(initialDelayMs, maxSize));
    }

    public ClassicGroupMembership Group { get; }

    public long Now { get; private set; } = 1_000_000;

    public static GroupConfig Config(int initialDelayMs = 0, int maxSize = int.MaxValue) =>
        new(MinSessionTimeoutMs: 6000, MaxSessionTimeoutMs: 1_800_000, InitialRebalanceDelayMs: initialDelayMs,
            ConsumerHeartbeatIntervalMs: 5000, MaxSize: maxSize, OffsetsRetentionMinutes: 10080, OffsetsRetentionCheckIntervalMs: 600_000);

    /// <summary>Moves the clock, ticking the group every 100 ms on the way.</summary>
    public void Advance(long ms)
    {
        var end = Now + ms;
        while (Now < end)
        {
            Now = Math.Min(Now + TickMs, end);
            Group.Tick(Now);
        }
    }

    public static byte[] Subscription(params string[] topics) =>
        ConsumerProtocol.EncodeSubscription(new ConsumerSubscription(topics, null, [], -1, null));

    public static GroupProtocol Protocol(string name, params string[] topics) => new(name, Subscription(topics));

    public static JoinGroupRequest JoinRequest(
        string memberId,
        string clientId = "client",
        string? instanceId = null,
        int sessionMs = SessionMs,
        int rebalanceMs = RebalanceMs,
        string protocolType = "consumer",
        params GroupProtocol[] protocols) =>
        new(memberId, instanceId, sessionMs, rebalanceMs, protocolType,
            protocols.Length > 0 ? protocols : [Protocol("range", "t")], clientId, "/10.0.0.1", null);

    public Task<JoinGroupResponse> Join(JoinGroupRequest request) => Group.Join(request, Now);

    /// <summary>The KIP-394 round trip: an empty member id comes back with MEMBER_ID_REQUIRED and the id to use.</summary>
    public string NewMemberId(string clientId = "client")
    {
        var response = Completed(Join(JoinRequest("", clientId)));
        Assert.Equal(ErrorCode.MemberIdRequired, response.Error);
        return response.MemberId;
    }

    /// <summary>
    /// New dynamic members: all get their member ids first (MEMBER_ID_REQUIRED), then all join, so that one
    /// rebalance takes them all (the group waits for joiners it handed an id).
    /// </summary>
    public List<(string MemberId, Task<JoinGroupResponse> Join)> JoinNew(int count, params GroupProtocol[] protocols)
    {
        var ids = Enumerable.Range(0, count).Select(i => NewMemberId($"client{i}")).ToList();
        return ids.Select((id, i) => (id, Join(JoinRequest(id, $"client{i}", protocols: protocols)))).ToList();
    }

    public Task<SyncGroupResponse> Sync(string memberId, int generation, string? instanceId = null, IReadOnlyList<SyncGroupAssignment>? assignments = null, string? protocolName = null) =>
        Group.Sync(new SyncGroupRequest(memberId, generation, instanceId, Group.ProtocolType, protocolName ?? Group.ProtocolName, assignments ?? []), Now);

    public ErrorCode Heartbeat(string memberId, int generation, string? instanceId = null) => Group.Heartbeat(memberId, generation, instanceId, Now);

    public IReadOnlyList<LeaveGroupResult> Leave(string memberId, string? instanceId = null) => Group.Leave([new LeavingMember(memberId, instanceId, "test")], Now);

    /// <summary>Brings members that all joined to Stable: the leader assigns <c>bytes(i)</c> to the i-th member.</summary>
    public int SyncAll(IReadOnlyList<string> memberIds, string leader, int generation, Func<string, byte[]>? assign = null)
    {
        assign ??= id => System.Text.Encoding.UTF8.GetBytes("for " + id);
        var followers = memberIds.Where(id => id != leader).Select(id => (id, Sync(id, generation))).ToList();
        foreach (var (id, sync) in followers)
        {
            Assert.False(sync.IsCompleted, $"{id}'s sync answered before the leader's");
        }
        var leaderSync = Sync(leader, generation, assignments: memberIds.Select(id => new SyncGroupAssignment(id, assign(id))).ToList());
        Assert.Equal(assign(leader), Completed(leaderSync).Assignment);
        foreach (var (id, sync) in followers)
        {
            var response = Completed(sync);
            Assert.Equal(ErrorCode.None, response.Error);
            Assert.Equal(assign(id), response.Assignment);
        }
        Assert.Equal(GroupStates.Stable, Group.State);
        return generation;
    }

    /// <summary>Every member joins; the group reaches Stable. Returns the member ids in join order and the leader.</summary>
    public (List<string> Members, string Leader, int Generation) Stable(int count, params GroupProtocol[] protocols)
    {
        var joins = JoinNew(count, protocols);
        var responses = joins.Select(j => Completed(j.Join)).ToList();
        var generation = responses[0].GenerationId;
        var leader = responses[0].Leader;
        SyncAll(joins.Select(j => j.MemberId).ToList(), leader, generation);
        return (joins.Select(j => j.MemberId).ToList(), leader, generation);
    }

    public static T Completed<T>(Task<T> task)
    {
        Assert.True(task.IsCompleted, "the call is still pending");
        return task.Result;
    }
}
