namespace Orlog.Client;

/// <summary>
/// The offsets of a consumer's assigned partitions (positions, stored and committed offsets) and when the next
/// automatic commit is due (enable.auto.commit, every auto.commit.interval.ms). Plain: the consumer guards it.
/// </summary>
internal sealed class OffsetStore
{
    private readonly Dictionary<TopicPartition, PartitionOffsets> _partitions = [];
    private readonly Clock _clock;
    private readonly bool _autoCommit;
    private readonly int _autoCommitIntervalMs;
    private long _nextAutoCommitMs;

    public OffsetStore(Clock clock, bool autoCommit, int autoCommitIntervalMs, bool autoStore)
    {
        _clock = clock;
        _autoCommit = autoCommit;
        _autoCommitIntervalMs = autoCommitIntervalMs;
        AutoStore = autoStore;
        _nextAutoCommitMs = clock.NowMs + autoCommitIntervalMs;
    }

    /// <summary>enable.auto.offset.store: a consumed record's next offset is stored for the next commit.</summary>
    public bool AutoStore { get; }

    public int Count => _partitions.Count;

    public IEnumerable<TopicPartition> Partitions => _partitions.Keys;

    /// <summary>Starts keeping the offsets of <paramref name="partition"/> (the group's committed offset, -1 for none).</summary>
    public PartitionOffsets Add(TopicPartition partition, long committed)
    {
        var offsets = new PartitionOffsets(partition) { Committed = committed };
        _partitions[partition] = offsets;
        return offsets;
    }

    public void Remove(TopicPartition partition) => _partitions.Remove(partition);

    public void Clear() => _partitions.Clear();

    public bool TryGet(TopicPartition partition, out PartitionOffsets offsets) => _partitions.TryGetValue(partition, out offsets!);

    /// <summary>A record before <paramref name="next"/> was returned by Consume.</summary>
    public void Consumed(PartitionOffsets offsets, long next)
    {
        offsets.Position = next;
        if (AutoStore)
        {
            offsets.Stored = next;
        }
    }

    /// <summary>Stores the offset to commit next for an assigned partition.</summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    public void Store(TopicPartition partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var offsets))
        {
            throw new InvalidOperationException($"{partition} is not assigned to this consumer.");
        }
        offsets.Stored = offset;
    }

    /// <summary>
    /// The stored offsets to commit: of every partition, or of <paramref name="only"/>; with
    /// <paramref name="changedOnly"/>, those not committed yet.
    /// </summary>
    public List<TopicPartitionOffset> ToCommit(IReadOnlyCollection<TopicPartition>? only, bool changedOnly)
    {
        var offsets = new List<TopicPartitionOffset>();
        foreach (var partition in _partitions.Values)
        {
            if (partition.Stored < 0 || (changedOnly && partition.Stored == partition.Committed) || (only is not null && !only.Contains(partition.Partition)))
            {
                continue;
            }
            offsets.Add(new TopicPartitionOffset(partition.Partition, partition.Stored));
        }
        return offsets;
    }

    /// <summary>The group took these offsets; partitions no longer assigned are skipped.</summary>
    public void MarkCommitted(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (_partitions.TryGetValue(offset.TopicPartition, out var partition))
            {
                partition.Committed = offset.Offset.Value;
            }
        }
    }

    /// <summary>Whether an automatic commit is due now; when it is, the next one is scheduled an interval later.</summary>
    public bool TakeAutoCommit()
    {
        if (!_autoCommit)
        {
            return false;
        }
        var now = _clock.NowMs;
        if (now < _nextAutoCommitMs)
        {
            return false;
        }
        _nextAutoCommitMs = now + _autoCommitIntervalMs;
        return true;
    }

    /// <summary>Milliseconds until the next automatic commit (-1 without enable.auto.commit).</summary>
    public long UntilAutoCommitMs => _autoCommit ? Math.Max(0, _nextAutoCommitMs - _clock.NowMs) : -1;
}
