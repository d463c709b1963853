using static Orlog.Grains.Tests.Groups.Classic.ClassicGroupHarness;

namespace Orlog.Grains.Tests.Groups.Classic;

public sealed class ClassicJoinTests
{
    [Fact]
    public void AnEmptyMemberIdGetsMemberIdRequiredWithANewId()
    {
        var h = new ClassicGroupHarness();
        var response = Completed(h.Join(JoinRequest("", clientId: "app")));

        Assert.Equal(ErrorCode.MemberIdRequired, response.Error);
        Assert.StartsWith("app-", response.MemberId);
        Assert.True(Guid.TryParse(response.MemberId["app-".Length..], out _), response.MemberId);
        Assert.Equal(-1, response.GenerationId);
        Assert.Empty(response.Members);
        Assert.True(h.Group.IsEmpty);
        Assert.Equal(GroupStates.Empty, h.Group.State);
        Assert.Equal(GroupDialects.Classic, h.Group.Dialect);
        Assert.NotEqual(response.MemberId, h.NewMemberId("app"));
    }

    [Fact]
    public void TheFirstMemberLeadsGenerationOne()
    {
        var h = new ClassicGroupHarness();
        var id = h.NewMemberId();
        var response = Completed(h.Join(JoinRequest(id)));

        Assert.Equal(ErrorCode.None, response.Error);
        Assert.Equal(1, response.GenerationId);
        Assert.Equal(id, response.MemberId);
        Assert.Equal(id, response.Leader);
        Assert.Equal("consumer", response.ProtocolType);
        Assert.Equal("range", response.ProtocolName);
        Assert.Equal(id, Assert.Single(response.Members).MemberId);
        Assert.Equal(GroupStates.CompletingRebalance, h.Group.State);
        Assert.Equal(1, h.Group.Epoch);
        Assert.Equal(id, h.Group.Leader);

        h.SyncAll([id], id, 1);
        Assert.Equal(GroupStates.Stable, h.Group.State);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void MembersJoiningTogetherFormOneGenerationLedByTheFirst(int count)
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(count);
        var responses = joins.Select(j => Completed(j.Join)).ToList();
        var first = joins[0].MemberId;

        Assert.All(responses, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.All(responses, r => Assert.Equal(1, r.GenerationId));
        Assert.All(responses, r => Assert.Equal(first, r.Leader));
        // The leader sees every member with its metadata; the others see nobody.
        Assert.Equal(joins.Select(j => j.MemberId), responses[0].Members.Select(m => m.MemberId));
        Assert.All(responses[0].Members, m => Assert.Equal(Subscription("t"), m.Metadata));
        Assert.All(responses.Skip(1), r => Assert.Empty(r.Members));

        h.SyncAll(joins.Select(j => j.MemberId).ToList(), first, 1);
        Assert.Equal(count, h.Group.DescribeMembers().Count);
    }

    [Fact]
    public void WhileRebalancingTheGroupWaitsForEveryKnownMember()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(3);
        var newcomer = h.NewMemberId("late");
        var join = h.Join(JoinRequest(newcomer, "late"));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);

        var rejoins = new List<Task<JoinGroupResponse>>();
        foreach (var member in members)
        {
            Assert.False(join.IsCompleted);
            Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(member, generation));
            rejoins.Add(h.Join(JoinRequest(member)));
        }
        Assert.Equal(generation + 1, Completed(join).GenerationId);
        Assert.Equal(leader, Completed(join).Leader);
        Assert.Equal(4, Completed(rejoins[0]).Members.Count);
    }

    [Fact]
    public void AnUnknownMemberIdIsRefused()
    {
        var h = new ClassicGroupHarness();
        var response = Completed(h.Join(JoinRequest("made-up")));
        Assert.Equal(ErrorCode.UnknownMemberId, response.Error);
        Assert.Equal("made-up", response.MemberId);
        Assert.True(h.Group.IsEmpty);
    }

    [Fact]
    public void AnUnusedMemberIdExpiresWithTheSessionTimeout()
    {
        var h = new ClassicGroupHarness();
        var id = h.NewMemberId();
        h.Advance(SessionMs);
        Assert.Equal(ErrorCode.UnknownMemberId, Completed(h.Join(JoinRequest(id))).Error);
    }

    [Theory]
    [InlineData(5999)]
    [InlineData(1_800_001)]
    public void ASessionTimeoutOutsideTheBrokersRangeIsRefused(int sessionMs)
    {
        var h = new ClassicGroupHarness();
        var response = Completed(h.Join(JoinRequest("", sessionMs: sessionMs)));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, response.Error);
        Assert.Contains("group.min.session.timeout.ms", response.ErrorMessage);
    }

    [Fact]
    public void TheProtocolTypeMustBeTheGroups()
    {
        var h = new ClassicGroupHarness();
        h.Stable(1);
        var id = h.NewMemberId();
        var response = Completed(h.Join(JoinRequest(id, protocolType: "connect")));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, response.Error);
        Assert.Contains("'connect'", response.ErrorMessage);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Completed(h.Join(JoinRequest("", protocolType: "connect"))).Error);
    }

    [Fact]
    public void AJoinerMustShareAProtocolWithEveryMember()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(2, Protocol("range", "t"), Protocol("roundrobin", "t"));
        Completed(joins[1].Join);
        var third = h.NewMemberId();

        var none = Completed(h.Join(JoinRequest(third, protocols: Protocol("sticky", "t"))));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, none.Error);

        var shared = h.Join(JoinRequest(third, protocols: [Protocol("sticky", "t"), Protocol("roundrobin", "t")]));
        Assert.False(shared.IsCompleted, "a joiner sharing one protocol is in");
    }

    [Fact]
    public void AJoinWithoutProtocolsIsRefused()
    {
        var h = new ClassicGroupHarness();
        var request = JoinRequest("") with { Protocols = [] };
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Completed(h.Join(request)).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Completed(h.Join(JoinRequest("") with { ProtocolType = "" })).Error);
    }

    [Fact]
    public void TheProtocolMostMembersPreferIsChosenAmongThoseAllSupport()
    {
        var h = new ClassicGroupHarness();
        var a = h.NewMemberId();
        var b = h.NewMemberId();
        var c = h.NewMemberId();
        // "sticky" is the first choice of two but not supported by c; "roundrobin" wins 2 to 1 over "range".
        h.Join(JoinRequest(a, protocols: [Protocol("sticky", "t"), Protocol("range", "t"), Protocol("roundrobin", "t")]));
        h.Join(JoinRequest(b, protocols: [Protocol("sticky", "t"), Protocol("roundrobin", "t"), Protocol("range", "t")]));
        var last = h.Join(JoinRequest(c, protocols: [Protocol("roundrobin", "t"), Protocol("range", "t")]));

        Assert.Equal("roundrobin", Completed(last).ProtocolName);
        Assert.Equal("roundrobin", h.Group.ProtocolName);
    }

    [Fact]
    public void TheGroupMaxSizeRefusesNewMembers()
    {
        var h = new ClassicGroupHarness(maxSize: 2);
        var first = h.NewMemberId();
        var second = h.NewMemberId();
        var third = h.NewMemberId();
        h.Join(JoinRequest(first));
        h.Join(JoinRequest(second));

        Assert.Equal(ErrorCode.GroupMaxSizeReached, Completed(h.Join(JoinRequest(third))).Error);
        Assert.Equal(ErrorCode.GroupMaxSizeReached, Completed(h.Join(JoinRequest(""))).Error);
        Assert.Equal(2, h.Group.DescribeMembers().Count);
        // Members already in may rejoin.
        Assert.False(h.Join(JoinRequest(first)).IsFaulted);
    }

    [Fact]
    public void AFollowerRejoiningUnchangedInStableGetsTheCurrentGenerationWithoutARebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(2);
        var response = Completed(h.Join(JoinRequest(members[1])));

        Assert.Equal(ErrorCode.None, response.Error);
        Assert.Equal(generation, response.GenerationId);
        Assert.Equal(leader, response.Leader);
        Assert.Empty(response.Members);
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("for " + members[1]), Completed(h.Sync(members[1], generation)).Assignment);
    }

    [Fact]
    public void TheLeaderRejoiningInStableStartsARebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(2);
        var join = h.Join(JoinRequest(leader));
        Assert.False(join.IsCompleted);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);

        h.Join(JoinRequest(members[1]));
        Assert.Equal(generation + 1, Completed(join).GenerationId);
    }

    [Fact]
    public void AMemberRejoiningWithNewMetadataStartsARebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(2);
        var join = h.Join(JoinRequest(members[1], protocols: Protocol("range", "t", "u")));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);

        var leaderJoin = Completed(h.Join(JoinRequest(members[0])));
        Assert.Equal(generation + 1, leaderJoin.GenerationId);
        Assert.Equal(Subscription("t", "u"), leaderJoin.Members.Single(m => m.MemberId == members[1]).Metadata);
        Assert.Equal(ErrorCode.None, Completed(join).Error);
    }

    [Fact]
    public void AJoinRetriedWhileCompletingTheRebalanceGetsTheSameAnswer()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(2);
        var first = Completed(joins[0].Join);
        Assert.Equal(GroupStates.CompletingRebalance, h.Group.State);

        var again = Completed(h.Join(JoinRequest(joins[0].MemberId, "client0")));
        Assert.Equal(first.GenerationId, again.GenerationId);
        Assert.Equal(first.Members.Select(m => m.MemberId), again.Members.Select(m => m.MemberId));
        Assert.Equal(GroupStates.CompletingRebalance, h.Group.State);
    }

    [Fact]
    public void ASupersededJoinIsAnsweredNotLeftHanging()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(2);
        h.SyncAll(joins.Select(j => j.MemberId).ToList(), joins[0].MemberId, 1);
        var rejoin = h.Join(JoinRequest(joins[0].MemberId));
        var retry = h.Join(JoinRequest(joins[0].MemberId));

        Assert.Equal(ErrorCode.RebalanceInProgress, Completed(rejoin).Error);
        Assert.False(retry.IsCompleted);
    }

    [Fact]
    public void AJoinerHoldingANewMemberIdHoldsTheRebalanceUntilItJoins()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(1);
        var pendingId = h.NewMemberId("slow");
        Assert.Equal(GroupStates.Stable, h.Group.State);

        var rejoin = h.Join(JoinRequest(members[0], protocols: Protocol("range", "t", "u")));
        Assert.False(rejoin.IsCompleted, "a joiner was told its member id and will come");
        var join = h.Join(JoinRequest(pendingId, "slow"));

        Assert.Equal(generation + 1, Completed(rejoin).GenerationId);
        Assert.Equal(2, Completed(rejoin).Members.Count);
        Assert.Equal(ErrorCode.None, Completed(join).Error);
    }
}
