using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Groups;

namespace Orlog.Grains.Tests.Groups;

/// <summary>The group grain in the server-side dialect on an in-process silo: members are played by <see cref="GroupMemberClient"/>.</summary>
public sealed class ConsumerGroupGrainTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Members_joining_and_leaving_share_the_partitions_with_at_most_one_owner_each(int count)
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("orders", 16);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g-" + count);
        var members = new List<GroupMemberClient>();

        for (var i = 0; i < count; i++)
        {
            var member = new GroupMemberClient(group, $"m{i}", ["orders"]);
            await member.JoinAsync();
            members.Add(member);
            await SettleAsync(group, members);
        }
        AssertBalanced(members, 16);

        while (members.Count > 1)
        {
            await members[0].LeaveAsync();
            members.RemoveAt(0);
            await SettleAsync(group, members);
            AssertBalanced(members, 16);
        }
        var description = await group.Describe();
        Assert.Equal(GroupStates.Stable, description.State);
        Assert.Equal(GroupDialects.Consumer, description.Dialect);
        Assert.Equal(16, Assert.Single(description.Members).Assignment.Count);
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_loses_its_partitions_within_the_session_timeout()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("orders", 4);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        var a = new GroupMemberClient(group, "a", ["orders"]) { SessionTimeoutMs = 1_000 };
        var b = new GroupMemberClient(group, "b", ["orders"]) { SessionTimeoutMs = 1_000 };
        await a.JoinAsync();
        await b.JoinAsync();
        await SettleAsync(group, [a, b]);

        // a is killed: from now on only b heartbeats, at its interval.
        var killed = DateTime.UtcNow;
        await Eventually.Async(async () =>
        {
            await b.HeartbeatAsync();
            return b.Owned.Count == 4;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(b.HeartbeatIntervalMs));
        Assert.True(DateTime.UtcNow - killed < TimeSpan.FromMilliseconds(1_000 + 1_000 + 500), "the partitions came back too late");
        Assert.Equal(ErrorCode.UnknownMemberId, (await a.HeartbeatAsync()).Error);
    }

    [Fact]
    public async Task Offsets_and_members_are_fenced_by_member_epoch_and_survive_a_restart()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("orders", 2);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        var member = new GroupMemberClient(group, "a", ["orders"]);
        await member.JoinAsync();

        var committed = await group.CommitOffsets(new OffsetCommitRequest("a", member.Epoch, null,
            [new OffsetToCommit("orders", 0, 42, -1, "checkpoint"), new OffsetToCommit("orders", 1, 7, -1, null)]));
        Assert.All(committed, r => Assert.Equal(ErrorCode.None, r.Error));

        Assert.All(await group.CommitOffsets(new OffsetCommitRequest("a", member.Epoch + 1, null, [new OffsetToCommit("orders", 0, 50, -1, null)])),
            r => Assert.Equal(ErrorCode.FencedMemberEpoch, r.Error));
        Assert.All(await group.CommitOffsets(new OffsetCommitRequest("zombie", member.Epoch, null, [new OffsetToCommit("orders", 0, 50, -1, null)])),
            r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));
        Assert.All(await group.CommitOffsets(new OffsetCommitRequest("", -1, null, [new OffsetToCommit("orders", 0, 50, -1, null)])),
            r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));
        Assert.Equal(ErrorCode.StaleMemberEpoch, (await group.FetchOffsets(new OffsetFetchRequest("a", member.Epoch - 1, null))).Error);

        var bad = await group.CommitOffsets(new OffsetCommitRequest("a", member.Epoch, null,
            [new OffsetToCommit("orders", 5, 1, -1, null), new OffsetToCommit("nope", 0, 1, -1, null), new OffsetToCommit("orders", 0, 1, -1, new string('x', 5000))]));
        Assert.Equal([ErrorCode.UnknownTopicOrPartition, ErrorCode.UnknownTopicOrPartition, ErrorCode.OffsetMetadataTooLarge], bad.Select(r => r.Error));

        await cluster.RestartAsync();
        group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");

        var fetched = await group.FetchOffsets(new OffsetFetchRequest(null, -1, [new TopicPartition("orders", 0), new TopicPartition("orders", 1)]));
        Assert.Equal(ErrorCode.None, fetched.Error);
        Assert.Equal([42L, 7L], fetched.Offsets.Select(o => o.Offset));
        Assert.Equal("checkpoint", fetched.Offsets[0].Metadata);
        var listed = Assert.Single(await cluster.Client.GetGrain<IGroupDirectoryGrain>(0).List());
        Assert.Equal(("g", GroupStates.Stable), (listed.GroupId, listed.State));

        // The member from before the restart is still in the group, at its epoch, and still fenced as before.
        var epoch = member.Epoch;
        Assert.Equal(ErrorCode.None, (await group.Heartbeat(new GroupHeartbeatRequest("a", epoch, null, 30_000, 10_000, null, null, null, [new TopicPartition("orders", 0), new TopicPartition("orders", 1)], "client-a", "127.0.0.1"))).Error);
        Assert.All(await group.CommitOffsets(new OffsetCommitRequest("", -1, null, [new OffsetToCommit("orders", 0, 3, -1, null)])),
            r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));

        // Once it leaves, the empty group takes admin commits.
        Assert.Equal(ErrorCode.None, (await group.Heartbeat(new GroupHeartbeatRequest("a", GroupHeartbeatRequest.LeaveEpoch, null, 30_000, 10_000, null, null, null, [], "client-a", "127.0.0.1"))).Error);
        Assert.All(await group.CommitOffsets(new OffsetCommitRequest("", -1, null, [new OffsetToCommit("orders", 0, 3, -1, null)])),
            r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(3, (await group.FetchOffsets(new OffsetFetchRequest(null, -1, null))).Offsets[0].Offset);
    }

    [Fact]
    public async Task A_group_is_deleted_only_when_empty()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("orders", 1);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        var directory = cluster.Client.GetGrain<IGroupDirectoryGrain>(0);
        Assert.Equal(ErrorCode.GroupIdNotFound, await group.Delete());
        Assert.Equal(GroupStates.Dead, (await group.Describe()).State);

        var member = new GroupMemberClient(group, "a", ["orders"]);
        await member.JoinAsync();
        Assert.Equal(GroupStates.Stable, Assert.Single(await directory.List()).State);
        Assert.Equal(ErrorCode.NonEmptyGroup, await group.Delete());

        await member.LeaveAsync();
        Assert.Equal(ErrorCode.None, await group.Delete());
        Assert.Equal(GroupStates.Dead, (await group.Describe()).State);
        Assert.Empty(await directory.List());
    }

    [Fact]
    public async Task Members_get_new_partitions_and_new_matching_topics()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("logs-a", 2);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        var byName = new GroupMemberClient(group, "names", ["logs-a"]);
        var byRegex = new GroupMemberClient(group, "regex", null, regex: "logs-.*");
        await byName.JoinAsync();
        await byRegex.JoinAsync();
        await SettleAsync(group, [byName, byRegex]);
        Assert.Equal(2, byName.Owned.Count + byRegex.Owned.Count);

        await cluster.Controller.AddPartitions("logs-a", 4);
        await cluster.CreateTopicAsync("logs-b", 2);
        await cluster.CreateTopicAsync("other", 2);

        await Eventually.Async(async () =>
        {
            await byName.HeartbeatAsync();
            await byRegex.HeartbeatAsync();
            return byName.Owned.Count + byRegex.Owned.Count == 6 && byRegex.Owned.Count(p => p.Topic == "logs-b") == 2;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(byName.Owned.Concat(byRegex.Owned), p => p.Topic == "other");

        await cluster.Controller.DeleteTopic("logs-b");
        await Eventually.Async(async () =>
        {
            await byName.HeartbeatAsync();
            await byRegex.HeartbeatAsync();
            return !byRegex.Owned.Any(p => p.Topic == "logs-b");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_group_speaks_one_dialect_at_a_time()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateTopicAsync("orders", 1);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        await new GroupMemberClient(group, "a", ["orders"]).JoinAsync();

        var join = await group.JoinGroup(new JoinGroupRequest("", null, 10_000, 10_000, "consumer", [new GroupProtocol("range", [])], "c", "h", null));

        Assert.Equal(ErrorCode.InconsistentGroupProtocol, join.Error);
    }

    [Fact]
    public async Task Offsets_of_a_group_empty_for_longer_than_the_retention_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await StartAsync(services => services.AddSingleton(new GroupClock(time)));
        await cluster.CreateTopicAsync("orders", 2);
        var group = cluster.Client.GetGrain<IConsumerGroupGrain>("g");
        await group.CommitOffsets(new OffsetCommitRequest("", -1, null, [new OffsetToCommit("orders", 0, 1, -1, null)]));

        time.Advance(TimeSpan.FromDays(6));
        await group.CommitOffsets(new OffsetCommitRequest("", -1, null, [new OffsetToCommit("orders", 1, 1, -1, null)]));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await group.ExpireOffsets();

        Assert.Equal([1], (await group.FetchOffsets(new OffsetFetchRequest(null, -1, null))).Offsets.Select(o => o.Partition));
        time.Advance(TimeSpan.FromDays(6));
        await group.ExpireOffsets();

        Assert.Equal(GroupStates.Dead, (await group.Describe()).State);
        Assert.Empty(await cluster.Client.GetGrain<IGroupDirectoryGrain>(0).List());
    }

    internal static Task<BrokerCluster> StartAsync(Action<IServiceCollection>? services = null) =>
        BrokerCluster.StartAsync(options =>
        {
            options.Defaults["group.min.session.timeout.ms"] = "500";
            options.Defaults["group.initial.rebalance.delay.ms"] = "0";
        }, services);

    internal static async Task SettleAsync(IConsumerGroupGrain group, IReadOnlyList<GroupMemberClient> members)
    {
        await Eventually.Async(async () =>
        {
            foreach (var member in members)
            {
                await member.HeartbeatAsync();
                AssertDisjoint(members);
            }
            return (await group.Describe()).State == GroupStates.Stable;
        }, TimeSpan.FromSeconds(10), TimeSpan.Zero);
        foreach (var member in members)
        {
            await member.HeartbeatAsync();
        }
    }

    internal static void AssertDisjoint(IReadOnlyList<GroupMemberClient> members)
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

    private static void AssertBalanced(List<GroupMemberClient> members, int partitions)
    {
        AssertDisjoint(members);
        Assert.Equal(partitions, members.Sum(m => m.Owned.Count));
        Assert.True(members.Max(m => m.Owned.Count) - members.Min(m => m.Owned.Count) <= 1);
    }
}
