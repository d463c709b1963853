using System.Diagnostics;
using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Tests.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.ClassicGrain;

/// <summary>
/// Kafka's classic protocol through the real group grain on an in-process silo: the grain is reentrant (a
/// JoinGroup waits for the rest of the group), its 100 ms timer evicts and times out, and real time passes.
/// Every member is a <see cref="ClassicGrainConsumer"/> running its own loop; the <see cref="OwnershipLog"/>
/// checks at every change that no partition has two owners.
/// </summary>
public sealed class ClassicGroupGrainTests
{
    private const string Topic = "orders";
    private const int Partitions = 16;
    private const int TickMs = 100;

    public static TheoryData<int, RebalanceMode> Sizes => new()
    {
        { 1, RebalanceMode.Eager },
        { 3, RebalanceMode.Eager },
        { 8, RebalanceMode.Eager },
        { 1, RebalanceMode.Cooperative },
        { 3, RebalanceMode.Cooperative },
        { 8, RebalanceMode.Cooperative },
    };

    public static TheoryData<RebalanceMode> Modes => new() { RebalanceMode.Eager, RebalanceMode.Cooperative };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Members_joining_and_leaving_one_by_one_own_every_partition_exactly_once(int count, RebalanceMode mode)
    {
        await using var run = await ClassicGroupRun.StartAsync(Topic, Partitions);
        var members = new List<ClassicGrainConsumer>();
        var generation = 0;

        for (var i = 0; i < count; i++)
        {
            var before = Ownership(members);
            var mark = run.Log.Sequence;
            members.Add(run.Start($"m{i}", mode));
            var next = await run.SettleAsync(members, Partitions);
            var after = Ownership(members);
            AssertBalanced(after.Values, Partitions);
            if (before.Count == 0 || mode == RebalanceMode.Eager)
            {
                Assert.Equal(generation + 1, next);
                if (before.Count > 0)
                {
                    // Eager: every member gave up everything before the new generation was handed out.
                    Assert.All(before.Keys, name => Assert.Contains(run.Log.Since(mark), c => c.Consumer == name && c.Owned.Count == 0));
                }
            }
            else
            {
                // Cooperative: one rebalance to revoke what moves, one to hand it to the newcomer. On a loaded machine a
                // member's rejoin can land after the first round closed and start one more; what moves stays minimal.
                Assert.InRange(next, generation + 2, generation + 4);
                AssertOnlyWhatBalanceNeedsMoved(before, after, $"m{i}", run.Log.Since(mark));
            }
            generation = next;
        }

        while (members.Count > 0)
        {
            var before = Ownership(members);
            var mark = run.Log.Sequence;
            await members[0].CloseAsync();
            members.RemoveAt(0);
            if (members.Count == 0)
            {
                var empty = await run.Group.Describe();
                Assert.Equal((GroupStates.Empty, 0), (empty.State, empty.Members.Count));
                break;
            }
            var next = await run.SettleAsync(members, Partitions);
            Assert.Equal(generation + 1, next);
            var after = Ownership(members);
            AssertBalanced(after.Values, Partitions);
            if (mode == RebalanceMode.Cooperative)
            {
                // Only the leaver's partitions move; the others keep consuming theirs throughout.
                var changes = run.Log.Since(mark);
                foreach (var (name, owned) in after)
                {
                    Assert.Superset(before[name], owned);
                    Assert.All(changes.Where(c => c.Consumer == name), c => Assert.Superset(before[name], c.Owned.ToHashSet()));
                }
            }
            generation = next;
        }
        run.Log.AssertNoProblems();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_member_that_stops_heartbeating_is_evicted_within_its_session_and_the_rest_take_everything(RebalanceMode mode)
    {
        const int Session = 1_000;
        await using var run = await ClassicGroupRun.StartAsync(Topic, 6);
        var a = run.Start("a", mode);
        var b = run.Start("b", mode);
        var zombie = run.Start("zombie", mode, sessionTimeoutMs: Session);
        var generation = await run.SettleAsync([a, b, zombie], 6);
        var lost = zombie.Snapshot();
        Assert.NotEmpty(lost.Owned);

        var clock = Stopwatch.StartNew();
        await zombie.StallAsync();
        await run.WaitForAsync(d => d.Members.All(m => m.MemberId != lost.MemberId), "the zombie's eviction", TimeSpan.FromSeconds(10));
        var evictedAfter = clock.ElapsedMilliseconds;

        // Its last heartbeat was at most one interval (and a call) before it stalled; the timer ticks every 100 ms.
        // The upper bound leaves a second for a loaded machine (the whole suite shares two cores): the promise is
        // eviction after the session, not to the millisecond.
        Assert.InRange(evictedAfter, Session - ClassicGrainConsumer.HeartbeatIntervalMs - 200, Session + TickMs + 1_000);
        var next = await run.SettleAsync([a, b], 6);
        Assert.True(next > generation, $"generation {next} after the eviction, {generation} before");
        Assert.Equal(ErrorCode.UnknownMemberId, await run.Group.ClassicHeartbeat(lost.MemberId, lost.Generation, null));
        Assert.All(await Commit(run, lost.MemberId, lost.Generation, 0, 1), r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));
        run.Log.AssertNoProblems();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_static_member_restarting_within_its_session_gets_its_partitions_back_without_a_rebalance(RebalanceMode mode)
    {
        await using var run = await ClassicGroupRun.StartAsync(Topic, 6);
        // The static member joins first, so it leads: back, it must not assign again (KIP-814's skip assignment).
        var first = run.Start("s1", mode, instanceId: "instance-1");
        await run.SettleAsync([first], 6);
        var other = run.Start("d", mode);
        var generation = await run.SettleAsync([first, other], 6);
        var gone = first.Snapshot();
        var otherJoins = other.Snapshot().Joins;
        Assert.True(gone.Leads, $"{gone} should lead");

        await first.KillAsync();
        var restarted = run.Start("s1-restarted", mode, instanceId: "instance-1");
        Assert.Equal(generation, await run.SettleAsync([restarted, other], 6));

        var back = restarted.Snapshot();
        Assert.NotEqual(gone.MemberId, back.MemberId);
        Assert.True(back.Leads && back.SkippedAssignment, $"{back} should lead without assigning again");
        Assert.Equal(gone.Owned.Order(PartitionOrder.Instance), back.Owned.Order(PartitionOrder.Instance));
        Assert.Equal(otherJoins, other.Snapshot().Joins);
        Assert.Equal(ErrorCode.FencedInstanceId, await run.Group.ClassicHeartbeat(gone.MemberId, generation, "instance-1"));
        var described = Assert.Single((await run.Group.Describe()).Members, m => m.GroupInstanceId == "instance-1");
        Assert.Equal(back.MemberId, described.MemberId);
        run.Log.AssertNoProblems();
    }

    [Fact]
    public async Task Offset_commits_are_fenced_by_generation_membership_and_rebalance()
    {
        await using var run = await ClassicGroupRun.StartAsync(Topic, 4);
        var a = run.Start("a", RebalanceMode.Eager);
        var b = run.Start("b", RebalanceMode.Eager);
        var old = await run.SettleAsync([a, b], 4);
        Assert.All(await Commit(run, a.Snapshot().MemberId, old, 0, 10), r => Assert.Equal(ErrorCode.None, r.Error));

        // Hold the leader's SyncGroup: the group stays in CompletingRebalance.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.BeforeSync = b.BeforeSync = () => release.Task;
        var c = run.Start("c", RebalanceMode.Eager, sessionTimeoutMs: 1_000);
        var completing = await run.WaitForAsync(d => d.State == GroupStates.CompletingRebalance, "CompletingRebalance", TimeSpan.FromSeconds(10));
        Assert.Equal(old + 1, completing.Epoch);
        var bMember = b.Snapshot().MemberId;
        Assert.All(await Commit(run, bMember, completing.Epoch, 1, 20), r => Assert.Equal(ErrorCode.RebalanceInProgress, r.Error));
        Assert.All(await Commit(run, bMember, old, 1, 20), r => Assert.Equal(ErrorCode.RebalanceInProgress, r.Error));
        release.SetResult();
        a.BeforeSync = b.BeforeSync = null;

        var current = await run.SettleAsync([a, b, c], 4);
        Assert.Equal(completing.Epoch, current);
        Assert.All(await Commit(run, bMember, old, 1, 20), r => Assert.Equal(ErrorCode.IllegalGeneration, r.Error));
        Assert.All(await Commit(run, bMember, current, 1, 30), r => Assert.Equal(ErrorCode.None, r.Error));

        var gone = c.Snapshot();
        await c.StallAsync();
        await run.WaitForAsync(d => d.Members.All(m => m.MemberId != gone.MemberId), "c's eviction", TimeSpan.FromSeconds(10));
        Assert.All(await Commit(run, gone.MemberId, gone.Generation, 2, 40), r => Assert.Equal(ErrorCode.UnknownMemberId, r.Error));

        var fetched = await run.Group.FetchOffsets(new OffsetFetchRequest(bMember, -1, [new(Topic, 0), new(Topic, 1), new(Topic, 2)]));
        Assert.Equal(ErrorCode.None, fetched.Error);
        Assert.Equal([10L, 30L, -1L], fetched.Offsets.Select(o => o.Offset));
        run.Log.AssertNoProblems();
    }

    [Fact]
    public async Task A_group_with_classic_members_refuses_server_side_members_until_it_is_empty()
    {
        await using var run = await ClassicGroupRun.StartAsync(Topic, 2);
        var a = run.Start("a", RebalanceMode.Cooperative);
        var b = run.Start("b", RebalanceMode.Cooperative);
        var generation = await run.SettleAsync([a, b], 2);

        var server = new GroupMemberClient(run.Group, "server-side", [Topic]);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await server.JoinAsync()).Error);
        var classic = await run.Group.Describe();
        Assert.Equal((GroupDialects.Classic, 2, generation), (classic.Dialect, classic.Members.Count, classic.Epoch));

        await a.CloseAsync();
        await b.CloseAsync();
        Assert.Equal(GroupStates.Empty, (await run.Group.Describe()).State);

        Assert.Equal(ErrorCode.None, (await server.JoinAsync()).Error);
        var clock = Stopwatch.StartNew();
        while (server.Owned.Count < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the server-side member owns {server.Owned.Count} partitions");
            await Task.Delay(10);
            await server.HeartbeatAsync();
        }
        var consumer = await run.Group.Describe();
        Assert.Equal((GroupDialects.Consumer, server.MemberId), (consumer.Dialect, Assert.Single(consumer.Members).MemberId));
        var refused = await run.Group.JoinGroup(new JoinGroupRequest("", null, 3_000, 10_000, GroupProtocolTypes.Consumer,
            [new GroupProtocol("cooperative-sticky", ConsumerProtocol.EncodeSubscription(new([Topic], null, [], -1, null)))], "late", "/127.0.0.1", null));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, refused.Error);
        run.Log.AssertNoProblems();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_partition_added_to_a_subscribed_topic_is_handed_out_in_a_rebalance(RebalanceMode mode)
    {
        await using var run = await ClassicGroupRun.StartAsync(Topic, 4);
        ClassicGrainConsumer[] members = [run.Start("a", mode), run.Start("b", mode), run.Start("c", mode)];
        var generation = await run.SettleAsync(members, 4);
        var before = Ownership(members);

        await run.Cluster.Controller.AddPartitions(Topic, 6);

        // The grain reads the controller's metadata about once a second.
        Assert.Equal(generation + 1, await run.SettleAsync(members, 6, TimeSpan.FromSeconds(10)));
        var after = Ownership(members);
        AssertBalanced(after.Values, 6);
        if (mode == RebalanceMode.Cooperative)
        {
            Assert.All(before, owner => Assert.Superset(owner.Value, after[owner.Key]));
        }
        run.Log.AssertNoProblems();
    }

    private static Dictionary<string, HashSet<TopicPartition>> Ownership(IEnumerable<ClassicGrainConsumer> members) =>
        members.Select(m => m.Snapshot()).ToDictionary(s => s.Name, s => s.Owned.ToHashSet());

    private static Task<IReadOnlyList<OffsetCommitResult>> Commit(ClassicGroupRun run, string memberId, int generation, int partition, long offset) =>
        run.Group.CommitOffsets(new OffsetCommitRequest(memberId, generation, null, [new OffsetToCommit(Topic, partition, offset, -1, null)]));

    /// <summary>Every partition of the topic owned exactly once, and every member within one partition of every other.</summary>
    private static void AssertBalanced(IEnumerable<HashSet<TopicPartition>> owned, int partitions)
    {
        var sets = owned.ToList();
        Assert.Equal(Enumerable.Range(0, partitions).Select(p => new TopicPartition(Topic, p)), sets.SelectMany(s => s).Order(PartitionOrder.Instance));
        Assert.InRange(sets.Max(s => s.Count) - sets.Min(s => s.Count), 0, 1);
    }

    /// <summary>
    /// A cooperative join: the members that were there only lose partitions, never stop consuming the ones they
    /// keep, and keep as many as the balance allows, so the newcomer gets the smallest balanced share.
    /// </summary>
    private static void AssertOnlyWhatBalanceNeedsMoved(
        Dictionary<string, HashSet<TopicPartition>> before, Dictionary<string, HashSet<TopicPartition>> after, string newcomer, List<OwnershipChange> changes)
    {
        foreach (var (name, had) in before)
        {
            Assert.Subset(had, after[name]);
            Assert.All(changes.Where(c => c.Consumer == name), c => Assert.Subset(c.Owned.ToHashSet(), after[name]));
        }
        Assert.Equal(Partitions / after.Count, after[newcomer].Count);
        // Usually at once; with an extra round (a loaded machine) in steps, but the newcomer never gives anything back.
        Assert.All(changes.Where(c => c.Consumer == newcomer), c => Assert.Subset(after[newcomer], c.Owned.ToHashSet()));
    }
}
