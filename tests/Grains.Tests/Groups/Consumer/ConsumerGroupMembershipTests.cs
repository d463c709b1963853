using Orlog.Grains.Groups.Consumer;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Tests.Groups.Consumer;

/// <summary>The server-side (KIP-848) state machine driven directly, with a manual clock and simulated members.</summary>
public sealed class ConsumerGroupMembershipTests
{
    internal static readonly GroupConfig Config = new(
        MinSessionTimeoutMs: 100, MaxSessionTimeoutMs: 60_000, InitialRebalanceDelayMs: 0, ConsumerHeartbeatIntervalMs: 5_000,
        MaxSize: 100, OffsetsRetentionMinutes: 10_080, OffsetsRetentionCheckIntervalMs: 600_000);

    private long _now = 1_000;

    [Fact]
    public void A_single_member_gets_every_partition_and_the_group_is_stable()
    {
        var group = NewGroup(("orders", 4));
        var member = new SimulatedMember(group, "a", ["orders"]);

        var response = member.Join(_now);

        Assert.Equal(ErrorCode.None, response.Error);
        Assert.True(response.MemberEpoch > 0);
        Assert.Equal(4, member.Owned.Count);
        Assert.Equal(GroupStates.Stable, group.State);
        // A third of the session, below group.consumer.heartbeat.interval.ms.
        Assert.Equal(333, response.HeartbeatIntervalMs);
    }

    [Fact]
    public void A_second_member_gets_partitions_only_after_the_first_let_them_go()
    {
        var group = NewGroup(("orders", 4));
        var a = new SimulatedMember(group, "a", ["orders"]);
        var b = new SimulatedMember(group, "b", ["orders"]);
        a.Join(_now);

        b.Join(_now);
        Assert.Empty(b.Owned);
        Assert.Equal(GroupStates.Reconciling, group.State);

        // The first member's heartbeat tells it to give up two partitions; it keeps the other two.
        var revoke = a.Heartbeat(_now, applyRevocations: false);
        Assert.NotNull(revoke.Assignment);
        Assert.Equal(2, revoke.Assignment!.Count);
        Assert.Equal(4, a.Owned.Count);

        // Until it reports them gone, nobody else gets them.
        b.Heartbeat(_now);
        Assert.Empty(b.Owned);
        AssertDisjoint(a, b);

        a.ApplyRevocations();
        a.Heartbeat(_now);
        b.Heartbeat(_now);
        Assert.Equal(2, a.Owned.Count);
        Assert.Equal(2, b.Owned.Count);
        AssertDisjoint(a, b);
        Assert.Equal(GroupStates.Stable, group.State);
    }

    [Fact]
    public void Members_with_news_are_the_one_that_must_give_up_and_then_the_one_that_may_take()
    {
        var group = NewGroup(("orders", 4));
        var a = new SimulatedMember(group, "a", ["orders"]);
        var b = new SimulatedMember(group, "b", ["orders"]);
        a.Join(_now);
        Assert.Empty(group.MembersWithNews());

        // b's join moves the target: a must give two up (b has just been answered: no news for it yet).
        b.Join(_now);
        Assert.Equal(["a"], group.MembersWithNews());
        a.Heartbeat(_now, applyRevocations: false);
        Assert.Empty(group.MembersWithNews());

        // a let go: now b may take them.
        a.ApplyRevocations();
        a.Heartbeat(_now);
        Assert.Equal(["b"], group.MembersWithNews());
        b.Heartbeat(_now);
        Assert.Empty(group.MembersWithNews());
        Assert.Equal(2, b.Owned.Count);
    }

    [Fact]
    public void A_leaving_member_s_partitions_go_to_the_others()
    {
        var group = NewGroup(("orders", 6));
        var members = Settle(group, "a", "b", "c");

        members[0].Leave(_now);
        Settle(group, members[1], members[2]);

        Assert.Equal(6, members[1].Owned.Count + members[2].Owned.Count);
        Assert.Equal(3, members[1].Owned.Count);
        AssertDisjoint(members[1], members[2]);
    }

    [Fact]
    public void A_member_that_stops_heartbeating_is_evicted_after_its_session()
    {
        var group = NewGroup(("orders", 4));
        var members = Settle(group, "a", "b");

        // Both heartbeat at 1000 (sessions of 1000 ms); only b goes on.
        _now += 500;
        members[1].Heartbeat(_now);
        Assert.False(group.Tick(1_999));
        Assert.True(group.Tick(2_000));

        Settle(group, members[1]);
        Assert.Equal(4, members[1].Owned.Count);
        Assert.Equal(ErrorCode.UnknownMemberId, members[0].Heartbeat(_now).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, group.ValidateCommit("a", members[0].Epoch, null));
    }

    [Fact]
    public void Commits_and_fetches_are_fenced_by_the_member_epoch()
    {
        var group = NewGroup(("orders", 2));
        var a = Settle(group, "a")[0];

        Assert.Equal(ErrorCode.None, group.ValidateCommit("a", a.Epoch, null));
        Assert.Equal(ErrorCode.StaleMemberEpoch, group.ValidateCommit("a", a.Epoch - 1, null));
        Assert.Equal(ErrorCode.FencedMemberEpoch, group.ValidateCommit("a", a.Epoch + 1, null));
        Assert.Equal(ErrorCode.UnknownMemberId, group.ValidateCommit("nobody", a.Epoch, null));
        Assert.Equal(ErrorCode.StaleMemberEpoch, group.ValidateFetch("a", a.Epoch - 1));
    }

    [Fact]
    public void A_heartbeat_at_a_wrong_epoch_fences_the_member()
    {
        var group = NewGroup(("orders", 2));
        Settle(group, "a");

        var response = group.Heartbeat(Request("a", 99, owned: []), _now);

        Assert.Equal(ErrorCode.FencedMemberEpoch, response.Error);
        Assert.True(group.IsEmpty);
    }

    [Fact]
    public void A_static_member_that_leaves_for_a_while_gets_its_partitions_back_without_a_rebalance()
    {
        var group = NewGroup(("orders", 4));
        var a = new SimulatedMember(group, "a1", ["orders"], instanceId: "host-a");
        var b = new SimulatedMember(group, "b", ["orders"]);
        Settle(group, a, b);
        var owned = a.Owned.ToHashSet();
        var epoch = group.Epoch;

        Assert.Equal(ErrorCode.None, group.Heartbeat(Request("a1", GroupHeartbeatRequest.StaticLeaveEpoch, owned: [.. owned], instanceId: "host-a"), _now).Error);
        b.Heartbeat(_now);
        Assert.Equal(2, b.Owned.Count);

        var back = new SimulatedMember(group, "a2", ["orders"], instanceId: "host-a");
        var response = back.Join(_now);

        Assert.Equal(ErrorCode.None, response.Error);
        Assert.Equal(owned, back.Owned);
        Assert.Equal(epoch, group.Epoch);
        Assert.Equal(ErrorCode.UnknownMemberId, group.ValidateCommit("a1", response.MemberEpoch, null));
    }

    [Fact]
    public void A_regex_subscription_picks_up_a_new_matching_topic()
    {
        var group = NewGroup(("logs-a", 2));
        var member = new SimulatedMember(group, "a", null, regex: "logs-.*");
        member.Join(_now);
        Assert.Equal(2, member.Owned.Count);

        group.OnMetadata(Counts(("logs-a", 2), ("logs-b", 3), ("other", 5)), _now);
        member.Heartbeat(_now);

        Assert.Equal(5, member.Owned.Count);
        Assert.DoesNotContain(member.Owned, p => p.Topic == "other");
    }

    [Fact]
    public void More_partitions_and_a_deleted_topic_change_the_assignment()
    {
        var group = NewGroup(("a", 2), ("b", 2));
        var member = new SimulatedMember(group, "m", ["a", "b"]);
        member.Join(_now);
        var epoch = group.Epoch;

        group.OnMetadata(Counts(("a", 4), ("b", 2)), _now);
        Assert.True(group.Epoch > epoch);
        member.Heartbeat(_now);
        Assert.Equal(6, member.Owned.Count);

        group.OnMetadata(Counts(("a", 4)), _now);
        member.Heartbeat(_now, applyRevocations: true);
        member.Heartbeat(_now);
        Assert.Equal(4, member.Owned.Count);
        Assert.All(member.Owned, p => Assert.Equal("a", p.Topic));
    }

    [Fact]
    public void A_member_that_does_not_give_up_partitions_within_its_rebalance_timeout_is_fenced()
    {
        var group = NewGroup(("orders", 4));
        var a = new SimulatedMember(group, "a", ["orders"]) { RebalanceTimeoutMs = 2_000 };
        var b = new SimulatedMember(group, "b", ["orders"]);
        a.Join(_now);
        b.Join(_now);
        a.Heartbeat(_now, applyRevocations: false);

        _now += 1_000;
        a.Heartbeat(_now, applyRevocations: false);
        b.Heartbeat(_now);
        Assert.False(group.Tick(_now));
        _now += 1_000;
        b.Heartbeat(_now);
        Assert.True(group.Tick(_now));

        b.Heartbeat(_now);
        Assert.Equal(4, b.Owned.Count);
    }

    [Theory]
    [InlineData(50, ErrorCode.InvalidSessionTimeout)]
    [InlineData(60_001, ErrorCode.InvalidSessionTimeout)]
    public void A_session_timeout_outside_the_broker_s_range_is_refused(int sessionTimeoutMs, ErrorCode expected)
    {
        var group = NewGroup(("orders", 1));

        var response = group.Heartbeat(Request("a", 0, topics: ["orders"], sessionTimeoutMs: sessionTimeoutMs), _now);

        Assert.Equal(expected, response.Error);
        Assert.Contains("group.min.session.timeout.ms", response.ErrorMessage, StringComparison.Ordinal);
        Assert.True(group.IsEmpty);
    }

    [Fact]
    public void Bad_joins_are_refused_with_kafka_s_errors()
    {
        var group = NewGroup(("orders", 1));

        Assert.Equal(ErrorCode.UnsupportedAssignor, group.Heartbeat(Request("a", 0, topics: ["orders"], assignor: "roundrobin"), _now).Error);
        Assert.Equal(ErrorCode.InvalidRegularExpression, group.Heartbeat(Request("a", 0, regex: "orders(["), _now).Error);
        Assert.Equal(ErrorCode.InvalidRequest, group.Heartbeat(Request("a", 0), _now).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, group.Heartbeat(Request("a", 3, owned: []), _now).Error);
        Assert.True(group.IsEmpty);
    }

    [Fact]
    public void The_range_assignor_is_used_when_members_ask_for_it()
    {
        var group = NewGroup(("a", 3), ("b", 3));
        var x = new SimulatedMember(group, "x", ["a", "b"]) { Assignor = "range" };
        var y = new SimulatedMember(group, "y", ["a", "b"]) { Assignor = "range" };
        Settle(group, x, y);

        Assert.Equal("range", group.ProtocolName);
        // Co-partitioned: the same partition numbers of both topics go to the same member.
        Assert.Equal(x.Owned.Where(p => p.Topic == "a").Select(p => p.Partition).Order(), x.Owned.Where(p => p.Topic == "b").Select(p => p.Partition).Order());
    }

    [Fact]
    public void Random_joins_leaves_and_kills_never_give_a_partition_two_owners_and_settle_balanced()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var random = new Random(seed);
            var group = NewGroup(("t", 24));
            var live = new List<SimulatedMember>();
            var next = 0;
            for (var step = 0; step < 200; step++)
            {
                _now += 10;
                var action = random.Next(10);
                if ((action == 0 && live.Count < 8) || live.Count == 0)
                {
                    var member = new SimulatedMember(group, $"m{next++}", ["t"]);
                    member.Join(_now);
                    live.Add(member);
                }
                else if (action == 1)
                {
                    var member = live[random.Next(live.Count)];
                    member.ApplyRevocations();
                    member.Leave(_now);
                    live.Remove(member);
                }
                else if (action == 2)
                {
                    // Killed: it never heartbeats again; its session ends.
                    var member = live[random.Next(live.Count)];
                    live.Remove(member);
                    _now += member.SessionTimeoutMs;
                    foreach (var other in live)
                    {
                        other.Heartbeat(_now - member.SessionTimeoutMs + 1);
                    }
                    group.Tick(_now);
                }
                else
                {
                    var member = live[random.Next(live.Count)];
                    member.Heartbeat(_now, applyRevocations: random.Next(2) == 0);
                }
                AssertDisjoint([.. live]);
            }
            if (live.Count == 0)
            {
                continue;
            }
            Settle(group, [.. live]);
            Assert.Equal(24, live.Sum(m => m.Owned.Count));
            Assert.True(live.Max(m => m.Owned.Count) - live.Min(m => m.Owned.Count) <= 1, $"seed {seed}: unbalanced");
            Assert.Equal(GroupStates.Stable, group.State);
        }
    }

    [Fact]
    public void A_restored_coordinator_keeps_every_member_its_epoch_and_its_partitions()
    {
        var group = NewGroup(("orders", 6));
        var members = Settle(group, "a", "b", "c");
        var owned = members.Select(m => m.Owned.ToHashSet()).ToList();
        var epochs = members.Select(m => m.Epoch).ToList();

        // The coordinator's silo stops; a new activation takes the snapshot back a while later.
        var snapshot = group.Snapshot();
        _now += 500;
        var restored = ConsumerGroupMembership.Restore("g", Config, snapshot, new Dictionary<string, int> { ["orders"] = 6 }, _now);
        Assert.True(ConsumerGroupMembership.SameSnapshot(snapshot, restored.Snapshot()));
        Assert.Equal((group.Epoch, GroupStates.Stable), (restored.Epoch, restored.State));

        // Every member heartbeats at the epoch it had: no rejoin, no rebalance, the same partitions.
        for (var i = 0; i < members.Count; i++)
        {
            members[i].Group = restored;
            var response = members[i].Heartbeat(_now);
            Assert.Equal(ErrorCode.None, response.Error);
            Assert.Equal(epochs[i], members[i].Epoch);
            Assert.Equal(owned[i], members[i].Owned);
        }
        Assert.Equal(group.Epoch, restored.Epoch);

        // Restored members get a full session from the restore, and then expire as any member does.
        Assert.False(restored.Tick(_now + 999));
        Assert.True(restored.Tick(_now + 1_000 + 1_000));
        Assert.True(restored.IsEmpty);
    }

    private ConsumerGroupMembership NewGroup(params (string Topic, int Partitions)[] topics)
    {
        var group = new ConsumerGroupMembership("g", Config, 0);
        group.OnMetadata(Counts(topics), _now);
        return group;
    }

    private List<SimulatedMember> Settle(ConsumerGroupMembership group, params string[] ids)
    {
        var members = ids.Select(id => new SimulatedMember(group, id, ["orders"])).ToList();
        Settle(group, [.. members]);
        return members;
    }

    private void Settle(ConsumerGroupMembership group, params SimulatedMember[] members)
    {
        foreach (var member in members.Where(m => m.Epoch == 0))
        {
            member.Join(_now);
        }
        for (var round = 0; round < 10 && group.State != GroupStates.Stable; round++)
        {
            foreach (var member in members)
            {
                member.Heartbeat(_now);
            }
        }
        foreach (var member in members)
        {
            member.Heartbeat(_now);
        }
        Assert.Equal(GroupStates.Stable, group.State);
    }

    internal static Dictionary<string, int> Counts(params (string Topic, int Partitions)[] topics) =>
        topics.ToDictionary(t => t.Topic, t => t.Partitions, StringComparer.Ordinal);

    private static void AssertDisjoint(params SimulatedMember[] members)
    {
        var seen = new Dictionary<TopicPartition, string>();
        foreach (var member in members)
        {
            foreach (var partition in member.Owned)
            {
                Assert.True(seen.TryAdd(partition, member.MemberId), $"{partition} is owned by {seen.GetValueOrDefault(partition)} and {member.MemberId}");
            }
        }
    }

    internal static GroupHeartbeatRequest Request(string memberId, int epoch, IReadOnlyList<string>? topics = null, string? regex = null,
        IReadOnlyList<TopicPartition>? owned = null, string? instanceId = null, int sessionTimeoutMs = 1_000, string? assignor = null, int rebalanceTimeoutMs = 60_000) =>
        new(memberId, epoch, instanceId, rebalanceTimeoutMs, sessionTimeoutMs, topics, regex, assignor, owned, "client-" + memberId, "127.0.0.1");

    /// <summary>A member's client side: what it owns, applying assignments as Kafka's consumer does.</summary>
    private sealed class SimulatedMember(ConsumerGroupMembership group, string memberId, IReadOnlyList<string>? topics, string? instanceId = null, string? regex = null)
    {
        private IReadOnlyList<TopicPartition>? _pending;

        /// <summary>The coordinator the member talks to (a restored one after the coordinator moved).</summary>
        public ConsumerGroupMembership Group { get; set; } = group;

        public string MemberId { get; private set; } = memberId;

        public int Epoch { get; private set; }

        public HashSet<TopicPartition> Owned { get; } = [];

        public int SessionTimeoutMs { get; } = 1_000;

        public int RebalanceTimeoutMs { get; init; } = 60_000;

        public string? Assignor { get; init; }

        public GroupHeartbeatResponse Join(long now) =>
            Apply(Group.Heartbeat(Request(MemberId, 0, topics, regex, [], instanceId, SessionTimeoutMs, Assignor, RebalanceTimeoutMs), now), applyRevocations: true);

        public GroupHeartbeatResponse Heartbeat(long now, bool applyRevocations = true) =>
            Apply(Group.Heartbeat(Request(MemberId, Epoch, owned: [.. Owned], sessionTimeoutMs: SessionTimeoutMs, rebalanceTimeoutMs: RebalanceTimeoutMs), now), applyRevocations);

        public void Leave(long now)
        {
            Assert.Equal(ErrorCode.None, Group.Heartbeat(Request(MemberId, GroupHeartbeatRequest.LeaveEpoch, owned: [.. Owned]), now).Error);
            Owned.Clear();
        }

        /// <summary>Gives up what the last assignment left out (the application finished with those partitions).</summary>
        public void ApplyRevocations()
        {
            if (_pending is not null)
            {
                Owned.IntersectWith(_pending);
            }
        }

        private GroupHeartbeatResponse Apply(GroupHeartbeatResponse response, bool applyRevocations)
        {
            if (response.Error != ErrorCode.None)
            {
                return response;
            }
            MemberId = response.MemberId;
            Epoch = response.MemberEpoch;
            if (response.Assignment is { } assignment)
            {
                _pending = assignment;
                // New partitions are taken at once; revoked ones only when the application is done with them.
                Owned.UnionWith(assignment);
            }
            if (applyRevocations)
            {
                ApplyRevocations();
            }
            return response;
        }
    }
}
