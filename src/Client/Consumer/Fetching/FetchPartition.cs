namespace Orlog.Client;

/// <summary>A partition the fetcher fetches: its leader, the next offset to fetch (or a reset to look up), and its backoff.</summary>
internal sealed class FetchPartition
{
    public FetchPartition(AssignedPartition owner) => Owner = owner;

    /// <summary>The consumer's partition, carried into what is fetched for it.</summary>
    public AssignedPartition Owner { get; set; }

    public TopicPartition TopicPartition => Owner.TopicPartition;

    /// <summary>The consumer's version of the partition this fetching is for.</summary>
    public int Version { get; set; }

    public int Leader { get; set; }

    /// <summary>The next offset to fetch (valid when <see cref="ResetTo"/> is null).</summary>
    public long Position { get; set; } = -1;

    /// <summary>Set while the position must be looked up: Beginning or End.</summary>
    public Offset? ResetTo { get; set; }

    /// <summary>A fetch (or lookup) is out for this version.</summary>
    public bool InFlight { get; set; }

    /// <summary>No fetch before this time (monotonic ms), after a retriable error.</summary>
    public long RetryAtMs { get; set; }

    /// <summary>Stopped by an error until the consumer starts it again (a seek).</summary>
    public bool Halted { get; set; }

    public bool EofReported { get; set; }

    /// <summary>Counts the resets after an offset out of range; what is fetched carries it.</summary>
    public int Generation { get; set; }

    /// <summary>The offset found out of range by the last reset (-1: the reset was the consumer's own start).</summary>
    public long ResetFrom { get; set; } = -1;
}

/// <summary>A partition planned into a fetch or an offset lookup, at the version and offset it was planned at.</summary>
internal readonly record struct PlannedFetch(FetchPartition Partition, int Version, long Offset);
