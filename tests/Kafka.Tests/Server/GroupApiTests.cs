using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>FindCoordinator and the classic group APIs through the listener over fake groups, across versions.</summary>
public sealed class GroupApiTests : ListenerHarness
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task FindCoordinatorNamesTheBrokerAskedForGroupsAndRefusesTransactions(short version)
    {
        var request = version < 4
            ? new FindCoordinatorRequest { Key = "orders-app", KeyType = 0 }
            : new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["orders-app", "billing"] };
        var answer = await AskAsync(FindCoordinatorRequest.ApiKey, version, request, FindCoordinatorResponse.Read);
        if (version < 4)
        {
            Assert.Equal(((short)0, 1, "127.0.0.1", 19092), (answer.ErrorCode, answer.NodeId, answer.Host, answer.Port));
        }
        else
        {
            Assert.Equal([("orders-app", (short)0, 1, 19092), ("billing", (short)0, 1, 19092)], answer.Coordinators.Select(c => (c.Key, c.ErrorCode, c.NodeId, c.Port)));
        }

        if (version >= 1)
        {
            request.KeyType = 1;
            var transactions = await AskAsync(FindCoordinatorRequest.ApiKey, version, request, FindCoordinatorResponse.Read);
            Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, version < 4 ? transactions.ErrorCode : transactions.Coordinators[0].ErrorCode);
        }
    }

    private static JoinGroupRequest Join(string memberId) => new()
    {
        GroupId = "orders-app",
        SessionTimeoutMs = 10_000,
        RebalanceTimeoutMs = 60_000,
        MemberId = memberId,
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 1, 2, 3 } }],
    };

    [Fact]
    public async Task AJoinWithoutAMemberIdGetsMemberIdRequiredFromVersion4()
    {
        var answer = await AskAsync(JoinGroupRequest.ApiKey, 5, Join(""), JoinGroupResponse.Read, clientId: "app-7");

        Assert.Equal(((short)ErrorCode.MemberIdRequired, "member-1"), (answer.ErrorCode, answer.MemberId));
        var (group, join) = Assert.Single(Backend.Groups.Joins);
        Assert.Equal(("orders-app", "app-7", "127.0.0.1", 60_000), (group, join.ClientId, join.ClientHost, join.RebalanceTimeoutMs));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task AnOlderClientIsJoinedWithTheIdTheCoordinatorGaveBecauseItCannotAskAgain(short version)
    {
        var answer = await AskAsync(JoinGroupRequest.ApiKey, version, Join(""), JoinGroupResponse.Read);

        Assert.Equal(((short)0, "member-1", "member-1", 1), (answer.ErrorCode, answer.MemberId, answer.Leader, answer.GenerationId));
        Assert.Equal([1, 2, 3], Assert.Single(answer.Members).Metadata.ToArray());
        Assert.Equal(["", "member-1"], Backend.Groups.Joins.Select(j => j.Join.MemberId));
        // Version 0 has no rebalance timeout: the session timeout stands in for it.
        Assert.Equal(version == 0 ? 10_000 : 60_000, Backend.Groups.Joins[0].Join.RebalanceTimeoutMs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task SyncGroupGivesEachMemberItsAssignmentAndHeartbeatChecksTheGeneration(short version)
    {
        var sync = new SyncGroupRequest { GroupId = "orders-app", GenerationId = 1, MemberId = "member-1" };
        sync.Assignments.Add(new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = "member-1", Assignment = new byte[] { 9, 8 } });
        var synced = await AskAsync(SyncGroupRequest.ApiKey, version, sync, SyncGroupResponse.Read);
        Assert.Equal(0, synced.ErrorCode);
        Assert.Equal([9, 8], synced.Assignment.ToArray());

        var ok = await AskAsync(HeartbeatRequest.ApiKey, version, new HeartbeatRequest { GroupId = "orders-app", GenerationId = 1, MemberId = "member-1" }, HeartbeatResponse.Read);
        var stale = await AskAsync(HeartbeatRequest.ApiKey, version, new HeartbeatRequest { GroupId = "orders-app", GenerationId = 0, MemberId = "member-1" }, HeartbeatResponse.Read);
        Assert.Equal(((short)0, (short)ErrorCode.IllegalGeneration), (ok.ErrorCode, stale.ErrorCode));
    }

    [Fact]
    public async Task LeaveGroupTakesOneMemberBeforeVersion3AndABatchWithEachOutcomeFrom3()
    {
        var one = await AskAsync(LeaveGroupRequest.ApiKey, 1, new LeaveGroupRequest { GroupId = "orders-app", MemberId = "member-1" }, LeaveGroupResponse.Read);
        Assert.Equal((short)0, one.ErrorCode);

        var batch = new LeaveGroupRequest { GroupId = "orders-app" };
        batch.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = "member-1" });
        batch.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = "ghost" });
        batch.Members.Add(new LeaveGroupRequest.MemberIdentity { MemberId = "", GroupInstanceId = "host-a" });
        var answer = await AskAsync(LeaveGroupRequest.ApiKey, 3, batch, LeaveGroupResponse.Read);
        Assert.Equal([("member-1", (short)0), ("ghost", (short)ErrorCode.UnknownMemberId), ("", (short)0)], answer.Members.Select(m => (m.MemberId, m.ErrorCode)));
        Assert.Equal("host-a", Backend.Groups.Leaves[1].Members[2].GroupInstanceId);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(7, 7)]
    [InlineData(9, 8)]
    [InlineData(9, 9)]
    public async Task OffsetsCommittedWithMetadataAndEpochsAreFetchedBack(short commitVersion, short fetchVersion)
    {
        var commit = new OffsetCommitRequest { GroupId = "orders-app", GenerationIdOrMemberEpoch = -1, MemberId = "" };
        var topic = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "orders" };
        topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = commitVersion >= 6 ? 4 : -1, CommittedMetadata = "checkpoint-a" });
        topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 2, CommittedOffset = 7, CommittedMetadata = null });
        commit.Topics.Add(topic);
        var committed = await AskAsync(OffsetCommitRequest.ApiKey, commitVersion, commit, OffsetCommitResponse.Read);
        Assert.Equal([(0, (short)0), (2, (short)0)], committed.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.ErrorCode)));
        Assert.Equal(("", -1), (Backend.Groups.Commits[0].Commit.MemberId, Backend.Groups.Commits[0].Commit.GenerationIdOrMemberEpoch));

        var fetch = new OffsetFetchRequest();
        if (fetchVersion < 8)
        {
            fetch.GroupId = "orders-app";
            fetch.Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "orders", PartitionIndexes = [0, 1, 2] }];
        }
        else
        {
            fetch.Groups.Add(new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "orders-app", Topics = null, MemberId = fetchVersion >= 9 ? "member-1" : null, MemberEpoch = fetchVersion >= 9 ? 3 : -1 });
            fetch.Groups.Add(new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "", Topics = null });
        }
        var answer = await AskAsync(OffsetFetchRequest.ApiKey, fetchVersion, fetch, OffsetFetchResponse.Read);
        if (fetchVersion < 8)
        {
            var partitions = answer.Topics.Single().Partitions;
            Assert.Equal([(0, 42L, "checkpoint-a"), (1, -1L, ""), (2, 7L, "")], partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata)));
            Assert.Equal(fetchVersion >= 5 && commitVersion >= 6 ? 4 : -1, partitions[0].CommittedLeaderEpoch);
        }
        else
        {
            var group = answer.Groups[0];
            Assert.Equal(("orders-app", (short)0), (group.GroupId, group.ErrorCode));
            Assert.Equal([(0, 42L, 4), (2, 7L, -1)], group.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch)).Order());
            Assert.Equal((short)ErrorCode.InvalidGroupId, answer.Groups[1].ErrorCode);
            Assert.Equal((fetchVersion >= 9 ? "member-1" : null, fetchVersion >= 9 ? 3 : -1), (Backend.Groups.OffsetFetches[0].MemberId, Backend.Groups.OffsetFetches[0].Epoch));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AConsumerGroupHeartbeatJoinsByTopicIdAndGetsItsAssignmentByTopicId(short version)
    {
        var request = new ConsumerGroupHeartbeatRequest
        {
            GroupId = "g-848",
            MemberId = "",
            MemberEpoch = 0,
            RebalanceTimeoutMs = 30_000,
            SubscribedTopicNames = ["orders"],
            TopicPartitions = [new ConsumerGroupHeartbeatRequest.TopicPartitionsData { TopicId = FakeKafkaBackend.OrdersId, Partitions = [1] }, new() { TopicId = Guid.NewGuid(), Partitions = [0] }],
        };
        var answer = await AskAsync(ConsumerGroupHeartbeatRequest.ApiKey, version, request, ConsumerGroupHeartbeatResponse.Read, clientId: "app-848");

        Assert.Equal(((short)0, "m-848", 1, 5000), (answer.ErrorCode, answer.MemberId, answer.MemberEpoch, answer.HeartbeatIntervalMs));
        var assigned = Assert.Single(answer.Assignment!.TopicPartitions);
        Assert.Equal((FakeKafkaBackend.OrdersId, "0,2"), (assigned.TopicId, string.Join(",", assigned.Partitions)));
        var heartbeat = Assert.Single(Backend.Groups.ConsumerHeartbeats);
        // The unknown topic id is left out of what the member owns; the client id comes from the request header.
        Assert.Equal([new KafkaPartitionRef("orders", 1)], heartbeat.OwnedPartitions!);
        Assert.Equal("app-848", heartbeat.ClientId);

        var next = await AskAsync(ConsumerGroupHeartbeatRequest.ApiKey, version, new ConsumerGroupHeartbeatRequest { GroupId = "g-848", MemberId = "m-848", MemberEpoch = 1 }, ConsumerGroupHeartbeatResponse.Read);
        Assert.Null(next.Assignment);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ConsumerGroupDescribeNamesEachMembersAssignmentAndTargetByTopicIdAndName(short version)
    {
        var answer = await AskAsync(ConsumerGroupDescribeRequest.ApiKey, version, new ConsumerGroupDescribeRequest { GroupIds = ["g-848", "nope"] }, ConsumerGroupDescribeResponse.Read);

        var group = answer.Groups[0];
        Assert.Equal(("Stable", 3, "uniform"), (group.GroupState, group.GroupEpoch, group.AssignorName));
        var member = Assert.Single(group.Members);
        Assert.Equal(("m-848", 3, "app"), (member.MemberId, member.MemberEpoch, member.ClientId));
        Assert.Equal([(FakeKafkaBackend.OrdersId, "orders", "0,1")], member.TargetAssignment.TopicPartitions.Select(t => (t.TopicId, t.TopicName, string.Join(',', t.Partitions))));
        Assert.Equal((short)ErrorCode.GroupIdNotFound, answer.Groups[1].ErrorCode);
    }
}
