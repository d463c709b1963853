namespace Orlog.Client;

/// <summary>
/// A topic's partition queues in a producer and its sticky partition for records without a key (Kafka's
/// sticky partitioner: keep filling one partition's batch, move to another when that batch is complete).
/// Guarded by the accumulator's lock.
/// </summary>
internal sealed class TopicQueues<TKey, TValue>
{
    private PartitionQueue<TKey, TValue>?[] _queues = [];
    private int _sticky = -1;
    private bool _stickyUsed;

    public TopicQueues(string topic)
    {
        Topic = topic;
    }

    public string Topic { get; }

    public Grains.TopicMetadata? Metadata { get; private set; }

    public int PartitionCount => Metadata?.Partitions.Count ?? 0;

    public ReadOnlySpan<PartitionQueue<TKey, TValue>?> Queues => _queues;

    /// <summary>Takes newer metadata: more partitions, other leaders.</summary>
    public void Update(Grains.TopicMetadata metadata)
    {
        if (ReferenceEquals(metadata, Metadata))
        {
            return;
        }
        Metadata = metadata;
        if (_queues.Length < metadata.Partitions.Count)
        {
            Array.Resize(ref _queues, metadata.Partitions.Count);
        }
        foreach (var partition in metadata.Partitions)
        {
            if (_queues[partition.Partition] is { } queue)
            {
                queue.Leader = partition.Leader;
            }
        }
    }

    public PartitionQueue<TKey, TValue> Queue(int partition) =>
        _queues[partition] ??= new PartitionQueue<TKey, TValue>(Topic, partition, Metadata!.Partitions[partition].Leader);

    /// <summary>The partition for a record without a key: the sticky one, moved on once its batch was closed.</summary>
    public int StickyPartition()
    {
        var count = PartitionCount;
        if (_sticky < 0 || _sticky >= count || (_stickyUsed && _queues[_sticky]?.Open is null))
        {
            var previous = _sticky;
            _sticky = count == 1 ? 0 : Random.Shared.Next(count);
            if (_sticky == previous && count > 1)
            {
                _sticky = (_sticky + 1 + Random.Shared.Next(count - 1)) % count;
            }
            _stickyUsed = false;
        }
        return _sticky;
    }

    /// <summary>A record went to the sticky partition's open batch.</summary>
    public void MarkStickyUsed() => _stickyUsed = true;
}
