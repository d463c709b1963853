using static Orlog.Grains.Tests.Groups.Classic.ClassicGroupHarness;

namespace Orlog.Grains.Tests.Groups.Classic;

public sealed class ClassicSyncHeartbeatLeaveTests
{
    [Fact]
    public void FollowersWaitForTheLeadersSyncAndGetTheirOwnShare()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(3);
        var leader = Completed(joins[0].Join).Leader;
        var follower = h.Sync(joins[1].MemberId, 1);
        var forgotten = h.Sync(joins[2].MemberId, 1);
        Assert.False(follower.IsCompleted);

        // The leader leaves the third member out: it gets an empty assignment.
        var leaderSync = Completed(h.Sync(leader, 1, assignments: [new(leader, [1]), new(joins[1].MemberId, [2])]));
        Assert.Equal([1], leaderSync.Assignment);
        Assert.Equal([2], Completed(follower).Assignment);
        Assert.Equal(ErrorCode.None, Completed(forgotten).Error);
        Assert.Empty(Completed(forgotten).Assignment);
        Assert.Equal("range", Completed(follower).ProtocolName);
        Assert.Equal("consumer", Completed(follower).ProtocolType);
        Assert.Equal(GroupStates.Stable, h.Group.State);

        // In Stable a sync returns the stored assignment.
        Assert.Equal([2], Completed(h.Sync(joins[1].MemberId, 1)).Assignment);
    }

    [Fact]
    public void SyncErrors()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(2);

        Assert.Equal(ErrorCode.UnknownMemberId, Completed(h.Sync("nobody", generation)).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, Completed(h.Sync(members[1], generation + 1)).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Completed(h.Sync(members[1], generation, protocolName: "roundrobin")).Error);
        var wrongType = h.Group.Sync(new SyncGroupRequest(members[1], generation, null, "connect", null, []), h.Now);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Completed(wrongType).Error);
        // Older clients send no protocol type or name: not checked.
        Assert.Equal(ErrorCode.None, Completed(h.Group.Sync(new SyncGroupRequest(members[1], generation, null, null, null, []), h.Now)).Error);

        h.Join(JoinRequest(leader));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        var during = Completed(h.Sync(members[1], generation));
        Assert.Equal(ErrorCode.RebalanceInProgress, during.Error);
        Assert.Empty(during.Assignment);
    }

    [Fact]
    public void ARebalanceWhileCompletingTellsWaitingSyncsToRejoin()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(2);
        Completed(joins[1].Join);
        var follower = h.Sync(joins[1].MemberId, 1);

        var newcomer = h.NewMemberId("late");
        h.Join(JoinRequest(newcomer, "late"));
        Assert.Equal(ErrorCode.RebalanceInProgress, Completed(follower).Error);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
    }

    [Fact]
    public void HeartbeatErrors()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(2);

        Assert.Equal(ErrorCode.None, h.Heartbeat(members[1], generation));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat("nobody", generation));
        Assert.Equal(ErrorCode.IllegalGeneration, h.Heartbeat(members[1], generation - 1));
        // An instance id the group does not know.
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(members[1], generation, "instance-x"));

        h.Join(JoinRequest(leader));
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(members[1], generation));
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(leader, generation));
        var rejoin = h.Join(JoinRequest(members[1]));
        Completed(rejoin);
        // CompletingRebalance: the new generation heartbeats normally; the old one is stale.
        Assert.Equal(ErrorCode.None, h.Heartbeat(members[1], generation + 1));
        Assert.Equal(ErrorCode.IllegalGeneration, h.Heartbeat(members[1], generation));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void MembersLeavingOneByOneRebalanceTheRestUntilTheGroupIsEmpty(int count)
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(count);
        var remaining = members.ToList();
        var random = new Random(count);
        while (remaining.Count > 0)
        {
            var leaving = remaining[random.Next(remaining.Count)];
            var result = Assert.Single(h.Leave(leaving));
            Assert.Equal(ErrorCode.None, result.Error);
            Assert.Equal(leaving, result.MemberId);
            remaining.Remove(leaving);
            if (remaining.Count == 0)
            {
                break;
            }
            Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
            Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(leaving, generation));

            var rejoins = remaining.Select(id => (id, h.Join(JoinRequest(id)))).ToList();
            var responses = rejoins.Select(r => Completed(r.Item2)).ToList();
            generation++;
            Assert.All(responses, r => Assert.Equal(generation, r.GenerationId));
            // The leader stays while it is a member; else the first remaining member leads.
            var expectedLeader = remaining.Contains(leader) ? leader : remaining[0];
            Assert.All(responses, r => Assert.Equal(expectedLeader, r.Leader));
            leader = expectedLeader;
            h.SyncAll(remaining, leader, generation);
        }
        Assert.Equal(GroupStates.Empty, h.Group.State);
        Assert.True(h.Group.IsEmpty);
        Assert.Equal(generation + 1, h.Group.Epoch);
        Assert.Equal("", h.Group.ProtocolName);
        Assert.Equal("consumer", h.Group.ProtocolType);
    }

    [Fact]
    public void LeaveErrorsArePerMember()
    {
        var h = new ClassicGroupHarness();
        var (members, _, _) = h.Stable(2);
        var results = h.Group.Leave(
        [
            new LeavingMember("nobody", null, null),
            new LeavingMember("", null, null),
            new LeavingMember("", "no-such-instance", null),
            new LeavingMember(members[1], null, "shutting down"),
        ], h.Now);

        Assert.Equal([ErrorCode.UnknownMemberId, ErrorCode.UnknownMemberId, ErrorCode.UnknownMemberId, ErrorCode.None], results.Select(r => r.Error));
        Assert.Equal(["nobody", "", "", members[1]], results.Select(r => r.MemberId));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
    }

    [Fact]
    public void AMemberLeavingWhileOthersRejoinLetsTheRebalanceComplete()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(3);
        var join = h.Join(JoinRequest(leader));
        var second = h.Join(JoinRequest(members[1]));
        Assert.False(join.IsCompleted);

        h.Leave(members[2]);
        Assert.Equal(generation + 1, Completed(join).GenerationId);
        Assert.Equal(2, Completed(join).Members.Count);
        Assert.Equal(ErrorCode.None, Completed(second).Error);
    }

    [Fact]
    public void ALeavingMembersPendingJoinIsAnswered()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, _) = h.Stable(2);
        var join = h.Join(JoinRequest(leader));
        h.Leave(leader);
        Assert.Equal(ErrorCode.UnknownMemberId, Completed(join).Error);
    }

    [Fact]
    public void AJoinerThatGotAMemberIdMayLeaveBeforeJoining()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(1);
        var pendingId = h.NewMemberId("quitter");
        var rejoin = h.Join(JoinRequest(leader, protocols: Protocol("range", "t", "u")));
        Assert.False(rejoin.IsCompleted);

        Assert.Equal(ErrorCode.None, Assert.Single(h.Leave(pendingId)).Error);
        Assert.Equal(generation + 1, Completed(rejoin).GenerationId);
    }
}
