using Orlog.Grains;
using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>
/// SDK consumers with group.protocol=classic: JoinGroup and SyncGroup against the coordinator grain, the leader
/// member assigning, eager hand-overs, commits under the generation, and a clear refusal from a group of the other dialect.
/// </summary>
public sealed class ClassicGroupTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private static ConsumerConfig Classic(string group, string clientId, string strategy = "range")
    {
        var config = Config(group, clientId);
        config.GroupProtocol = GroupProtocol.Classic;
        config.HeartbeatIntervalMs = 200;
        config.Set("partition.assignment.strategy", strategy);
        return config;
    }

    [Fact]
    public async Task ClassicMembersSplitThePartitionsHandOverEagerlyAndCommitUnderTheirGeneration()
    {
        const string topic = "classic-split", group = "classic-split";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        await ProduceAsync(client, topic, 4, 40);
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Classic(group, "a"), [topic], log);
        await Eventually.True(() => a.Records.Count >= 40, "a consumed every record");
        Assert.Equal(4, a.Owned.Count);

        // b joins: a revokes everything (eager) before the leader's new assignment gives each two.
        var b = GroupMemberRunner.Start(client, "b", Classic(group, "b"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "a and b own two partitions each");
        Assert.Empty(a.Owned.Intersect(b.Owned));
        var entries = log.Entries;
        foreach (var given in entries.Where(e => e.Member == "b" && e.Kind == "assigned"))
        {
            var revoked = entries.Last(e => e.Member == "a" && e.Kind == "revoked" && e.Partition == given.Partition);
            Assert.True(revoked.Sequence < given.Sequence, $"{given.Partition} was given to b before a revoked it.");
        }
        var described = await Cluster.DescribeAsync(group);
        Assert.Equal(GroupDialects.Classic, described.Dialect);
        Assert.Equal(["a", "b"], described.Members.Select(m => m.ClientId).Order());

        await ProduceAsync(client, topic, 4, 40, from: 40);
        await Eventually.True(() => a.Records.Count + b.Records.Count >= 80, "the members consumed the new records");

        // a closes: b takes every partition and goes on from the committed offsets, so nothing is read twice.
        await a.CloseAsync();
        await Eventually.True(() => b.Owned.Count == 4, "b owns every partition");
        await ProduceAsync(client, topic, 4, 40, from: 80);
        await Eventually.True(() => a.Records.Count + b.Records.Count >= 120, "b consumed what came after a left");
        await b.CloseAsync();

        var all = a.Records.Concat(b.Records).ToList();
        Assert.Equal(120, all.Count);
        Assert.Equal(120, all.Select(r => r.Message!.Value).Distinct().Count());
        var partitions = Partitions(topic, 4);
        Assert.Equal(ConsumedUpTo(all, partitions), Committed(client, group, partitions));
        Assert.Empty(a.Errors.Concat(b.Errors));
        Assert.Empty((await Cluster.DescribeAsync(group)).Members);
    }

    [Fact]
    public async Task RoundRobinIsUsedWhenEveryMemberOffersIt()
    {
        const string topic = "classic-rr", group = "classic-rr";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Classic(group, "a", "roundrobin,range"), [topic], log);
        var b = GroupMemberRunner.Start(client, "b", Classic(group, "b", "roundrobin"), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "a and b own two partitions each");
        // Round robin deals alternately: one member has the even partitions, the other the odd ones.
        Assert.Single(a.Owned.Select(p => p.Partition % 2).Distinct());
        Assert.Equal("roundrobin", (await Cluster.DescribeAsync(group)).ProtocolName);
        await a.CloseAsync();
        await b.CloseAsync();
    }

    [Fact]
    public async Task AClassicMemberIsRefusedByAGroupOfTheServerSideDialect()
    {
        const string topic = "classic-clash", group = "classic-clash";
        await Cluster.CreateTopicAsync(topic, 2);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var modern = GroupMemberRunner.Start(client, "modern", Config(group, "modern"), [topic], log);
        await Eventually.True(() => modern.Owned.Count == 2, "the server-side member owns both partitions");
        var classic = GroupMemberRunner.Start(client, "classic", Classic(group, "classic"), [topic], log);
        await Eventually.True(() => classic.Errors.OfType<KafkaException>().Any(e => e.Error.Code == ErrorCode.InconsistentGroupProtocol),
            "the classic member's Consume reports INCONSISTENT_GROUP_PROTOCOL");
        Assert.Equal(2, modern.Owned.Count);
        await classic.CloseAsync();
        await modern.CloseAsync();
    }
}
