using System.Diagnostics;
using Orlog.Grains;
using Xunit.Abstractions;
using static Orlog.Client.Tests.GroupTestKit;

namespace Orlog.Client.Tests;

/// <summary>
/// A minute of members starting, closing and crashing at random while a producer writes: every record is processed,
/// no member sees a partition's offsets go back while it owns it, no partition is handed on before its owner let it go
/// (unless the owner crashed or was fenced), and the group settles with every partition owned.
/// </summary>
public sealed class GroupChaosTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const string Topic = "chaos";
    private const string Group = "chaos";
    private const int PartitionCount = 6;
    private const int Keys = 24;
    private const int MaxMembers = 4;
    private const int Session = 2000;
    private static readonly TimeSpan _chaosTime = TimeSpan.FromSeconds(60);

    private ClientCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task MembersComingAndGoingAtRandomProcessEveryRecordAndSettle()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var context = $"(seed {seed})";
        await Cluster.CreateTopicAsync(Topic, PartitionCount);
        await using var client = Cluster.Connect();
        var log = new GroupEventLog();
        var members = new List<GroupMemberRunner>();
        var live = new List<GroupMemberRunner>();
        var produced = new List<string>();
        using var stopProducing = new CancellationTokenSource();
        var producing = ProduceAsync(client, produced, stopProducing.Token);

        var clock = Stopwatch.StartNew();
        var started = 0;
        var closed = 0;
        var killed = 0;
        while (clock.Elapsed < _chaosTime)
        {
            var action = live.Count == 0 ? 0 : live.Count == MaxMembers ? 1 + random.Next(2) : random.Next(3);
            if (action == 0)
            {
                var name = $"m{started++}";
                // Committing every few records, a crash leaves some records to be processed again.
                var member = GroupMemberRunner.Start(client, name, Config(Group, name, Session), [Topic], log, commitEvery: 7, logRecords: true);
                members.Add(member);
                live.Add(member);
            }
            else
            {
                var member = live[random.Next(live.Count)];
                live.Remove(member);
                if (action == 1)
                {
                    await member.CloseAsync();
                    closed++;
                }
                else
                {
                    await member.KillAsync();
                    killed++;
                }
            }
            await Task.Delay(random.Next(300, 2500));
        }
        await stopProducing.CancelAsync();
        await producing;
        foreach (var member in live)
        {
            await member.CloseAsync();
        }

        var final = GroupMemberRunner.Start(client, "final", Config(Group, "final", Session), [Topic], log, logRecords: true);
        members.Add(final);
        var expected = produced.ToHashSet();
        await Eventually.True(() => expected.IsSubsetOf(members.SelectMany(m => m.Records).Select(r => r.Message!.Value)),
            $"every produced record was processed {context}");
        await Eventually.True(() => IsSettled(Cluster.DescribeAsync(Group).GetAwaiter().GetResult()), $"the group settled with every partition owned {context}");
        Assert.Equal(PartitionCount, final.Owned.Count);
        await final.CloseAsync();

        var entries = log.Entries;
        var processed = entries.Count(e => e.Kind == "record");
        output.WriteLine($"{context}: {started} members started, {closed} closed, {killed} killed; {expected.Count} records produced, {processed} processed; " +
            $"{entries.Count(e => e.Kind == "assigned")} assignments, {entries.Count(e => e.Kind == "revoked")} revocations, {entries.Count(e => e.Kind == "lost")} losses.");
        CheckSpans(log.Entries, context);
        CheckHandOvers(log.Entries, context);
        var partitions = Partitions(Topic, PartitionCount);
        using var reader = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = Group }).SetClient(client).Build();
        var committed = reader.Committed(partitions, TimeSpan.FromSeconds(10)).Select(o => o.Offset.Value);
        var ends = partitions.Select(p => reader.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        Assert.Equal(ends, committed);
        Assert.True(started >= 10, $"Only {started} members were started {context}.");
        Assert.Empty(final.Errors);
    }

    /// <summary>Writes keyed records whose values carry a sequence number per key, until stopped; keeps the acknowledged ones.</summary>
    private static async Task ProduceAsync(OrlogClient client, List<string> produced, CancellationToken stop)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        var sequence = new int[Keys];
        var key = 0;
        while (!stop.IsCancellationRequested)
        {
            var value = $"key-{key}:{sequence[key]}";
            await producer.ProduceAsync(Topic, new Message<string, string> { Key = $"key-{key}", Value = value });
            produced.Add(value);
            sequence[key]++;
            key = (key + 1) % Keys;
            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static bool IsSettled(GroupDescription description) =>
        description.State == GroupStates.Stable
        && description.Members.All(m => m.Assignment.ToHashSet().SetEquals(m.TargetAssignment))
        && description.Members.SelectMany(m => m.Assignment).Distinct().Count() == PartitionCount;

    /// <summary>Within each span of ownership (assigned to revoked, lost or killed), a member sees a partition's offsets only increase.</summary>
    private static void CheckSpans(List<GroupEventLog.Entry> entries, string context)
    {
        foreach (var member in entries.GroupBy(e => e.Member))
        {
            var last = new Dictionary<TopicPartition, long>();
            foreach (var entry in member)
            {
                switch (entry.Kind)
                {
                    case "assigned":
                        last[entry.Partition] = -1;
                        break;
                    case "record":
                        Assert.True(last.TryGetValue(entry.Partition, out var previous), $"{member.Key} processed {entry.Partition}@{entry.Offset} without owning it {context}.");
                        Assert.True(entry.Offset > previous, $"{member.Key} processed {entry.Partition}@{entry.Offset} after @{previous} {context}.");
                        last[entry.Partition] = entry.Offset;
                        break;
                    default:
                        last.Remove(entry.Partition);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// A partition goes to a new owner only after its previous owner revoked it; the exceptions are owners that crashed
    /// (killed) and owners the group fenced, which find out later (lost).
    /// </summary>
    private static void CheckHandOvers(List<GroupEventLog.Entry> entries, string context)
    {
        var owner = new Dictionary<TopicPartition, string>();
        var early = new List<(string Previous, GroupEventLog.Entry Assigned)>();
        foreach (var entry in entries)
        {
            switch (entry.Kind)
            {
                case "assigned":
                    if (owner.TryGetValue(entry.Partition, out var previous) && previous != entry.Member)
                    {
                        early.Add((previous, entry));
                    }
                    owner[entry.Partition] = entry.Member;
                    break;
                case "revoked" or "lost" or "killed":
                    if (owner.TryGetValue(entry.Partition, out var current) && current == entry.Member)
                    {
                        owner.Remove(entry.Partition);
                    }
                    break;
            }
        }
        foreach (var (previous, assigned) in early)
        {
            // The previous owner's span must have ended without its cooperation: it was killed, or it learnt later that it was fenced.
            var since = entries.Last(e => e.Sequence < assigned.Sequence && e.Member == previous && e.Partition == assigned.Partition && e.Kind == "assigned").Sequence;
            var end = entries.FirstOrDefault(e => e.Sequence > since && e.Member == previous && e.Partition == assigned.Partition && e.Kind is "revoked" or "lost" or "killed");
            Assert.True(end is not null && end.Kind != "revoked",
                $"{assigned.Partition} went to {assigned.Member} (#{assigned.Sequence}) while {previous} still owned it, which then {(end is null ? "never let it go" : $"revoked it (#{end.Sequence})")} {context}.");
        }
    }
}
