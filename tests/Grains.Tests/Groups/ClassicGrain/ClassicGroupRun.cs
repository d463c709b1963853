using System.Diagnostics;
using System.Text;
using Orlog.Grains.Tests.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.ClassicGrain;

/// <summary>
/// One classic group on an in-process cluster with one topic: starts <see cref="ClassicGrainConsumer"/>s on it,
/// waits for the group to settle, and stops every consumer before the cluster goes.
/// </summary>
internal sealed class ClassicGroupRun : IAsyncDisposable
{
    private readonly List<ClassicGrainConsumer> _consumers = [];

    private ClassicGroupRun(BrokerCluster cluster, string topic, string groupId)
    {
        Cluster = cluster;
        Topic = topic;
        Group = cluster.Client.GetGrain<IConsumerGroupGrain>(groupId);
    }

    public BrokerCluster Cluster { get; }

    public string Topic { get; }

    public IConsumerGroupGrain Group { get; }

    public OwnershipLog Log { get; } = new();

    /// <summary>A cluster with sessions from 500 ms and no initial rebalance delay, and <paramref name="topic"/> created.</summary>
    public static async Task<ClassicGroupRun> StartAsync(string topic, int partitions, string groupId = "classic")
    {
        var cluster = await ConsumerGroupGrainTests.StartAsync();
        await cluster.CreateTopicAsync(topic, partitions);
        return new ClassicGroupRun(cluster, topic, groupId);
    }

    public ClassicGrainConsumer Start(string name, RebalanceMode mode, string? instanceId = null, int sessionTimeoutMs = 3_000)
    {
        var consumer = new ClassicGrainConsumer(Group, Cluster.Controller, Log, name, mode, [Topic], instanceId) { SessionTimeoutMs = sessionTimeoutMs };
        _consumers.Add(consumer);
        consumer.Start();
        return consumer;
    }

    /// <summary>
    /// Waits until the group is Stable with exactly <paramref name="members"/>, each synced to the current
    /// generation and owning what the grain says it was assigned, and every one of the topic's
    /// <paramref name="partitions"/> owned. Returns the generation.
    /// </summary>
    public async Task<int> SettleAsync(IReadOnlyList<ClassicGrainConsumer> members, int partitions, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            Log.AssertNoProblems();
            var before = await Group.Describe();
            var states = members.Select(m => m.Snapshot()).ToList();
            var after = await Group.Describe();
            if (IsSettled(before, states, after, partitions))
            {
                return after.Epoch;
            }
            if (clock.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"the group did not settle with {members.Count} member(s) and {partitions} partitions within {limit.TotalSeconds} s\n{Dump(after, states)}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Polls describe until <paramref name="condition"/> holds; returns that description.</summary>
    public async Task<GroupDescription> WaitForAsync(Func<GroupDescription, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var description = await Group.Describe();
            if (condition(description))
            {
                return description;
            }
            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds} s waiting for {what}\n{Dump(description, _consumers.Select(c => c.Snapshot()).ToList())}");
            }
            await Task.Delay(10);
        }
    }

    public string Dump(GroupDescription description, IReadOnlyList<ConsumerSnapshot> states)
    {
        var text = new StringBuilder($"group {description.State} generation {description.Epoch} protocol {description.ProtocolName}\n");
        foreach (var member in description.Members)
        {
            text.AppendLine($"  grain: {member.MemberId} ({member.GroupInstanceId}) assigned [{string.Join(",", member.Assignment.Select(p => p.Partition))}]");
        }
        foreach (var state in states)
        {
            text.AppendLine("  consumer: " + state);
        }
        return text.Append(Log.Tail(30)).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var consumer in _consumers)
        {
            await consumer.KillAsync();
        }
        await Cluster.DisposeAsync();
    }

    private bool IsSettled(GroupDescription before, List<ConsumerSnapshot> states, GroupDescription after, int partitions)
    {
        if (before.State != GroupStates.Stable || after.State != GroupStates.Stable || before.Epoch != after.Epoch || after.Members.Count != states.Count)
        {
            return false;
        }
        var assigned = after.Members.ToDictionary(m => m.MemberId, m => m.Assignment);
        foreach (var state in states)
        {
            if (!state.IsStable || state.Generation != after.Epoch || state.OwnedGeneration != after.Epoch
                || !assigned.TryGetValue(state.MemberId, out var assignment) || !state.Owned.SetEquals(assignment))
            {
                return false;
            }
        }
        return states.SelectMany(s => s.Owned).Where(p => p.Topic == Topic).Distinct().Count() == partitions;
    }
}
