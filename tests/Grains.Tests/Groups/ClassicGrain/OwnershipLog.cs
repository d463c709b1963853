using System.Text;
using Orlog.Grains.Tests.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.ClassicGrain;

/// <summary>One consumer's ownership from a moment on: what it consumes and the generation that gave it.</summary>
internal sealed record OwnershipChange(int Sequence, string Consumer, int Generation, IReadOnlyList<TopicPartition> Owned, bool Running)
{
    public override string ToString() =>
        $"#{Sequence} {Consumer} gen={Generation} [{string.Join(",", Owned.Select(p => p.Partition))}]{(Running ? "" : " (not running)")}";
}

/// <summary>
/// Every ownership change of the consumers of one group, in the order they happened, checked as each is
/// recorded: within one generation no partition has two owners (stalled zombies included), and among the
/// consumers that still run no partition has two owners at all. The consumers run concurrently, so what goes
/// wrong is collected here for the test thread to assert, not thrown on a consumer's loop.
/// </summary>
internal sealed class OwnershipLog
{
    private readonly Lock _lock = new();
    private readonly List<OwnershipChange> _changes = [];
    private readonly Dictionary<string, OwnershipChange> _current = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    /// <summary>The sequence number the next change gets: changes from a mark on are <c>Since(mark)</c>.</summary>
    public int Sequence
    {
        get
        {
            lock (_lock)
            {
                return _changes.Count;
            }
        }
    }

    public void Record(string consumer, int generation, IEnumerable<TopicPartition> owned, bool running)
    {
        var partitions = owned.Order(PartitionOrder.Instance).ToList();
        lock (_lock)
        {
            var change = new OwnershipChange(_changes.Count, consumer, generation, partitions, running);
            _changes.Add(change);
            _current[consumer] = change;
            foreach (var other in _current.Values)
            {
                if (other.Consumer == consumer)
                {
                    continue;
                }
                var shared = other.Owned.Intersect(partitions).Select(p => $"{p.Topic}-{p.Partition}").ToList();
                if (shared.Count == 0)
                {
                    continue;
                }
                if (other.Generation == generation)
                {
                    _problems.Add($"{change} and {other}: {string.Join(",", shared)} owned twice in generation {generation}");
                }
                else if (running && other.Running)
                {
                    _problems.Add($"{change} and {other}: {string.Join(",", shared)} owned by two running consumers");
                }
            }
        }
    }

    /// <summary>Something a consumer met that it should not have (an unexpected error or exception).</summary>
    public void Problem(string what)
    {
        lock (_lock)
        {
            _problems.Add(what);
        }
    }

    public List<OwnershipChange> Since(int sequence)
    {
        lock (_lock)
        {
            return _changes.Skip(sequence).ToList();
        }
    }

    public void AssertNoProblems()
    {
        lock (_lock)
        {
            if (_problems.Count > 0)
            {
                throw new Xunit.Sdk.XunitException($"{_problems.Count} problem(s):\n  {string.Join("\n  ", _problems.Take(10))}\n{Tail(40)}");
            }
        }
    }

    /// <summary>The last <paramref name="count"/> changes, for failure messages.</summary>
    public string Tail(int count)
    {
        lock (_lock)
        {
            var text = new StringBuilder("ownership changes (last first):\n");
            for (var i = _changes.Count - 1; i >= 0 && i >= _changes.Count - count; i--)
            {
                text.Append("  ").AppendLine(_changes[i].ToString());
            }
            return text.ToString();
        }
    }
}
