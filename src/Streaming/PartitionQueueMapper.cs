using Orleans.Streams;
using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// A queue per partition of each namespace's topic. A stream goes to the partition Kafka's partitioner gives its
/// key (murmur2, modulo the partition count), so a record produced with that key by any client lands in the queue
/// whose agent delivers that stream. Queue hashes are spread evenly over Orleans' ring for its balancers.
/// </summary>
internal sealed class PartitionQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly OrlogStreamOptions _options;
    private readonly Dictionary<string, QueueId[]> _queuesByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<QueueId, (string Topic, int Partition)> _partitions = [];
    private readonly QueueId[] _all;

    public PartitionQueueMapper(OrlogStreamOptions options)
    {
        _options = options;
        var topics = options.Namespaces.Select(options.TopicOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var count = topics.Length * options.Partitions;
        var spacing = (uint)((1L << 32) / count);
        var all = new List<QueueId>(count);
        foreach (var topic in topics)
        {
            var queues = new QueueId[options.Partitions];
            for (var partition = 0; partition < queues.Length; partition++)
            {
                var queue = QueueId.GetQueueId(topic, (uint)partition, (uint)all.Count * spacing);
                queues[partition] = queue;
                _partitions.Add(queue, (topic, partition));
                all.Add(queue);
            }
            _queuesByTopic.Add(topic, queues);
        }
        _all = [.. all];
    }

    public IEnumerable<QueueId> GetAllQueues() => _all;

    public QueueId GetQueueForStream(StreamId streamId) => QueueOf(TopicOf(streamId), streamId.Key.Span);

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _all.Where(queue => range.InRange(queue.GetUniformHashCode()));

    /// <summary>The topic a stream's events go to; throws for a namespace the provider does not carry.</summary>
    public string TopicOf(StreamId streamId)
    {
        var streamNamespace = streamId.GetNamespace() ?? "";
        if (!_options.Namespaces.Contains(streamNamespace))
        {
            throw new ArgumentException(
                $"Stream namespace '{streamNamespace}' is not one this Orlog stream provider carries ({string.Join(", ", _options.Namespaces)}): add it to the provider's {nameof(OrlogStreamOptions.Namespaces)}.",
                nameof(streamId));
        }
        return _options.TopicOf(streamNamespace);
    }

    /// <summary>The partition of a key in a topic of the provider.</summary>
    public int PartitionOf(ReadOnlySpan<byte> key) => Murmur2Partitioner.Partition(key, _options.Partitions);

    public QueueId QueueOf(string topic, ReadOnlySpan<byte> key) => _queuesByTopic[topic][PartitionOf(key)];

    /// <summary>The topic and partition a queue reads.</summary>
    public (string Topic, int Partition) PartitionOf(QueueId queue) => _partitions[queue];
}
