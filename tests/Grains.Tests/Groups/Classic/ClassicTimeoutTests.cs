using static Orlog.Grains.Tests.Groups.Classic.ClassicGroupHarness;

namespace Orlog.Grains.Tests.Groups.Classic;

public sealed class ClassicTimeoutTests
{
    [Fact]
    public void AMemberWhoseSessionExpiresIsEvictedAndTheOthersRebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(3);
        // members[2] goes silent; the others heartbeat every second.
        for (var elapsed = 0; elapsed < SessionMs - 1000; elapsed += 1000)
        {
            h.Advance(1000);
            Assert.Equal(ErrorCode.None, h.Heartbeat(members[0], generation));
            Assert.Equal(ErrorCode.None, h.Heartbeat(members[1], generation));
        }
        Assert.Equal(3, h.Group.DescribeMembers().Count);

        h.Advance(1000);
        Assert.Equal(2, h.Group.DescribeMembers().Count);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(members[0], generation));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(members[2], generation));
        Assert.Equal(ErrorCode.UnknownMemberId, Completed(h.Join(JoinRequest(members[2]))).Error);

        h.Join(JoinRequest(members[0]));
        Assert.Equal(generation + 1, Completed(h.Join(JoinRequest(members[1]))).GenerationId);
        Assert.Equal(leader, h.Group.Leader);
    }

    [Fact]
    public void JoinsSyncsAndHeartbeatsEachRenewTheSession()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(1);
        h.Advance(SessionMs - 100);
        Completed(h.Sync(members[0], generation));
        h.Advance(SessionMs - 100);
        h.Heartbeat(members[0], generation);
        h.Advance(SessionMs - 100);
        Assert.Equal(GroupStates.Stable, h.Group.State);
        h.Advance(100);
        Assert.True(h.Group.IsEmpty);
        Assert.Equal(GroupStates.Empty, h.Group.State);
    }

    [Fact]
    public void AMemberWaitingInJoinIsNotEvictedBySessionWhileTheRebalanceWaits()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(2);
        // members[0] rejoins and waits; members[1] keeps heartbeating but does not rejoin (a slow eager revocation).
        var waiting = h.Join(JoinRequest(members[0], protocols: Protocol("range", "t", "u")));
        for (var elapsed = 0; elapsed < 2 * SessionMs; elapsed += 1000)
        {
            h.Advance(1000);
            Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(members[1], generation));
        }
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, h.Group.DescribeMembers().Count);

        var rejoin = h.Join(JoinRequest(members[1]));
        Assert.Equal(generation + 1, Completed(waiting).GenerationId);
        Assert.Equal(ErrorCode.None, Completed(rejoin).Error);
    }

    [Fact]
    public void TheRebalanceTimeoutRemovesMembersThatDidNotRejoin()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(3);
        var first = h.Join(JoinRequest(members[0], protocols: Protocol("range", "t", "u")));
        var second = h.Join(JoinRequest(members[1]));
        // members[2] keeps its session alive but never rejoins.
        for (var elapsed = 0; elapsed < RebalanceMs - 1000; elapsed += 1000)
        {
            h.Advance(1000);
            h.Heartbeat(members[2], generation);
        }
        Assert.False(first.IsCompleted);

        h.Advance(1000);
        Assert.Equal(generation + 1, Completed(first).GenerationId);
        Assert.Equal([members[0], members[1]], Completed(first).Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.None, Completed(second).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(members[2], generation));
    }

    [Fact]
    public void TheRebalanceTimeoutIsTheLargestAmongTheMembers()
    {
        var h = new ClassicGroupHarness();
        var a = h.NewMemberId();
        var b = h.NewMemberId();
        h.Join(JoinRequest(a, rebalanceMs: 10_000));
        Completed(h.Join(JoinRequest(b, rebalanceMs: 50_000)));
        h.SyncAll([a, b], a, 1);

        var join = h.Join(JoinRequest(a, rebalanceMs: 10_000, protocols: Protocol("range", "u")));
        for (var elapsed = 0; elapsed < 49_000; elapsed += 1000)
        {
            h.Advance(1000);
            h.Heartbeat(b, 1);
        }
        Assert.False(join.IsCompleted);
        h.Advance(1000);
        Assert.Equal(ErrorCode.None, Completed(join).Error);
        Assert.Single(Completed(join).Members);
    }

    [Fact]
    public void ALeaderThatDoesNotRejoinIsReplacedByTheFirstMemberThatDid()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(3);
        Assert.Equal(members[0], leader);
        var second = h.Join(JoinRequest(members[1], protocols: Protocol("range", "t", "u")));
        var third = h.Join(JoinRequest(members[2]));
        // The leader stays alive (heartbeats) but never rejoins.
        while (!second.IsCompleted)
        {
            Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(leader, generation));
            h.Advance(1000);
        }

        Assert.Equal(members[1], Completed(second).Leader);
        Assert.Equal(2, Completed(second).Members.Count);
        Assert.Empty(Completed(third).Members);
        Assert.Equal(members[1], h.Group.Leader);
        h.SyncAll([members[1], members[2]], members[1], generation + 1);
    }

    [Fact]
    public void MembersThatDoNotSyncInTimeAreRemovedAndTheRestRebalance()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(3);
        var leader = Completed(joins[0].Join).Leader;
        var follower = h.Sync(joins[1].MemberId, 1);
        h.Sync(leader, 1, assignments: []);
        Assert.Equal(GroupStates.Stable, h.Group.State);
        Assert.Equal(ErrorCode.None, Completed(follower).Error);

        // The third never syncs: once the rebalance timeout has passed since the join completed, it is out.
        for (var elapsed = 0; elapsed < RebalanceMs - 1000; elapsed += 1000)
        {
            h.Advance(1000);
            foreach (var (id, _) in joins)
            {
                h.Heartbeat(id, 1);
            }
        }
        Assert.Equal(3, h.Group.DescribeMembers().Count);
        h.Advance(1000);
        Assert.Equal(2, h.Group.DescribeMembers().Count);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(ErrorCode.UnknownMemberId, h.Heartbeat(joins[2].MemberId, 1));
    }

    [Fact]
    public void ALeaderThatDoesNotSyncIsRemovedAndWaitingFollowersAreToldToRejoin()
    {
        var h = new ClassicGroupHarness();
        var joins = h.JoinNew(2);
        Completed(joins[0].Join);
        var follower = h.Sync(joins[1].MemberId, 1);
        // Both stay alive; the leader never syncs (an assignor stuck, say).
        for (var elapsed = 0; elapsed < RebalanceMs; elapsed += 1000)
        {
            Assert.False(follower.IsCompleted);
            h.Heartbeat(joins[0].MemberId, 1);
            h.Heartbeat(joins[1].MemberId, 1);
            h.Advance(1000);
        }

        Assert.Equal(ErrorCode.RebalanceInProgress, Completed(follower).Error);
        Assert.Equal(joins[1].MemberId, Assert.Single(h.Group.DescribeMembers()).MemberId);
        var rejoin = Completed(h.Join(JoinRequest(joins[1].MemberId)));
        Assert.Equal(2, rejoin.GenerationId);
        Assert.Equal(joins[1].MemberId, rejoin.Leader);
    }

    [Fact]
    public void AFirstRebalanceWaitsTheInitialDelayAndMoreForEachNewJoiner()
    {
        var h = new ClassicGroupHarness(initialDelayMs: 3000);
        var a = h.NewMemberId();
        var first = h.Join(JoinRequest(a));
        h.Advance(2000);
        Assert.False(first.IsCompleted);
        var b = h.NewMemberId();
        var second = h.Join(JoinRequest(b));
        h.Advance(1000);
        // At 3 s a joiner had come: another 3 s.
        Assert.False(first.IsCompleted);
        h.Advance(2900);
        Assert.False(first.IsCompleted);
        h.Advance(100);
        Assert.Equal(1, Completed(first).GenerationId);
        Assert.Equal([a, b], Completed(first).Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.None, Completed(second).Error);
    }

    [Fact]
    public void TheInitialDelayDoesNotEndEarlyEvenWhenEveryoneJoined()
    {
        var h = new ClassicGroupHarness(initialDelayMs: 3000);
        var join = h.Join(JoinRequest(h.NewMemberId()));
        h.Advance(2900);
        Assert.False(join.IsCompleted);
        h.Advance(100);
        Assert.Equal(1, Completed(join).GenerationId);
    }

    [Fact]
    public void TheInitialDelayIsBoundedByTheRebalanceTimeout()
    {
        var h = new ClassicGroupHarness(initialDelayMs: 3000);
        var first = h.Join(JoinRequest(h.NewMemberId(), rebalanceMs: 10_000));
        var start = h.Now;
        // A new joiner every 2 s would extend the delay forever; the rebalance timeout ends it.
        while (!first.IsCompleted)
        {
            Assert.True(h.Now - start <= 10_000, "the first rebalance outlived its rebalance timeout");
            h.Join(JoinRequest(h.NewMemberId(), rebalanceMs: 10_000));
            h.Advance(2000);
        }
        Assert.Equal(10_000, h.Now - start);
        Assert.Equal(1, Completed(first).GenerationId);
    }

    [Fact]
    public void ARebalanceOfAGroupThatWasNotEmptyHasNoInitialDelay()
    {
        var h = new ClassicGroupHarness(initialDelayMs: 3000);
        var a = h.NewMemberId();
        var first = h.Join(JoinRequest(a));
        h.Advance(3000);
        Assert.Equal(1, Completed(first).GenerationId);
        h.SyncAll([a], a, 1);

        Assert.Equal(2, Completed(h.Join(JoinRequest(a, protocols: Protocol("range", "u")))).GenerationId);
    }
}
