using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// What a consumer fetches, from which broker and where: the partitions the consumer started, each with its leader,
/// next offset, backoff after an error, and whether a fetch is out for it. <see cref="Plan"/> groups the fetchable
/// ones by leader into one request per broker; the answers move the positions. Plain, with the clock passed in; the
/// fetcher runs it and does the I/O.
/// </summary>
internal sealed class FetchSession
{
    private readonly Dictionary<TopicPartition, FetchPartition> _partitions = [];
    private readonly Clock _clock;
    private readonly int _retryBackoffMs;
    private readonly bool _reportEof;

    public FetchSession(Clock clock, int retryBackoffMs, bool reportEof)
    {
        _clock = clock;
        _retryBackoffMs = retryBackoffMs;
        _reportEof = reportEof;
    }

    public int Count => _partitions.Count;

    /// <summary>Fetches <paramref name="owner"/> from <paramref name="start"/> (an offset, Beginning or End) at the consumer's version.</summary>
    public void Start(AssignedPartition owner, int version, int leader, Offset start)
    {
        if (!_partitions.TryGetValue(owner.TopicPartition, out var partition))
        {
            partition = new FetchPartition(owner) { Leader = leader };
            _partitions[owner.TopicPartition] = partition;
        }
        partition.Owner = owner;
        partition.Version = version;
        partition.InFlight = false;
        partition.Halted = false;
        partition.EofReported = false;
        partition.RetryAtMs = 0;
        partition.ResetFrom = -1;
        if (start.IsSpecial)
        {
            partition.ResetTo = start;
            partition.Position = -1;
        }
        else
        {
            partition.ResetTo = null;
            partition.Position = start.Value;
        }
    }

    /// <summary>Stops fetching a partition (unassigned, paused, or halted by the consumer).</summary>
    public void Stop(TopicPartition partition, int version)
    {
        if (_partitions.TryGetValue(partition, out var current) && current.Version <= version)
        {
            _partitions.Remove(partition);
        }
    }

    /// <summary>
    /// The fetches to send now, by broker (none while the queue is <paramref name="full"/>), the offset lookups, and how
    /// long until a partition waiting after an error may go again (-1: none waits).
    /// </summary>
    public FetchRound Plan(bool full)
    {
        var round = new FetchRound();
        var now = _clock.NowMs;
        foreach (var partition in _partitions.Values)
        {
            if (partition.Halted || partition.InFlight)
            {
                continue;
            }
            if (partition.RetryAtMs > now)
            {
                var wait = partition.RetryAtMs - now;
                round.WaitMs = round.WaitMs < 0 ? wait : Math.Min(round.WaitMs, wait);
                continue;
            }
            if (partition.ResetTo is { } reset)
            {
                partition.InFlight = true;
                round.Lookups.Add(new PlannedFetch(partition, partition.Version, reset.Value));
            }
            else if (!full)
            {
                partition.InFlight = true;
                if (!round.Fetches.TryGetValue(partition.Leader, out var fetches))
                {
                    fetches = [];
                    round.Fetches[partition.Leader] = fetches;
                }
                fetches.Add(new PlannedFetch(partition, partition.Version, partition.Position));
            }
        }
        return round;
    }

    /// <summary>The answer for a planned partition is in; false when it is stale (the partition was stopped or started again since).</summary>
    public bool Answered(PlannedFetch planned)
    {
        if (!IsCurrent(planned))
        {
            return false;
        }
        planned.Partition.InFlight = false;
        return true;
    }

    /// <summary>Takes records (or none) fetched for a partition: moves its position past them, or says the end of the partition was reached.</summary>
    public FetchOutcome Fetched(PlannedFetch planned, byte[] records, long highWatermark)
    {
        var partition = planned.Partition;
        if (records.Length > 0)
        {
            // Only the batch headers are read here: Consume decodes.
            partition.Position = BatchEnds.NextOffset(records, planned.Offset);
            partition.EofReported = false;
            return FetchOutcome.Records;
        }
        if (_reportEof && !partition.EofReported && planned.Offset >= highWatermark)
        {
            partition.EofReported = true;
            return FetchOutcome.EndOfPartition;
        }
        return FetchOutcome.Nothing;
    }

    /// <summary>The offset lookup of a reset answered: fetching goes on from <paramref name="offset"/>.</summary>
    public void Positioned(PlannedFetch planned, long offset)
    {
        planned.Partition.ResetTo = null;
        planned.Partition.Position = offset;
    }

    /// <summary>The fetch failed in a way a retry may cure: the partition waits retry.backoff.ms.</summary>
    public void Backoff(PlannedFetch planned)
    {
        if (IsCurrent(planned))
        {
            planned.Partition.InFlight = false;
            planned.Partition.RetryAtMs = _clock.NowMs + _retryBackoffMs;
        }
    }

    /// <summary>
    /// The position is out of range and auto.offset.reset says where to go (Beginning or End): the position is looked
    /// up again, as a new generation, so the consumer can tell records fetched before the reset from those after.
    /// </summary>
    public void Reset(PlannedFetch planned, Offset to)
    {
        var partition = planned.Partition;
        partition.ResetTo = to;
        partition.ResetFrom = planned.Offset;
        partition.Position = -1;
        partition.Generation++;
    }

    /// <summary>Stops fetching the partition until the consumer starts it again.</summary>
    public void Halt(PlannedFetch planned) => planned.Partition.Halted = true;

    /// <summary>The partition's leader moved (fresh metadata named another broker).</summary>
    public void MoveLeader(PlannedFetch planned, int leader) => planned.Partition.Leader = leader;

    public bool IsCurrent(PlannedFetch planned) =>
        _partitions.TryGetValue(planned.Partition.TopicPartition, out var current) && current == planned.Partition && current.Version == planned.Version;

    public static PartitionFetch Request(PlannedFetch planned, int maxBytes) =>
        new(planned.Partition.TopicPartition.Topic, planned.Partition.TopicPartition.Partition, planned.Offset, maxBytes);

    /// <summary>The offset lookup <paramref name="planned"/> stands for: earliest or latest.</summary>
    public static long LookupSpec(PlannedFetch planned) => planned.Offset == Offset.Beginning.Value ? Grains.OffsetSpec.Earliest : Grains.OffsetSpec.Latest;
}

/// <summary>One round of fetching: a request per broker, the offset lookups, and how long until a waiting partition may go.</summary>
internal sealed class FetchRound
{
    public Dictionary<int, List<PlannedFetch>> Fetches { get; } = [];

    public List<PlannedFetch> Lookups { get; } = [];

    public long WaitMs { get; set; } = -1;
}

internal enum FetchOutcome
{
    Nothing,
    Records,
    EndOfPartition,
}

/// <summary>Where fetched batches end, read from their headers only.</summary>
internal static class BatchEnds
{
    /// <summary>The offset after the last whole batch of <paramref name="records"/>, or <paramref name="fetchOffset"/>.</summary>
    public static long NextOffset(byte[] records, long fetchOffset)
    {
        var next = fetchOffset;
        var batches = new RecordBatchEnumerator(records);
        while (batches.MoveNext())
        {
            next = Math.Max(next, RecordBatchHeader.Read(batches.Current).NextOffset);
        }
        return next;
    }
}
