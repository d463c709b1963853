namespace Orlog.Client;

/// <summary>
/// An assigned partition in a consumer: where fetching and consuming stand, and whether it is paused, waiting
/// for an offset reset, or halted by an error. <see cref="Version"/> changes on every seek, pause and reset, so
/// fetched data from before is recognised as stale and dropped. Guarded by the consumer's lock.
/// </summary>
internal sealed class PartitionState
{
    public PartitionState(TopicPartition topicPartition, int leader)
    {
        TopicPartition = topicPartition;
        Leader = leader;
    }

    public TopicPartition TopicPartition { get; }

    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition;

    public int Leader { get; set; }

    public bool Assigned { get; set; } = true;

    public int Version { get; set; }

    /// <summary>The next offset to fetch (valid when <see cref="ResetTo"/> is null).</summary>
    public long FetchPosition { get; set; } = -1;

    /// <summary>The next offset Consume returns (-1 while unknown).</summary>
    public long ConsumePosition { get; set; } = -1;

    /// <summary>Set while the position must be looked up: <see cref="Offset.Beginning"/> or <see cref="Offset.End"/>.</summary>
    public Offset? ResetTo { get; set; }

    public bool Paused { get; set; }

    /// <summary>
    /// The version a fetch (or offset lookup) is out for, -1 for none. After a seek or pause the partition is
    /// fetched again at once, without waiting for a long poll that is out; that poll's answer is dropped as stale.
    /// </summary>
    public int InFlightVersion { get; private set; } = -1;

    /// <summary>A fetch for the current version is out.</summary>
    public bool Fetching => InFlightVersion == Version;

    public void StartFetch() => InFlightVersion = Version;

    /// <summary>The fetch made at <paramref name="version"/> answered.</summary>
    public void EndFetch(int version)
    {
        if (InFlightVersion == version)
        {
            InFlightVersion = -1;
        }
    }

    /// <summary>Stopped by an error until the next seek or assign.</summary>
    public bool Halted { get; set; }

    /// <summary>No fetch before this time (monotonic ms), after a retriable error.</summary>
    public long RetryAtMs { get; set; }

    public long HighWatermark { get; set; } = -1;

    public long LogStartOffset { get; set; } = -1;

    public bool EofReported { get; set; }

    /// <summary>The offset to commit next for this partition (StoreOffset, or Consume with enable.auto.offset.store); -1 for none.</summary>
    public long StoredOffset { get; set; } = -1;

    /// <summary>The offset last committed for this partition by this consumer, or found committed when it was assigned; -1 for none.</summary>
    public long CommittedOffset { get; set; } = -1;

    public bool Fetchable(long now) => Assigned && !Paused && !Halted && !Fetching && ResetTo is null && FetchPosition >= 0 && now >= RetryAtMs;

    /// <summary>Starts over at <paramref name="offset"/> (a number, or a reset to the beginning or end).</summary>
    public void MoveTo(Offset offset)
    {
        Version++;
        Halted = false;
        EofReported = false;
        RetryAtMs = 0;
        if (offset.IsSpecial)
        {
            ResetTo = offset;
            FetchPosition = -1;
            ConsumePosition = -1;
        }
        else
        {
            ResetTo = null;
            FetchPosition = offset.Value;
            ConsumePosition = offset.Value;
        }
    }
}
