using System.Text;
using Orlog.Grains.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>
/// Classic consumers polling one group state machine on a manual clock, 100 ms a step, the group ticked
/// each step. After every consumer's step and every tick it checks that no partition has two owners:
/// among the group's current members at all, and among all consumers (stalled zombies too) within one generation.
/// </summary>
internal sealed class ClassicGroupSimulation
{
    private const int StepMs = 100;
    private int _nextClient;

    public ClassicGroupSimulation(Dictionary<string, int> metadata, int initialDelayMs = 0)
    {
        Metadata = metadata;
        Group = new ClassicGroupMembership("sim", ClassicGroupHarness.Config(initialDelayMs));
        // The grain tells the group the metadata it starts with.
        Group.OnMetadata(new Dictionary<string, int>(Metadata), Now);
    }

    public ClassicGroupMembership Group { get; }

    public Dictionary<string, int> Metadata { get; }

    public List<ClassicTestConsumer> Consumers { get; } = [];

    public long Now { get; private set; } = 1_000_000;

    /// <summary>Called after every check, for assertions a test wants to hold at every moment.</summary>
    public Action? Observer { get; set; }

    public IEnumerable<ClassicTestConsumer> Active => Consumers.Where(c => !c.Stopped && !c.Stalled);

    public ClassicTestConsumer Add(RebalanceMode mode, string? instanceId = null, IReadOnlyList<string>? topics = null)
    {
        var consumer = new ClassicTestConsumer($"consumer{_nextClient++}", mode, topics ?? Metadata.Keys.Order().ToList(), instanceId);
        Consumers.Add(consumer);
        return consumer;
    }

    public void Close(ClassicTestConsumer consumer)
    {
        consumer.Close(Group, Now);
        CheckOwnership();
    }

    public void ChangeMetadata(string topic, int partitions)
    {
        Metadata[topic] = partitions;
        Group.OnMetadata(new Dictionary<string, int>(Metadata), Now);
    }

    public void Step()
    {
        foreach (var consumer in Consumers.ToList())
        {
            consumer.Step(Group, Now, Metadata);
            CheckOwnership();
        }
        Now += StepMs;
        Group.Tick(Now);
        CheckOwnership();
    }

    public void Advance(long ms)
    {
        for (var end = Now + ms; Now < end;)
        {
            Step();
        }
    }

    /// <summary>Steps until the group is Stable with every active consumer synced to its generation and every partition owned once.</summary>
    public int RunUntilSettled(int maxSteps = 3000)
    {
        for (var steps = 0; steps < maxSteps; steps++)
        {
            if (IsSettled())
            {
                return steps;
            }
            Step();
        }
        throw new Xunit.Sdk.XunitException($"the group did not settle within {maxSteps} steps:\n{Dump()}");
    }

    /// <summary>Who owns each partition now (active consumers).</summary>
    public Dictionary<string, HashSet<TopicPartition>> Ownership() =>
        Active.ToDictionary(c => c.ClientId, c => c.Owned.ToHashSet());

    public string Dump()
    {
        var text = new StringBuilder($"group {Group.State} generation {Group.Epoch} leader {Group.Leader}\n");
        foreach (var consumer in Consumers)
        {
            text.AppendLine("  " + consumer);
        }
        return text.ToString();
    }

    private bool IsSettled()
    {
        if (Group.State != GroupStates.Stable)
        {
            return false;
        }
        var active = Active.ToList();
        if (!active.All(c => c.IsStable && c.Generation == Group.Epoch && c.OwnedGeneration == Group.Epoch))
        {
            return false;
        }
        var owned = active.Sum(c => c.Owned.Count);
        var everyPartition = Metadata.Where(t => active.Any(c => c.Topics.Contains(t.Key))).Sum(t => t.Value);
        return owned == everyPartition;
    }

    private void CheckOwnership()
    {
        var members = Group.DescribeMembers().Select(m => m.MemberId).ToHashSet();
        var owners = new Dictionary<TopicPartition, ClassicTestConsumer>();
        foreach (var consumer in Consumers.Where(c => members.Contains(c.MemberId)))
        {
            foreach (var tp in consumer.Owned)
            {
                if (!owners.TryAdd(tp, consumer))
                {
                    throw new Xunit.Sdk.XunitException($"{tp} is owned by {owners[tp].ClientId} and {consumer.ClientId} at once:\n{Dump()}");
                }
            }
        }
        var perGeneration = new Dictionary<(int, TopicPartition), ClassicTestConsumer>();
        foreach (var consumer in Consumers)
        {
            foreach (var tp in consumer.Owned)
            {
                if (!perGeneration.TryAdd((consumer.OwnedGeneration, tp), consumer))
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{tp} is owned by {perGeneration[(consumer.OwnedGeneration, tp)].ClientId} and {consumer.ClientId} in generation {consumer.OwnedGeneration}:\n{Dump()}");
                }
            }
        }
        Observer?.Invoke();
    }
}
