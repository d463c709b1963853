using Orlog.Grains.Groups.Classic;
using static Orlog.Grains.Tests.Groups.Classic.ClassicGroupHarness;

namespace Orlog.Grains.Tests.Groups.Classic;

public sealed class ClassicCommitDescribeMetadataTests
{
    [Fact]
    public void CommitsAreFencedByMemberInstanceStateAndGeneration()
    {
        var h = new ClassicGroupHarness();
        Assert.Equal(ErrorCode.UnknownMemberId, h.Group.ValidateCommit("nobody", 0, null));

        var joins = h.JoinNew(2);
        Completed(joins[1].Join);
        var (a, b) = (joins[0].MemberId, joins[1].MemberId);
        // CompletingRebalance: nobody commits until the assignment is known.
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Group.ValidateCommit(a, 1, null));

        h.SyncAll([a, b], a, 1);
        Assert.Equal(ErrorCode.None, h.Group.ValidateCommit(a, 1, null));
        Assert.Equal(ErrorCode.IllegalGeneration, h.Group.ValidateCommit(a, 0, null));
        Assert.Equal(ErrorCode.IllegalGeneration, h.Group.ValidateCommit(a, 2, null));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Group.ValidateCommit("nobody", 1, null));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Group.ValidateCommit(a, 1, "no-such-instance"));

        // PreparingRebalance: the generation has not moved; an eager member commits before it rejoins.
        h.Join(JoinRequest(a));
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(ErrorCode.None, h.Group.ValidateCommit(b, 1, null));

        h.Join(JoinRequest(b));
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Group.ValidateCommit(b, 2, null));
        h.SyncAll([a, b], a, 2);
        Assert.Equal(ErrorCode.IllegalGeneration, h.Group.ValidateCommit(b, 1, null));
        Assert.Equal(ErrorCode.None, h.Group.ValidateCommit(b, 2, null));
    }

    [Fact]
    public void AStaticMembersCommitsCheckItsInstanceId()
    {
        var h = new ClassicGroupHarness();
        var joined = Completed(h.Join(JoinRequest("", "c", "instance-1")));
        h.SyncAll([joined.MemberId], joined.MemberId, 1);
        Assert.Equal(ErrorCode.None, h.Group.ValidateCommit(joined.MemberId, 1, "instance-1"));
        Assert.Equal(ErrorCode.FencedInstanceId, h.Group.ValidateCommit("other", 1, "instance-1"));
    }

    [Fact]
    public void OffsetFetchesCheckAGivenMember()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(1);
        Assert.Equal(ErrorCode.None, h.Group.ValidateFetch("", -1));
        Assert.Equal(ErrorCode.None, h.Group.ValidateFetch(members[0], generation));
        Assert.Equal(ErrorCode.None, h.Group.ValidateFetch(members[0], -1));
        Assert.Equal(ErrorCode.IllegalGeneration, h.Group.ValidateFetch(members[0], generation + 1));
        Assert.Equal(ErrorCode.UnknownMemberId, h.Group.ValidateFetch("nobody", generation));
    }

    [Fact]
    public void DescribeDecodesConsumerSubscriptionsAndAssignments()
    {
        var h = new ClassicGroupHarness();
        var a = h.NewMemberId("app-a");
        var b = h.NewMemberId("app-b");
        h.Join(JoinRequest(a, "app-a", protocols: Protocol("range", "orders")));
        var joined = Completed(h.Join(JoinRequest(b, "app-b", "static-b", protocols: Protocol("range", "orders", "payments"))));
        byte[] Assign(string id) => ConsumerProtocol.EncodeAssignment(new ConsumerAssignment(
            id == a ? [new("orders", 0), new("orders", 1)] : [new("orders", 2), new("payments", 0)], null));

        // Before the leader assigned, members show no assignment (as Kafka shows them outside Stable).
        Assert.All(h.Group.DescribeMembers(), m => Assert.Empty(m.Assignment));
        h.SyncAll([a, b], joined.Leader, 1, Assign);

        var described = h.Group.DescribeMembers();
        Assert.Equal([a, b], described.Select(m => m.MemberId));
        var first = described[0];
        Assert.Equal("app-a", first.ClientId);
        Assert.Equal("/10.0.0.1", first.ClientHost);
        Assert.Null(first.GroupInstanceId);
        Assert.Equal(1, first.MemberEpoch);
        Assert.Equal([new("orders", 0), new("orders", 1)], first.Assignment);
        Assert.Equal(first.Assignment, first.TargetAssignment);
        Assert.Equal(["orders"], first.SubscribedTopics);
        Assert.Equal("static-b", described[1].GroupInstanceId);
        Assert.Equal(["orders", "payments"], described[1].SubscribedTopics);
        Assert.Equal([new("orders", 2), new("payments", 0)], described[1].Assignment);
        Assert.Equal(["orders", "payments"], h.Group.SubscribedTopics.Order());
    }

    [Fact]
    public void OtherProtocolTypesAreRelayedWithoutDecoding()
    {
        var h = new ClassicGroupHarness();
        var id = h.NewMemberId();
        h.Join(JoinRequest(id, protocolType: "connect", protocols: new GroupProtocol("v1", [1, 2, 3])));
        h.SyncAll([id], id, 1, _ => [9, 9]);

        var member = Assert.Single(h.Group.DescribeMembers());
        Assert.Empty(member.Assignment);
        Assert.Empty(member.SubscribedTopics);
        Assert.Empty(h.Group.SubscribedTopics);
        Assert.Equal("connect", h.Group.ProtocolType);
        Assert.Equal("v1", h.Group.ProtocolName);
    }

    [Fact]
    public void UndecodableConsumerBytesShowAsNothingInsteadOfFailing()
    {
        var h = new ClassicGroupHarness();
        var id = h.NewMemberId();
        h.Join(JoinRequest(id, protocols: new GroupProtocol("range", [0, 0, 0])));
        h.SyncAll([id], id, 1, _ => [1]);
        var member = Assert.Single(h.Group.DescribeMembers());
        Assert.Empty(member.Assignment);
        Assert.Empty(member.SubscribedTopics);
    }

    [Fact]
    public void APartitionCountChangeOfASubscribedTopicStartsARebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, _, generation) = h.Stable(2, Protocol("range", "t", "gone"));
        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3, ["gone"] = 1, ["other"] = 1 }, h.Now);
        Assert.Equal(GroupStates.Stable, h.Group.State);

        // A topic the group does not read changes: nothing to do.
        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3, ["gone"] = 1, ["other"] = 7 }, h.Now);
        Assert.Equal(GroupStates.Stable, h.Group.State);

        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 4, ["gone"] = 1 }, h.Now);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(ErrorCode.RebalanceInProgress, h.Heartbeat(members[1], generation));
    }

    [Fact]
    public void ASubscribedTopicThatVanishesOrAppearsStartsARebalance()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(1, Protocol("range", "t", "later"));
        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3 }, h.Now);
        Assert.Equal(GroupStates.Stable, h.Group.State);

        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3, ["later"] = 2 }, h.Now);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
        Assert.Equal(generation + 1, Completed(h.Join(JoinRequest(leader, protocols: Protocol("range", "t", "later")))).GenerationId);
        h.SyncAll(members, leader, generation + 1);

        h.Group.OnMetadata(new Dictionary<string, int> { ["later"] = 2 }, h.Now);
        Assert.Equal(GroupStates.PreparingRebalance, h.Group.State);
    }

    [Fact]
    public void NewlySubscribedTopicsAreNotAMetadataChange()
    {
        var h = new ClassicGroupHarness();
        var (members, leader, generation) = h.Stable(1, Protocol("range", "t"));
        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3, ["u"] = 5 }, h.Now);
        // The member subscribes to "u" too: that rebalance is the subscription change's.
        Completed(h.Join(JoinRequest(leader, protocols: Protocol("range", "t", "u"))));
        h.SyncAll(members, leader, generation + 1);
        h.Group.OnMetadata(new Dictionary<string, int> { ["t"] = 3, ["u"] = 5 }, h.Now);
        Assert.Equal(GroupStates.Stable, h.Group.State);
    }
}
