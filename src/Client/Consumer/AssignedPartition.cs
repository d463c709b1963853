namespace Orlog.Client;

/// <summary>
/// A partition assigned to the consumer, as the consuming thread sees it. <see cref="Version"/> changes on every
/// seek, pause and halt, so records fetched before are recognised as stale and dropped. The fetcher carries a
/// reference to it in what it fetches, and writes only <see cref="Watermarks"/> and <see cref="Resolve"/>.
/// </summary>
internal sealed class AssignedPartition
{
    private WatermarkOffsets? _watermarks;
    private ResolvedPosition? _resolved;

    public AssignedPartition(TopicPartition topicPartition, int leader, PartitionOffsets offsets)
    {
        TopicPartition = topicPartition;
        Leader = leader;
        Offsets = offsets;
    }

    public TopicPartition TopicPartition { get; }

    public string Topic => TopicPartition.Topic;

    public int Partition => TopicPartition.Partition;

    /// <summary>The leader when the partition was assigned (the fetcher follows it from there).</summary>
    public int Leader { get; }

    public bool Assigned { get; set; } = true;

    public int Version { get; set; }

    public bool Paused { get; set; }

    /// <summary>Where fetching starts while the position is unknown: Beginning or End (a reset waiting to be looked up).</summary>
    public Offset Pending { get; set; } = Offset.Unset;

    public PartitionOffsets Offsets { get; }

    /// <summary>
    /// The next offset Consume returns: where consuming stands, or where a reset was found to start once every record
    /// fetched before the reset was returned (-1: unknown yet).
    /// </summary>
    public long Position
    {
        get
        {
            var position = Offsets.Position;
            return Volatile.Read(ref _resolved) is { } resolved && resolved.Version == Version && (position < 0 || position == resolved.From) ? resolved.Offset : position;
        }
    }

    /// <summary>The fetcher looked up where a reset starts.</summary>
    public void Resolve(ResolvedPosition position) => Volatile.Write(ref _resolved, position);

    /// <summary>Records fetched after the reset are being returned: the position moves to the reset's offset, and on from there.</summary>
    public void EnterGeneration(int generation)
    {
        if (Volatile.Read(ref _resolved) is { } resolved && resolved.Version == Version && generation >= resolved.Generation)
        {
            Offsets.Position = resolved.Offset;
            Volatile.Write(ref _resolved, null);
        }
    }

    /// <summary>The log start offset and high watermark of the last fetch answer (null: none yet).</summary>
    public WatermarkOffsets? Watermarks
    {
        get => Volatile.Read(ref _watermarks);
        set => Volatile.Write(ref _watermarks, value);
    }
}

/// <summary>
/// Where a reset of one version of a partition was found to start (<see cref="Offset"/>): a reset of the consumer's
/// own (a start at Beginning or End, <see cref="From"/> -1) or after the position <see cref="From"/> was out of range.
/// </summary>
internal sealed record ResolvedPosition(int Version, int Generation, long From, long Offset);
