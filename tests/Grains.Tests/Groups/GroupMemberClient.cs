namespace Orlog.Grains.Tests.Groups;

/// <summary>
/// Plays a server-side (KIP-848) member against the group grain as Orlog's SDK does: takes newly assigned
/// partitions at once and gives up revoked ones (the application being done with them) before reporting.
/// </summary>
internal sealed class GroupMemberClient(IConsumerGroupGrain group, string memberId, IReadOnlyList<string>? topics, string? regex = null, string? instanceId = null)
{
    public string MemberId { get; private set; } = memberId;

    public int Epoch { get; private set; }

    public int HeartbeatIntervalMs { get; private set; } = 100;

    public int SessionTimeoutMs { get; init; } = 10_000;

    public string? Assignor { get; init; }

    public HashSet<TopicPartition> Owned { get; } = [];

    public async Task<GroupHeartbeatResponse> JoinAsync()
    {
        Epoch = 0;
        Owned.Clear();
        return Apply(await group.Heartbeat(new GroupHeartbeatRequest(MemberId, 0, instanceId, 30_000, SessionTimeoutMs, topics, regex, Assignor, [], "client-" + MemberId, "127.0.0.1")));
    }

    public async Task<GroupHeartbeatResponse> HeartbeatAsync() =>
        Apply(await group.Heartbeat(new GroupHeartbeatRequest(MemberId, Epoch, instanceId, 30_000, SessionTimeoutMs, null, null, null, [.. Owned], "client-" + MemberId, "127.0.0.1")));

    public async Task LeaveAsync()
    {
        var response = await group.Heartbeat(new GroupHeartbeatRequest(MemberId, GroupHeartbeatRequest.LeaveEpoch, instanceId, 30_000, SessionTimeoutMs, null, null, null, [.. Owned], "client-" + MemberId, "127.0.0.1"));
        Assert.Equal(ErrorCode.None, response.Error);
        Owned.Clear();
    }

    private GroupHeartbeatResponse Apply(GroupHeartbeatResponse response)
    {
        if (response.Error is ErrorCode.UnknownMemberId or ErrorCode.FencedMemberEpoch)
        {
            // Lost: a real consumer drops everything and rejoins.
            Owned.Clear();
            return response;
        }
        if (response.Error != ErrorCode.None)
        {
            return response;
        }
        MemberId = response.MemberId;
        Epoch = response.MemberEpoch;
        HeartbeatIntervalMs = response.HeartbeatIntervalMs;
        if (response.Assignment is { } assignment)
        {
            Owned.Clear();
            Owned.UnionWith(assignment);
        }
        return response;
    }
}
