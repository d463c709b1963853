using System.Globalization;
using Microsoft.Extensions.Options;
using Orlog.Grains;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Kafka.Server;

namespace Orlog.Silo.Kafka;

/// <summary>
/// The broker behind this silo's Kafka listener. The cluster view comes from the silo's metadata cache, rebuilt
/// once per metadata version: brokers without a Kafka listener, or not alive, are left out of the broker list,
/// and a replica on such a broker is offline. Produce, fetch and list-offsets go to this broker's own broker grain
/// (the one the SDK calls), producer ids to the cluster's allocator. With zero copy on, fetched records come back
/// as ranges of this silo's segment files, which the connection sends from the files.
/// </summary>
internal sealed class SiloKafkaBackend(MetadataCache metadata, IOptions<BrokerOptions> options, IOptions<SiloEndpointOptions> endpoints, IGrainFactory grains,
    ILocalSiloDetails silo) : IKafkaBackend
{
    private readonly string? _fileRangesFor = endpoints.Value.KafkaZeroCopy ? silo.SiloAddress.ToParsableString() : null;

    public IKafkaAdmin Admin { get; } = new SiloKafkaAdmin(grains, options);

    private IBrokerGrain Broker => grains.GetGrain<IBrokerGrain>(options.Value.BrokerId);

    public int BrokerId => options.Value.BrokerId;

    public IKafkaGroups Groups { get; } = new SiloKafkaGroups(grains);

    public async Task<IReadOnlyList<KafkaProduceResult>> ProduceAsync(short acks, int timeoutMs, IReadOnlyList<KafkaProduceBatch> batches, CancellationToken cancellationToken)
    {
        var request = new ProduceRequest(acks, timeoutMs, [.. batches.Select(b => new PartitionBatch(b.Topic, b.Partition, b.Records))]);
        var response = await Broker.Produce(request).WaitAsync(cancellationToken);
        return [.. response.Results.Select(r => new KafkaProduceResult(r.Topic, r.Partition, r.Error, r.ErrorMessage, r.BaseOffset, r.LogAppendTime, r.LogStartOffset))];
    }

    public async Task<IReadOnlyList<KafkaFetchResult>> FetchAsync(KafkaFetch fetch, CancellationToken cancellationToken)
    {
        var request = new FetchRequest(fetch.MaxWaitMs, fetch.MinBytes, fetch.MaxBytes,
            [.. fetch.Partitions.Select(p => new PartitionFetch(p.Topic, p.Partition, p.FetchOffset, p.PartitionMaxBytes))], _fileRangesFor);
        var response = await Broker.Fetch(request).WaitAsync(cancellationToken);
        return [.. response.Results.Select(r => new KafkaFetchResult(r.Topic, r.Partition, r.Error, r.ErrorMessage, r.HighWatermark, r.LastStableOffset, r.LogStartOffset,
            r.File is { } file ? Open(file) : r.Records))];
    }

    // A file retention deleted between the broker's answer and here: no records this time; the consumer fetches
    // again and learns the new log start.
    private static ReadOnlyMemory<byte> Open(FileRange file) =>
        Orlog.Kafka.Protocol.FileRegion.TryOpen(file.Path, file.Position, file.Length)?.Memory ?? ReadOnlyMemory<byte>.Empty;

    public async Task<IReadOnlyList<KafkaListOffsetsResult>> ListOffsetsAsync(IReadOnlyList<KafkaPartitionRef> partitions, long timestamp, CancellationToken cancellationToken)
    {
        var results = await Broker.ListOffsets([.. partitions.Select(p => new TopicPartition(p.Topic, p.Partition))], timestamp).WaitAsync(cancellationToken);
        return [.. results.Select(r => new KafkaListOffsetsResult(r.Topic, r.Partition, r.Error, r.ErrorMessage, r.Offset, r.Timestamp))];
    }

    public async Task<IReadOnlyList<KafkaEpochEnd>> OffsetsForLeaderEpochAsync(IReadOnlyList<KafkaEpochQuery> queries, CancellationToken cancellationToken)
    {
        var topics = metadata.Current.Topics;
        var known = queries.Where(q => topics.ContainsKey(q.Topic)).ToList();
        var unknown = queries.Where(q => !topics.ContainsKey(q.Topic))
            .Select(q => new KafkaEpochEnd(q.Topic, q.Partition, Orlog.Client.ErrorCode.UnknownTopicOrPartition, -1, -1));
        if (known.Count == 0)
        {
            return [.. unknown];
        }
        var results = await Broker.OffsetsForLeaderEpoch([.. known.Select(q => new EpochEndOffsetRequest(q.Topic, q.Partition, topics[q.Topic].TopicId, q.CurrentLeaderEpoch, q.LeaderEpoch))])
            .WaitAsync(cancellationToken);
        return [.. results.Select(r => new KafkaEpochEnd(r.Topic, r.Partition, r.Error, r.Epoch, r.EndOffset)), .. unknown];
    }

    public async Task<IReadOnlyList<KafkaDeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyList<KafkaDeleteRecords> partitions, CancellationToken cancellationToken)
    {
        var results = await Broker.DeleteRecords([.. partitions.Select(p => new DeleteRecordsPartition(p.Topic, p.Partition, p.Offset))]).WaitAsync(cancellationToken);
        return [.. results.Select(r => new KafkaDeleteRecordsResult(r.Topic, r.Partition, r.Error, r.ErrorMessage, r.LowWatermark))];
    }

    public async Task<KafkaProducerId> InitProducerIdAsync(CancellationToken cancellationToken)
    {
        var id = await grains.GetGrain<IProducerIdGrain>(0).AllocateProducerId().WaitAsync(cancellationToken);
        return new KafkaProducerId(Orlog.Client.ErrorCode.None, id.ProducerId, id.Epoch);
    }

    private Cached? _cached;

    public KafkaClusterView Cluster
    {
        get
        {
            var current = metadata.Current;
            var cached = Volatile.Read(ref _cached);
            if (cached is not null && cached.Version == current.Version)
            {
                return cached.View;
            }
            var view = Build(current, options.Value.ClusterId);
            Volatile.Write(ref _cached, new Cached(current.Version, view));
            return view;
        }
    }

    private sealed record Cached(long Version, KafkaClusterView View);

    internal static KafkaClusterView Build(ClusterMetadata metadata, string clusterId)
    {
        var alive = metadata.Brokers.Where(b => b.Status == BrokerStatus.Alive).Select(b => b.Id).ToHashSet();
        var brokers = new List<KafkaBrokerEndpoint>();
        foreach (var broker in metadata.Brokers.OrderBy(b => b.Id))
        {
            if (broker.Status == BrokerStatus.Alive && TryParse(broker.Kafka, out var host, out var port))
            {
                brokers.Add(new KafkaBrokerEndpoint(broker.Id, host, port, broker.Rack));
            }
        }
        var topics = new Dictionary<string, KafkaTopicView>(StringComparer.Ordinal);
        foreach (var topic in metadata.Topics.Values)
        {
            topics[topic.Name] = new KafkaTopicView(topic.Name, topic.TopicId, [.. topic.Partitions.OrderBy(p => p.Partition).Select(p =>
                new KafkaPartitionView(p.Partition, p.Leader, p.LeaderEpoch, p.Replicas, p.Isr, [.. p.Replicas.Where(r => !alive.Contains(r))]))]);
        }
        return new KafkaClusterView(clusterId, metadata.ControllerBroker, brokers, topics);
    }

    private static bool TryParse(string? endpoint, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = endpoint?.LastIndexOf(':') ?? -1;
        if (endpoint is null || colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }
        host = endpoint[..colon].Trim('[', ']');
        return true;
    }
}
