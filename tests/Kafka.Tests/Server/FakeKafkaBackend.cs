using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// A broker for the listener's tests: broker 1 of two, leading orders-0 (epoch 4); orders-1 has no leader.
/// Produce appends to an in-memory list per partition (offsets count batches' records by their header);
/// fetch answers what a test put in <see cref="FetchAnswer"/>. Every call is recorded.
/// </summary>
internal sealed class FakeKafkaBackend : IKafkaBackend
{
    public static readonly Guid OrdersId = Guid.Parse("5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");

    public KafkaClusterView Cluster { get; } = new("orlog-cluster", 2,
        [new KafkaBrokerEndpoint(1, "127.0.0.1", 19092, null), new KafkaBrokerEndpoint(2, "127.0.0.1", 29092, "rack-b")],
        new Dictionary<string, KafkaTopicView>(StringComparer.Ordinal)
        {
            ["orders"] = new("orders", OrdersId,
            [
                new KafkaPartitionView(0, 1, 4, [1, 2], [1, 2], []),
                new KafkaPartitionView(1, -1, 2, [3], [3], [3]),
                new KafkaPartitionView(2, 2, 7, [2, 1], [2, 1], []),
            ]),
        });

    public int BrokerId { get; set; } = 1;

    public FakeKafkaGroups Groups { get; } = new();

    IKafkaGroups IKafkaBackend.Groups => Groups;

    public FakeKafkaAdmin Admin { get; } = new();

    IKafkaAdmin IKafkaBackend.Admin => Admin;

    public List<(short Acks, int TimeoutMs, List<KafkaProduceBatch> Batches)> Produced { get; } = [];

    public List<KafkaFetch> Fetches { get; } = [];

    public List<(List<KafkaPartitionRef> Partitions, long Timestamp)> OffsetQueries { get; } = [];

    /// <summary>How a fetch is answered; by default every partition empty at high watermark 0.</summary>
    public Func<KafkaFetch, IReadOnlyList<KafkaFetchResult>>? FetchAnswer { get; set; }

    /// <summary>When set, every produce call throws it (the broker call failed as a whole).</summary>
    public Exception? ProduceFailure { get; set; }

    private long _nextOffset;

    public Task<IReadOnlyList<KafkaProduceResult>> ProduceAsync(short acks, int timeoutMs, IReadOnlyList<KafkaProduceBatch> batches, CancellationToken cancellationToken)
    {
        lock (Produced)
        {
            Produced.Add((acks, timeoutMs, [.. batches]));
        }
        if (ProduceFailure is { } failure)
        {
            return Task.FromException<IReadOnlyList<KafkaProduceResult>>(failure);
        }
        var results = new List<KafkaProduceResult>();
        foreach (var batch in batches)
        {
            // As the broker grain: only orders-0 is led here; others are refused with Kafka's codes.
            if (batch.Topic != "orders")
            {
                results.Add(new(batch.Topic, batch.Partition, ErrorCode.UnknownTopicOrPartition, $"Topic {batch.Topic} does not exist.", -1, -1, -1));
            }
            else if (batch.Partition != 0)
            {
                results.Add(new(batch.Topic, batch.Partition, ErrorCode.NotLeaderOrFollower, "Broker 1 does not lead it.", -1, -1, -1));
            }
            else
            {
                results.Add(new(batch.Topic, batch.Partition, ErrorCode.None, null, Interlocked.Add(ref _nextOffset, 10) - 10, -1, 0));
            }
        }
        return Task.FromResult<IReadOnlyList<KafkaProduceResult>>(results);
    }

    public Task<IReadOnlyList<KafkaFetchResult>> FetchAsync(KafkaFetch fetch, CancellationToken cancellationToken)
    {
        lock (Fetches)
        {
            Fetches.Add(fetch);
        }
        var answer = FetchAnswer?.Invoke(fetch)
            ?? [.. fetch.Partitions.Select(p => new KafkaFetchResult(p.Topic, p.Partition, ErrorCode.None, null, 0, 0, 0, ReadOnlyMemory<byte>.Empty))];
        return Task.FromResult(answer);
    }

    public Task<IReadOnlyList<KafkaListOffsetsResult>> ListOffsetsAsync(IReadOnlyList<KafkaPartitionRef> partitions, long timestamp, CancellationToken cancellationToken)
    {
        lock (OffsetQueries)
        {
            OffsetQueries.Add(([.. partitions], timestamp));
        }
        return Task.FromResult<IReadOnlyList<KafkaListOffsetsResult>>([.. partitions.Select(p =>
            new KafkaListOffsetsResult(p.Topic, p.Partition, ErrorCode.None, null, timestamp == -2 ? 5 : timestamp == -1 ? 42 : 17, timestamp >= 0 ? timestamp + 1 : -1))]);
    }

    public List<KafkaDeleteRecords> Deletions { get; } = [];

    /// <summary>As a leader of partition 0 only, whose high watermark is 50.</summary>
    public Task<IReadOnlyList<KafkaDeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyList<KafkaDeleteRecords> partitions, CancellationToken cancellationToken)
    {
        Deletions.AddRange(partitions);
        return Task.FromResult<IReadOnlyList<KafkaDeleteRecordsResult>>([.. partitions.Select(p => p.Partition != 0
            ? new KafkaDeleteRecordsResult(p.Topic, p.Partition, ErrorCode.NotLeaderOrFollower, "not here", -1)
            : p.Offset > 50
                ? new KafkaDeleteRecordsResult(p.Topic, p.Partition, ErrorCode.OffsetOutOfRange, "past the high watermark", -1)
                : new KafkaDeleteRecordsResult(p.Topic, p.Partition, ErrorCode.None, null, p.Offset == -1 ? 50 : p.Offset))]);
    }

    public List<KafkaEpochQuery> EpochQueries { get; } = [];

    /// <summary>As a leader whose epochs 0-3 ended at offsets 10, 20, 30, 40 and whose current epoch 4 runs to 50.</summary>
    public Task<IReadOnlyList<KafkaEpochEnd>> OffsetsForLeaderEpochAsync(IReadOnlyList<KafkaEpochQuery> queries, CancellationToken cancellationToken)
    {
        EpochQueries.AddRange(queries);
        return Task.FromResult<IReadOnlyList<KafkaEpochEnd>>([.. queries.Select(q => q.Partition != 0
            ? new KafkaEpochEnd(q.Topic, q.Partition, ErrorCode.NotLeaderOrFollower, -1, -1)
            : new KafkaEpochEnd(q.Topic, q.Partition, ErrorCode.None, Math.Min(q.LeaderEpoch, 4), q.LeaderEpoch >= 4 ? 50 : (q.LeaderEpoch + 1) * 10))]);
    }

    private long _nextProducerId = 1000;

    public Task<KafkaProducerId> InitProducerIdAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new KafkaProducerId(ErrorCode.None, Interlocked.Increment(ref _nextProducerId), 0));
}
