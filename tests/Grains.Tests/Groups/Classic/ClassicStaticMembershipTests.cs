using static Orlog.Grains.Tests.Groups.Classic.ClassicGroupHarness;

namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>KIP-345: members with a group.instance.id keep their place across restarts.</summary>
public sealed class ClassicStaticMembershipTests
{
    private static JoinGroupRequest Static(string instanceId, string memberId = "", params GroupProtocol[] protocols) =>
        JoinRequest(memberId, "client-" + instanceId, instanceId, protocols: protocols);

    /// <summary>Two static members, "a" (the leader) and "b", Stable at generation <c>Gen</c>.</summary>
    private static (ClassicGroupHarness H, string A, string B, int Gen) TwoStaticMembers(GroupProtocol[]? aProtocols = null, GroupProtocol[]? bProtocols = null)
    {
        var h = new ClassicGroupHarness();
        var a = Completed(h.Join(Static("a", "", aProtocols ?? []))).MemberId;
        var joinB = h.Join(Static("b", "", bProtocols ?? []));
        var rejoinA = Completed(h.Join(Static("a", a, aProtocols ?? [])));
        var b = Completed(joinB).MemberId;
        h.SyncAll([a, b], a, rejoinA.GenerationId);
        return (h, a, b, rejoinA.GenerationId);
    }

    [Fact]
    public void AStaticMemberJoinsWithoutTheMemberIdRoundTrip()
    {
        var h = new ClassicGroupHarness();
        var response = Completed(h.Join(Static("a")));
        Assert.Equal(ErrorCode.None, response.Error);
        Assert.StartsWith("a-", response.MemberId);
        Assert.Equal(1, response.GenerationId);
        Assert.Equal("a", Assert.Single(response.Members).GroupInstanceId);
    }

    [Fact]
    public void AStaticMemberReturningUnchangedToAStableGroupKeepsItsAssignmentWithoutARebalance()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        var restarted = Completed(h.Join(Static("b")));

        Assert.Equal(ErrorCode.None, restarted.Error);
        Assert.NotEqual(b, restarted.MemberId);
        Assert.Equal(gen, restarted.GenerationId);
        Assert.Equal(a, restarted.Leader);
        Assert.False(restarted.SkipAssignment);
        Assert.Empty(restarted.Members);
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(gen, h.Group.Epoch);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("for " + b), Completed(h.Sync(restarted.MemberId, gen, "b")).Assignment);
        Assert.Equal(ErrorCode.None, h.Heartbeat(restarted.MemberId, gen, "b"));
        Assert.Equal(ErrorCode.None, h.Group.ValidateCommit(restarted.MemberId, gen, "b"));

        // The old member id is fenced everywhere.
        Assert.Equal(ErrorCode.FencedInstanceId, h.Heartbeat(b, gen, "b"));
        Assert.Equal(ErrorCode.FencedInstanceId, Completed(h.Sync(b, gen, "b")).Error);
        Assert.Equal(ErrorCode.FencedInstanceId, h.Group.ValidateCommit(b, gen, "b"));
        Assert.Equal(ErrorCode.FencedInstanceId, Completed(h.Join(Static("b", b))).Error);
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(h.Leave(b, "b")).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(b, gen));
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(2, h.Group.DescribeMembers().Count);
    }

    [Fact]
    public void AReturningStaticLeaderSeesTheMembersButMustNotAssign()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        var restarted = Completed(h.Join(Static("a")));

        Assert.Equal(restarted.MemberId, restarted.Leader);
        Assert.Equal(restarted.MemberId, h.Group.Leader);
        Assert.True(restarted.SkipAssignment);
        Assert.Equal([restarted.MemberId, b], restarted.Members.Select(m => m.MemberId));
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("for " + a), Completed(h.Sync(restarted.MemberId, gen, "a")).Assignment);
    }

    [Fact]
    public void AStaticMemberReturningWithNewMetadataRebalances()
    {
        var (h, a, _, gen) = TwoStaticMembers();
        var restarted = h.Join(Static("b", "", Protocol("range", "t", "u")));
        Assert.False(restarted.IsCompleted);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);

        h.Join(Static("a", a));
        Assert.Equal(gen + 1, Completed(restarted).GenerationId);
    }

    [Fact]
    public void ARestartedStaticMemberOwningNothingYetIsStillUnchanged()
    {
        // Before the restart "b" claimed t-0 at generation 1; after it, nothing at -1. Its topics are the same.
        var claiming = new GroupProtocol("range", Orlog.Grains.Groups.Classic.ConsumerProtocol.EncodeSubscription(new(["t"], null, [new("t", 0)], 1, null)));
        var (h, _, b, gen) = TwoStaticMembers(bProtocols: [claiming]);

        var restarted = Completed(h.Join(Static("b", "", Protocol("range", "t"))));
        Assert.Equal(gen, restarted.GenerationId);
        Assert.NotEqual(b, restarted.MemberId);
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(["t"], h.Group.DescribeMembers()[1].SubscribedTopics);
    }

    [Fact]
    public void AStaticMemberReturningWithProtocolsThatChangeTheGroupsChoiceRebalances()
    {
        var (h, _, _, gen) = TwoStaticMembers(aProtocols: [Protocol("range", "t"), Protocol("roundrobin", "t")]);
        Assert.Equal("range", h.Group.ProtocolName);
        var restarted = h.Join(Static("b", "", Protocol("roundrobin", "t")));
        Assert.False(restarted.IsCompleted);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(gen, h.Group.Epoch);
    }

    [Fact]
    public void AStaticMemberReturningWhileTheGroupCompletesARebalanceRebalancesAgain()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        h.Join(Static("a", a, Protocol("range", "t", "u")));
        Completed(h.Join(Static("b", b)));
        Assert.Equal(GroupStates.CompletingRebalance, h.Group.State);
        var oldSync = h.Sync(b, gen + 1, "b");

        // "b" restarts before the leader assigned: the leader may be assigning to the old member id.
        var restarted = h.Join(Static("b"));
        Assert.Equal(ErrorCode.FencedInstanceId, Completed(oldSync).Error);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.False(restarted.IsCompleted);
        h.Join(Static("a", a, Protocol("range", "t", "u")));
        Assert.Equal(gen + 2, Completed(restarted).GenerationId);
    }

    [Fact]
    public void AStaticMemberReplacedWhileItsJoinWaitsIsFenced()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        var oldJoin = h.Join(Static("b", b, Protocol("range", "t", "u")));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);

        var newJoin = h.Join(Static("b", "", Protocol("range", "t", "u")));
        Assert.Equal(ErrorCode.FencedInstanceId, Completed(oldJoin).Error);
        h.Join(Static("a", a));
        var response = Completed(newJoin);
        Assert.Equal(gen + 1, response.GenerationId);
        Assert.NotEqual(b, response.MemberId);
    }

    [Fact]
    public void AStaticMemberRemovedByInstanceIdLeavesAndTheOthersRebalance()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        var result = Assert.Single(h.Leave("", "b"));
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal("b", result.GroupInstanceId);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(b, gen, "b"));

        var rejoin = Completed(h.Join(Static("a", a)));
        Assert.Equal(gen + 1, rejoin.GenerationId);
        Assert.Single(rejoin.Members);
    }

    [Fact]
    public void AStaticMemberRestartingDuringARebalanceTakesItsPlaceInIt()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        var join = h.Join(Static("a", a, Protocol("range", "t", "u")));
        // "b" is restarting: silent for most of its session.
        h.Advance(SessionMs - 1000);
        Assert.False(join.IsCompleted);

        var back = h.Join(Static("b"));
        var response = Completed(join);
        Assert.Equal(gen + 1, response.GenerationId);
        Assert.Equal(["a", "b"], response.Members.Select(m => m.GroupInstanceId));
        Assert.Equal(Completed(back).MemberId, response.Members[1].MemberId);
        Assert.NotEqual(b, Completed(back).MemberId);
    }

    [Fact]
    public void AStaticMemberThatMissesTheRebalanceIsKeptWithItsLastMetadata()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        // "b" stays alive by heartbeat but does not rejoin; unlike a dynamic member it is not dropped (KIP-345).
        var join = h.Join(Static("a", a, Protocol("range", "t", "u")));
        for (var elapsed = 0; elapsed < RebalanceMs; elapsed += 1000)
        {
            h.Heartbeat(b, gen, "b");
            h.Advance(1000);
        }
        var response = Completed(join);
        Assert.Equal(gen + 1, response.GenerationId);
        Assert.Equal([a, b], response.Members.Select(m => m.MemberId));
        Assert.Equal(Subscription("t"), response.Members[1].Metadata);
        Assert.Equal(ErrorCode.IllegalGeneration, h.Heartbeat(b, gen, "b"));
    }

    [Fact]
    public void AStaticMemberAbsentForItsWholeSessionIsRemoved()
    {
        var (h, a, b, gen) = TwoStaticMembers();
        for (var elapsed = 0; elapsed < SessionMs; elapsed += 1000)
        {
            h.Heartbeat(a, gen, "a");
            h.Advance(1000);
        }
        Assert.Equal(a, Assert.Single(h.Group.DescribeMembers()).MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(b, gen, "b"));

        // Its instance id is free: a new "b" joins as a new member.
        var back = h.Join(Static("b"));
        h.Join(Static("a", a));
        Assert.Equal(ErrorCode.None, Completed(back).Error);
        Assert.Equal(gen + 1, Completed(back).GenerationId);
    }

    [Fact]
    public void AJoinWithAnotherMembersInstanceIdIsFenced()
    {
        var (h, _, _, _) = TwoStaticMembers();
        var response = Completed(h.Join(Static("b", "someone-else")));
        Assert.Equal(ErrorCode.FencedInstanceId, response.Error);
        Assert.Contains("group.instance.id", response.ErrorMessage);
    }
}
