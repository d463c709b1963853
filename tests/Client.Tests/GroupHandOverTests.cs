using System.Diagnostics;
using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>
/// The coordinator tells members of news at once (IGroupMemberObserver): a hand-over does not wait for heartbeat
/// intervals. Members here heartbeat every 5 s (group.consumer.heartbeat.interval.ms, with a long session), so a
/// hand-over that waited for them would take one to two intervals.
/// </summary>
public sealed class GroupHandOverTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const int LongSessionMs = 60_000;

    private ClientCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_joining_member_gets_its_share_well_within_one_heartbeat_interval()
    {
        const string topic = "handover", group = "handover";
        await Cluster.CreateTopicAsync(topic, 4);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var a = GroupMemberRunner.Start(client, "a", Config(group, "a", LongSessionMs), [topic], log);
        await Eventually.True(() => a.Owned.Count == 4, "a owns every partition");

        var clock = Stopwatch.StartNew();
        var b = GroupMemberRunner.Start(client, "b", Config(group, "b", LongSessionMs), [topic], log);
        await Eventually.True(() => a.Owned.Count == 2 && b.Owned.Count == 2, "a and b own two partitions each");
        var handOver = clock.Elapsed;
        Assert.Empty(a.Owned.Intersect(b.Owned));
        // One interval is 5 s; revoke, release and take over happen on the coordinator's word, not on intervals.
        Assert.True(handOver < TimeSpan.FromMilliseconds(2_500), $"the hand-over took {handOver.TotalMilliseconds:F0} ms");

        // And back when b leaves: a takes b's partitions at once too.
        clock.Restart();
        await b.CloseAsync();
        await Eventually.True(() => a.Owned.Count == 4, "a owns every partition again");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(2_500), $"taking b's partitions back took {clock.Elapsed.TotalMilliseconds:F0} ms");
        await a.CloseAsync();
        Assert.Empty(a.Errors.Concat(b.Errors));
    }
}
