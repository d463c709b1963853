using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>Stored and committed offsets of a group member, auto commit, lag, and commits that the group must refuse.</summary>
public sealed class GroupOffsetTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private static IConsumer<string, string> Member(OrlogClient client, ConsumerConfig config, string topic, GroupEventLog? log = null, string name = "a")
    {
        var builder = new ConsumerBuilder<string, string>(config).SetClient(client);
        if (log is not null)
        {
            builder.SetPartitionsAssignedHandler((_, partitions) => log.Add(name, "assigned", partitions))
                .SetPartitionsRevokedHandler((_, partitions) => log.Add(name, "revoked", partitions.Select(p => p.TopicPartition)))
                .SetPartitionsLostHandler((_, partitions) => log.Add(name, "lost", partitions.Select(p => p.TopicPartition)));
        }
        var consumer = builder.Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    [Fact]
    public async Task CommitSendsTheStoredOffsets()
    {
        const string topic = "o-store", group = "o-store";
        await Cluster.CreateTopicAsync(topic, 1);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 1, 20);
        var config = Config(group, "a");
        config.EnableAutoOffsetStore = false;
        using var consumer = Member(client, config, topic);
        var records = Eventually.Consume(consumer, 10);
        var partition = new TopicPartition(topic, 0);

        Assert.Empty(consumer.Commit());
        consumer.StoreOffset(records[4]);
        Assert.Equal([new TopicPartitionOffset(partition, 5)], consumer.Commit());
        Assert.Equal([new TopicPartitionOffset(partition, 5)], consumer.Committed([partition], TimeSpan.FromSeconds(10)));
        consumer.Commit(records[6]);
        Assert.Equal(7, consumer.Committed([partition], TimeSpan.FromSeconds(10))[0].Offset.Value);
        await consumer.CommitAsync([new TopicPartitionOffset(partition, 9)]);
        Assert.Equal([9L], Committed(client, group, [partition]));
        consumer.StoreOffset(new TopicPartitionOffset(partition, 10));
        Assert.Equal([new TopicPartitionOffset(partition, 10)], await consumer.CommitAsync());

        Assert.Equal(10, consumer.CurrentLag(partition));
        Assert.Throws<InvalidOperationException>(() => consumer.StoreOffset(new TopicPartitionOffset(topic, 1, 3)));
        Assert.Throws<ArgumentException>(() => consumer.StoreOffset(new TopicPartitionOffset(partition, Offset.End)));
        Assert.Equal(Offset.Unset, consumer.Committed([new TopicPartition("o-never", 0)], TimeSpan.FromSeconds(10))[0].Offset);
    }

    [Fact]
    public async Task ConsumeStoresTheOffsetAfterEachRecordByDefault()
    {
        const string topic = "o-autostore", group = "o-autostore";
        await Cluster.CreateTopicAsync(topic, 1);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 1, 10);
        using var consumer = Member(client, Config(group, "a"), topic);
        Eventually.Consume(consumer, 5);
        Assert.Equal([new TopicPartitionOffset(topic, 0, 5)], consumer.Commit());
    }

    [Fact]
    public async Task AutoCommitCommitsInTheBackground()
    {
        const string topic = "o-auto", group = "o-auto";
        await Cluster.CreateTopicAsync(topic, 2);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 2, 20);
        var config = Config(group, "a");
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 200;
        using var consumer = Member(client, config, topic);
        Eventually.Consume(consumer, 20);
        var partitions = Partitions(topic, 2);
        await Eventually.True(() => Committed(client, group, partitions).SequenceEqual([10L, 10L]), "the consumed offsets are committed without a Commit call");
    }

    [Fact]
    public async Task AutoCommitCommitsAtClose()
    {
        const string topic = "o-close", group = "o-close";
        await Cluster.CreateTopicAsync(topic, 1);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 1, 10);
        var config = Config(group, "a");
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 600_000;
        var consumer = Member(client, config, topic);
        Eventually.Consume(consumer, 7);
        consumer.Close();
        Assert.Equal([7L], Committed(client, group, Partitions(topic, 1)));
    }

    [Fact]
    public async Task AMemberThatStopsConsumingLeavesAfterMaxPollIntervalAndRejoinsOnTheNextConsume()
    {
        const string topic = "o-poll", group = "o-poll";
        await Cluster.CreateTopicAsync(topic, 1);
        await using var client = Cluster.Connect();
        var config = Config(group, "a");
        config.MaxPollIntervalMs = 1000;
        var log = new GroupEventLog();
        using var consumer = Member(client, config, topic, log);
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && consumer.Assignment.Count == 1, "the member owns the partition");

        await Eventually.True(() => Cluster.DescribeAsync(group).GetAwaiter().GetResult().Members.Count == 0, "the member left the group");
        Assert.DoesNotContain(log.Entries, e => e.Kind != "assigned");
        await Eventually.True(() => consumer.Consume(TimeSpan.FromMilliseconds(20)) is var _ && log.Entries.Count(e => e.Kind == "assigned") == 2,
            "the member joined again and has the partition back");
        Assert.Equal(["assigned", "lost", "assigned"], log.Entries.Select(e => e.Kind));
    }

    [Fact]
    public async Task ACommitFromAMemberWhosePartitionsWentToAnotherFails()
    {
        const string topic = "o-fenced", group = "o-fenced";
        await Cluster.CreateTopicAsync(topic, 2);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 2, 10);
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        var b = GroupMemberRunner.Start(client, "b", Config(group, "b"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 1 && b.Owned.Count == 1 && a.Records.Count + b.Records.Count >= 10, "the members split the partitions");
        await a.StopAsync();
        var zombie = (Consumer<string, string>)a.Consumer;
        await zombie.StopHeartbeatsAsync();
        await Eventually.True(() => b.Owned.Count == 2, "the other member took the partition over");

        var owned = Assert.Single(zombie.Assignment);
        var error = Assert.Throws<KafkaException>(() => zombie.Commit([new TopicPartitionOffset(owned, 1)]));
        Assert.Contains(error.Code, new[] { ErrorCode.UnknownMemberId, ErrorCode.FencedMemberEpoch });
        Assert.Equal(error.Code, Assert.Throws<KafkaException>(() => zombie.Commit([new TopicPartitionOffset(owned, 2)])).Code);
        await a.KillAsync();
        await b.CloseAsync();
    }

    [Fact]
    public async Task AssignedPartitionsStartAtTheGroupsCommittedOffset()
    {
        const string topic = "o-assign", group = "o-assign";
        await Cluster.CreateTopicAsync(topic, 1);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 1, 10);
        var partition = new TopicPartition(topic, 0);
        using (var first = new ConsumerBuilder<string, string>(Config(group, "a")).SetClient(client).Build())
        {
            first.Assign([partition]);
            Assert.Equal(["v0"], Eventually.Consume(first, 1).Select(r => r.Message!.Value));
            // No member: the group takes an assign()-ed consumer's commit.
            first.Commit([new TopicPartitionOffset(partition, 6)]);
        }
        using var second = new ConsumerBuilder<string, string>(Config(group, "b")).SetClient(client).Build();
        second.Assign([partition]);
        Assert.Equal(["v6"], Eventually.Consume(second, 1).Select(r => r.Message!.Value));
        second.Seek(new TopicPartitionOffset(partition, 8));
        Assert.Equal(8, second.Position(partition).Value);
    }

    [Fact]
    public async Task SubscribeNeedsAGroupIdAndExcludesAssign()
    {
        await Cluster.CreateTopicAsync("o-modes", 1);
        await using var client = Cluster.Connect();
        using (var loner = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build())
        {
            Assert.Equal(ErrorCode.InvalidGroupId, Assert.Throws<KafkaException>(() => loner.Subscribe("o-modes")).Code);
            Assert.Equal(ErrorCode.InvalidGroupId, Assert.Throws<KafkaException>(() => loner.Commit()).Code);
        }
        using var consumer = new ConsumerBuilder<string, string>(Config("o-modes", "a")).SetClient(client).Build();
        consumer.Assign([new TopicPartition("o-modes", 0)]);
        var subscribe = Assert.Throws<InvalidOperationException>(() => consumer.Subscribe("o-modes"));
        Assert.Contains("Subscribe", subscribe.Message);
        Assert.Contains("Assign", subscribe.Message);
        consumer.Unassign();
        consumer.Subscribe("o-modes");
        Assert.Equal(["o-modes"], consumer.Subscription);
        var assign = Assert.Throws<InvalidOperationException>(() => consumer.Assign([new TopicPartition("o-modes", 0)]));
        Assert.Contains("Subscribe", assign.Message);
        Assert.Contains("Assign", assign.Message);
        consumer.Unsubscribe();
        Assert.Empty(consumer.Subscription);
        consumer.Assign([new TopicPartition("o-modes", 0)]);
    }

    [Fact]
    public async Task ConsumeThrowsWhatTheGroupRefusedTheMemberFor()
    {
        await Cluster.CreateTopicAsync("o-refused", 1);
        await using var client = Cluster.Connect();
        // The test silo takes sessions from 500 ms.
        using var consumer = new ConsumerBuilder<string, string>(Config("o-refused", "a", sessionTimeoutMs: 100)).SetClient(client).Build();
        consumer.Subscribe("o-refused");
        KafkaException? refused = null;
        await Eventually.True(() =>
        {
            try
            {
                consumer.Consume(TimeSpan.FromMilliseconds(20));
            }
            catch (KafkaException error)
            {
                refused = error;
            }
            return refused is not null;
        }, "Consume throws the group's refusal");
        Assert.Equal(ErrorCode.InvalidSessionTimeout, refused!.Code);
        Assert.Contains("session.timeout.ms", refused.Message);
        Assert.Equal("", consumer.MemberId);
        Assert.Empty(consumer.Assignment);
    }
}
