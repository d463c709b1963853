using Orlog.Grains;
using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>What a member tells its group: a join with every field, then heartbeats with what it owns and what changed; a static leave.</summary>
public sealed class GroupHeartbeatTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task AJoinSendsEveryFieldAndHeartbeatsSendOnlyWhatChanged()
    {
        const string topic = "h-fields", other = "h-fields-2", group = "h-fields";
        await Cluster.CreateTopicAsync(topic, 2);
        await Cluster.CreateTopicAsync(other, 1);
        GroupRecordingGateway? recorder = null;
        await using var client = Cluster.Connect(intercept: inner => recorder = new GroupRecordingGateway(inner));
        var config = Config(group, "fields");
        config.GroupInstanceId = "fields-1";
        config.GroupRemoteAssignor = "range";
        config.MaxPollIntervalMs = 20_000;
        var consumer = new ConsumerBuilder<string, string>(config).SetClient(client).Build();
        consumer.Subscribe(topic);
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && consumer.Assignment.Count == 2, "the member owns both partitions");
        await Eventually.True(() => recorder!.Heartbeats.Any(h => h.OwnedPartitions!.Count == 2), "a heartbeat reported both partitions");

        var join = recorder!.Heartbeats[0];
        Assert.Equal((0, "fields-1", 20_000, SessionTimeoutMs, "range", "fields"),
            (join.MemberEpoch, join.GroupInstanceId, join.RebalanceTimeoutMs, join.SessionTimeoutMs, join.ServerAssignor, join.ClientId));
        Assert.Equal([topic], join.SubscribedTopicNames!);
        Assert.Null(join.SubscribedTopicRegex);
        Assert.Empty(join.OwnedPartitions!);
        Assert.NotEmpty(join.ClientHost);
        Assert.True(Guid.TryParse(join.MemberId, out _));
        Assert.Equal(join.MemberId, consumer.MemberId);
        var beats = recorder.Heartbeats.Skip(1).ToList();
        Assert.NotEmpty(beats);
        Assert.All(beats, h => Assert.Equal((join.MemberId, (IReadOnlyList<string>?)null, (string?)null), (h.MemberId, h.SubscribedTopicNames, h.ServerAssignor)));
        Assert.All(beats, h => Assert.NotNull(h.OwnedPartitions));

        var before = recorder.Heartbeats.Count;
        consumer.Subscribe([topic, other]);
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && consumer.Assignment.Count == 3, "the member owns the new topic's partition too");
        var changes = recorder.Heartbeats.Skip(before).Where(h => h.SubscribedTopicNames is not null).ToList();
        Assert.Equal([topic, other], Assert.Single(changes).SubscribedTopicNames!);

        consumer.Close();
        Assert.Equal(GroupHeartbeatRequest.StaticLeaveEpoch, recorder.Heartbeats[^1].MemberEpoch);
    }

    [Fact]
    public async Task AMemberKeepsItsPartitionsThroughHeartbeatFailuresShorterThanItsSession()
    {
        const string topic = "h-flaky", group = "h-flaky";
        await Cluster.CreateTopicAsync(topic, 2);
        GroupRecordingGateway? recorder = null;
        await using var client = Cluster.Connect(intercept: inner => recorder = new GroupRecordingGateway(inner));
        var log = new GroupEventLog();
        var member = GroupMemberRunner.Start(client, "a", Config(group, "a", sessionTimeoutMs: 4000), [topic], log);
        await Eventually.True(() => member.Owned.Count == 2, "the member owns both partitions");

        recorder!.FailHeartbeats = true;
        await Task.Delay(1500);
        recorder.FailHeartbeats = false;
        var count = recorder.Heartbeats.Count;
        await Eventually.True(() => recorder.Heartbeats.Count > count + 2, "heartbeats go through again");
        Assert.Equal(2, member.Owned.Count);
        Assert.DoesNotContain(log.Entries, e => e.Kind != "assigned");
        await member.CloseAsync();
    }

    [Fact]
    public async Task AMemberCutOffLongerThanItsSessionLosesItsPartitionsAndJoinsAgain()
    {
        const string topic = "h-cut", group = "h-cut";
        await Cluster.CreateTopicAsync(topic, 2);
        GroupRecordingGateway? recorder = null;
        await using var client = Cluster.Connect(intercept: inner => recorder = new GroupRecordingGateway(inner));
        var log = new GroupEventLog();
        var member = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        await Eventually.True(() => member.Owned.Count == 2, "the member owns both partitions");

        recorder!.FailHeartbeats = true;
        await Eventually.True(() => Cluster.DescribeAsync(group).GetAwaiter().GetResult().Members.Count == 0, "the group expired the member");
        recorder.FailHeartbeats = false;
        await Eventually.True(() => log.Entries.Count(e => e.Kind == "assigned") == 4, "the member joined again and has its partitions back");
        Assert.Equal(["assigned", "assigned", "lost", "lost", "assigned", "assigned"], log.Entries.Select(e => e.Kind));
        await member.CloseAsync();
    }

    [Fact]
    public async Task ACommitAtAStaleEpochIsSentAgainAfterTheNextHeartbeat()
    {
        const string topic = "h-stale", group = "h-stale";
        await Cluster.CreateTopicAsync(topic, 1);
        GroupRecordingGateway? recorder = null;
        await using var client = Cluster.Connect(intercept: inner => recorder = new GroupRecordingGateway(inner));
        await ProduceAsync(client, topic, 1, 5);
        using var consumer = new ConsumerBuilder<string, string>(Config(group, "a")).SetClient(client).Build();
        consumer.Subscribe(topic);
        Eventually.Consume(consumer, 5);

        recorder!.StaleCommits = 1;
        Assert.Equal([new TopicPartitionOffset(topic, 0, 5)], consumer.Commit());
        var commits = recorder.Commits;
        Assert.Equal(2, commits.Count);
        Assert.True(commits[1].HeartbeatsBefore > commits[0].HeartbeatsBefore, "The commit was sent again before a heartbeat.");
        Assert.Equal([5L], Committed(client, group, [new TopicPartition(topic, 0)]));

        recorder.StaleCommits = 2;
        Assert.Equal(ErrorCode.StaleMemberEpoch, Assert.Throws<Orlog.Client.KafkaException>(() => consumer.Commit([new TopicPartitionOffset(topic, 0, 4)])).Code);
    }

    [Fact]
    public async Task WithoutALostHandlerTheRevokedHandlerHearsOfLostPartitions()
    {
        const string topic = "h-nolost", group = "h-nolost";
        await Cluster.CreateTopicAsync(topic, 1);
        GroupRecordingGateway? recorder = null;
        await using var client = Cluster.Connect(intercept: inner => recorder = new GroupRecordingGateway(inner));
        var revoked = new List<List<TopicPartitionOffset>>();
        using var consumer = new ConsumerBuilder<string, string>(Config(group, "a"))
            .SetClient(client)
            .SetPartitionsRevokedHandler((_, partitions) => revoked.Add(partitions))
            .Build();
        consumer.Subscribe(topic);
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && consumer.Assignment.Count == 1, "the member owns the partition");

        recorder!.FailHeartbeats = true;
        await Eventually.True(() => Cluster.DescribeAsync(group).GetAwaiter().GetResult().Members.Count == 0, "the group expired the member");
        recorder.FailHeartbeats = false;
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && revoked.Count == 1, "the revoked handler heard of the loss");
        Assert.Equal(new TopicPartition(topic, 0), Assert.Single(revoked[0]).TopicPartition);
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && consumer.Assignment.Count == 1, "the member joined again");
    }
}
