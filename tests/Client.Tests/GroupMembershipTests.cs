using System.Diagnostics;
using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>Consumers in a group share the partitions: splits, hand-overs, static members, regular expressions, crashes.</summary>
public sealed class GroupMembershipTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly Comparer<TopicPartition> _partitionOrder =
        Comparer<TopicPartition>.Create((x, y) => (x.Topic, x.Partition).CompareTo((y.Topic, y.Partition)));

    private ClientCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task OneMemberConsumesEveryPartitionAndCommitsWhatItConsumed()
    {
        const string topic = "g-one", group = "g-one";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 4, 40);
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        await Eventually.True(() => a.Records.Count >= 40, "a consumed every record");
        Assert.NotEqual("", a.Consumer.MemberId);
        await a.CloseAsync();

        var partitions = Partitions(topic, 4);
        Assert.Equal(40, a.Records.Select(r => r.TopicPartitionOffset).Distinct().Count());
        Assert.Equal(40, a.Records.Count);
        Assert.Equal(partitions, log.Entries.Where(e => e.Kind == "assigned").Select(e => e.Partition).Order(_partitionOrder));
        Assert.Equal([10L, 10L, 10L, 10L], Committed(client, group, partitions));
        Assert.Empty(a.Errors);
        Assert.Empty((await Cluster.DescribeAsync(group)).Members);
    }

    [Fact]
    public async Task TwoMembersSplitThePartitionsAndConsumeEachRecordOnce()
    {
        const string topic = "g-two", group = "g-two";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        var b = GroupMemberRunner.Start(client, "b", Config(group, "b"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "each member owns two partitions");
        Assert.Empty(a.Owned.Intersect(b.Owned));

        await ProduceAsync(client, topic, 4, 100);
        await Eventually.True(() => a.Records.Count + b.Records.Count >= 100, "the members consumed every record");
        await a.CloseAsync();
        await b.CloseAsync();

        var all = a.Records.Concat(b.Records).ToList();
        Assert.Equal(100, all.Count);
        Assert.Equal(100, all.Select(r => r.Message!.Value).Distinct().Count());
        Assert.Empty(a.Records.Select(r => r.Partition).Intersect(b.Records.Select(r => r.Partition)));
        var partitions = Partitions(topic, 4);
        Assert.Equal(ConsumedUpTo(all, partitions), Committed(client, group, partitions));
        Assert.Empty(a.Errors.Concat(b.Errors));
    }

    [Fact]
    public async Task AJoiningMemberGetsPartitionsOnlyAfterTheirOwnerRevokedThem()
    {
        const string topic = "g-join", group = "g-join";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 4, 40);
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        await Eventually.True(() => a.Records.Count >= 40, "a consumed every record");
        Assert.Equal(4, a.Owned.Count);

        var b = GroupMemberRunner.Start(client, "b", Config(group, "b"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "b took two partitions over");
        var entries = log.Entries;
        foreach (var given in entries.Where(e => e.Member == "b" && e.Kind == "assigned"))
        {
            var revoked = Assert.Single(entries, e => e.Member == "a" && e.Kind == "revoked" && e.Partition == given.Partition);
            Assert.True(revoked.Sequence < given.Sequence, $"{given.Partition} was given to b before a revoked it.");
        }

        await ProduceAsync(client, topic, 4, 40, from: 40);
        await Eventually.True(() => a.Records.Count + b.Records.Count >= 80, "the members consumed the new records");
        await a.CloseAsync();
        await b.CloseAsync();
        // a committed each record before it gave its partitions up: b started where a stopped.
        var all = a.Records.Concat(b.Records).ToList();
        Assert.Equal(80, all.Count);
        Assert.Equal(80, all.Select(r => r.Message!.Value).Distinct().Count());
        Assert.Empty(a.Errors.Concat(b.Errors));
    }

    [Fact]
    public async Task AStaticMemberThatRestartsWithinItsSessionKeepsItsPartitions()
    {
        const string topic = "g-static", group = "g-static";
        const int session = 5000;
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var config = Config(group, "a", session);
        config.GroupInstanceId = "a";
        var a = GroupMemberRunner.Start(client, "a", config, [topic], log);
        var bConfig = Config(group, "b", session);
        bConfig.GroupInstanceId = "b";
        var b = GroupMemberRunner.Start(client, "b", bConfig, [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "each member owns two partitions");
        var aOwned = a.Owned;
        var bOwned = b.Owned;
        var mark = log.Entries.Count;

        await a.CloseAsync();
        var restarted = Stopwatch.StartNew();
        var again = GroupMemberRunner.Start(client, "a2", config, [topic], log);
        await Eventually.True(() => again.Owned.SetEquals(aOwned), "the restarted member has its partitions back");
        Assert.True(restarted.ElapsedMilliseconds < session, $"It took {restarted.ElapsedMilliseconds} ms, beyond the session.");
        Assert.DoesNotContain(log.Entries.Skip(mark), e => e.Member == "b");
        Assert.True(b.Owned.SetEquals(bOwned));
        var description = await Cluster.DescribeAsync(group);
        Assert.Equal(["a", "b"], description.Members.Select(m => m.GroupInstanceId).Order());
        await again.CloseAsync();
        await b.CloseAsync();
    }

    [Fact]
    public async Task ARegularExpressionSubscriptionPicksUpANewTopic()
    {
        const string group = "g-regex";
        await Cluster.CreateTopicAsync("rx-first", 1);
        await Cluster.CreateTopicAsync("not-rx-first", 1);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), ["^rx-.*"], log);
        await Eventually.True(() => a.Owned.Contains(new TopicPartition("rx-first", 0)), "the member owns the matching topic");
        Assert.Equal(["^rx-.*"], a.Consumer.Subscription);

        await Cluster.CreateTopicAsync("rx-second", 2);
        await ProduceAsync(client, "rx-second", 2, 10);
        await Eventually.True(() => a.Records.Count(r => r.Topic == "rx-second") >= 10, "the member consumed the new topic");
        Assert.DoesNotContain(a.Owned, p => p.Topic == "not-rx-first");
        Assert.Equal(3, a.Owned.Count);
        await a.CloseAsync();
    }

    [Fact]
    public async Task AKilledMembersPartitionsGoToTheSurvivorWithinTheSession()
    {
        const string topic = "g-kill", group = "g-kill";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 4, 40);
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a"), [topic], log);
        var b = GroupMemberRunner.Start(client, "b", Config(group, "b"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2 && a.Records.Count + b.Records.Count >= 40, "the members split the partitions and consumed");

        var mark = log.Entries.Count;
        var killed = Stopwatch.StartNew();
        await a.KillAsync();
        await Eventually.True(() => b.Owned.Count == 4, "the survivor owns every partition");
        // The session, one heartbeat interval (a third of it), and time to reconcile on a busy machine.
        var bound = SessionTimeoutMs + SessionTimeoutMs / 3 + 5000;
        Assert.True(killed.ElapsedMilliseconds < bound, $"The hand-over took {killed.ElapsedMilliseconds} ms, above {bound} ms.");
        // A crashed member runs no handler.
        Assert.DoesNotContain(log.Entries.Skip(mark), e => e.Member == "a" && e.Kind != "killed");

        await ProduceAsync(client, topic, 4, 40, from: 40);
        await Eventually.True(() => b.Records.Count(r => r.Offset.Value >= 10) >= 40, "the survivor consumed the new records of a's partitions too");
        await b.CloseAsync();
        // a committed every record it consumed: b went on from there.
        var all = a.Records.Concat(b.Records).ToList();
        Assert.Equal(80, all.Count);
        Assert.Equal(80, all.Select(r => r.Message!.Value).Distinct().Count());
    }

    [Fact]
    public async Task UnsubscribeRevokesCommitsAndLeavesAndSubscribeJoinsAgain()
    {
        const string topic = "g-unsubscribe", group = "g-unsubscribe";
        await Cluster.CreateTopicAsync(topic, 2);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 2, 20);
        var config = Config(group, "a");
        config.EnableAutoCommit = true;
        config.AutoCommitIntervalMs = 600_000;
        var log = new GroupEventLog();
        using var consumer = new ConsumerBuilder<string, string>(config)
            .SetClient(client)
            .SetPartitionsAssignedHandler((_, partitions) => log.Add("a", "assigned", partitions))
            .SetPartitionsRevokedHandler((_, partitions) => log.Add("a", "revoked", partitions.Select(p => p.TopicPartition)))
            .Build();
        consumer.Subscribe(topic);
        var first = Eventually.Consume(consumer, 12);

        consumer.Unsubscribe();
        Assert.Empty(consumer.Assignment);
        Assert.Empty(consumer.Subscription);
        Assert.Equal(2, log.Entries.Count(e => e.Kind == "revoked"));
        var partitions = Partitions(topic, 2);
        Assert.Equal(ConsumedUpTo(first, partitions), Committed(client, group, partitions));
        Assert.Empty((await Cluster.DescribeAsync(group)).Members);

        consumer.Subscribe(topic);
        var rest = Eventually.Consume(consumer, 8);
        Assert.Equal(20, first.Concat(rest).Select(r => r.Message!.Value).Distinct().Count());
    }
}
