using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Grains.Partitions;
using Orlog.Grains.Placement;
using Orlog.Records;

namespace Orlog.Grains.Broker;

/// <summary>
/// A broker's entry point for requests that cover many partitions, placed on its broker's silo: it checks
/// each partition against the silo's <see cref="MetadataCache"/> (catching up with the controller when a
/// request names what the cache does not know) and fans the work out to the local replicas in parallel. It
/// also takes the controller's metadata pushes for its silo. Reentrant: requests do not wait for each other.
/// </summary>
[Reentrant]
[BrokerPlacement]
public sealed class BrokerGrain : Grain, IBrokerGrain
{
    private readonly MetadataCache _metadata;
    private readonly ILocalSiloDetails _silo;

    public BrokerGrain(MetadataCache metadata, ILocalSiloDetails silo)
    {
        _metadata = metadata;
        _silo = silo;
    }

    private int BrokerId => (int)this.GetPrimaryKeyLong();

    public Task<string> SiloAddress() => Task.FromResult(_silo.SiloAddress.ToParsableString());

    public Task UpdateMetadata(ClusterMetadata metadata) => _metadata.ApplyAsync(metadata);

    // Replaced by the replication work (issue 11).
    public Task<ReplicaFetchResponse> ReplicaFetch(ReplicaFetchRequest request) => throw new NotSupportedException();

    public Task<IReadOnlyList<EpochEndOffset>> OffsetsForLeaderEpoch(IReadOnlyList<EpochEndOffsetRequest> partitions) => throw new NotSupportedException();

    public async Task<ProduceResponse> Produce(ProduceRequest request)
    {
        await RefreshIfUnknown(request.Batches.Select(b => (b.Topic, b.Partition)));
        var results = new Task<PartitionProduceResult>[request.Batches.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var batch = request.Batches[i];
            results[i] = Route(batch.Topic, batch.Partition, out var topicId, out var error) is { } replica
                ? replica.Produce(topicId, request.Acks, batch.Records)
                : Task.FromResult(PartitionProduceResult.Failed(batch.Topic, batch.Partition, error!.Code, error.Detail));
        }
        var done = await Task.WhenAll(results);
        ForgetTopicsThatChanged(done.Select(r => (r.Topic, r.Error)));
        return new ProduceResponse(done);
    }

    public async Task<FetchResponse> Fetch(FetchRequest request)
    {
        await RefreshIfUnknown(request.Partitions.Select(p => (p.Topic, p.Partition)));
        // As Kafka's broker: read every partition at once; only when that falls short of MinBytes, wait
        // (each replica long-polls up to MaxWaitMs) and answer as soon as MinBytes are there.
        var results = await Task.WhenAll(FetchAll(request, maxWaitMs: 0));
        if (request.MaxWaitMs > 0 && !Satisfied(results, request.MinBytes))
        {
            results = await WaitForData(request, results);
        }
        ForgetTopicsThatChanged(results.Select(r => (r.Topic, r.Error)));
        return new FetchResponse(results);
    }

    private Task<PartitionFetchResult>[] FetchAll(FetchRequest request, int maxWaitMs)
    {
        var calls = new Task<PartitionFetchResult>[request.Partitions.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            var fetch = request.Partitions[i];
            calls[i] = Route(fetch.Topic, fetch.Partition, out var topicId, out var error) is { } replica
                ? replica.Fetch(topicId, fetch.FetchOffset, Math.Min(fetch.PartitionMaxBytes, request.MaxBytes), maxWaitMs)
                : Task.FromResult(PartitionFetchResult.Failed(fetch.Topic, fetch.Partition, error!.Code, error.Detail));
        }
        return calls;
    }

    // A call still waiting when the request is answered is dropped: a fetch changes nothing.
    private async Task<PartitionFetchResult[]> WaitForData(FetchRequest request, PartitionFetchResult[] first)
    {
        var calls = FetchAll(request, request.MaxWaitMs);
        var results = (PartitionFetchResult[])first.Clone();
        var pending = new List<Task<PartitionFetchResult>>(calls);
        long bytes = 0;
        while (pending.Count > 0 && bytes < Math.Max(1, request.MinBytes))
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            var result = await finished;
            results[Array.IndexOf(calls, finished)] = result;
            bytes += result.Records.Length;
            if (result.Error != ErrorCode.None)
            {
                break; // an error is news the consumer needs now
            }
        }
        for (var i = 0; i < calls.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully)
            {
                results[i] = calls[i].Result;
            }
        }
        return results;
    }

    private static bool Satisfied(PartitionFetchResult[] results, int minBytes)
    {
        long bytes = 0;
        foreach (var result in results)
        {
            if (result.Error != ErrorCode.None)
            {
                return true;
            }
            bytes += result.Records.Length;
        }
        return bytes >= Math.Max(1, minBytes);
    }

    public async Task<IReadOnlyList<ListOffsetsResult>> ListOffsets(IReadOnlyList<TopicPartition> partitions, long timestamp)
    {
        await RefreshIfUnknown(partitions.Select(p => (p.Topic, p.Partition)));
        var calls = partitions.Select(p => Route(p.Topic, p.Partition, out var topicId, out var error) is { } replica
            ? replica.ListOffsets(topicId, timestamp)
            : Task.FromResult(new ListOffsetsResult(p.Topic, p.Partition, error!.Code, error.Detail, -1, -1)));
        return await Task.WhenAll(calls);
    }

    private IPartitionReplicaGrain? Route(string topic, int partition, out Guid topicId, out KafkaException? error)
    {
        topicId = default;
        error = null;
        if (_metadata.Topic(topic) is not { } metadata || partition < 0 || partition >= metadata.Partitions.Count)
        {
            error = new KafkaException(ErrorCode.UnknownTopicOrPartition,
                $"Topic '{topic}' or its partition {partition} does not exist. Create the topic first (auto.create.topics.enable is false).");
            return null;
        }
        var leader = metadata.Partitions[partition].Leader;
        if (leader == PartitionMetadata.NoLeader)
        {
            error = new KafkaException(ErrorCode.LeaderNotAvailable, $"{topic}-{partition} has no leader now: its in-sync replicas are down. Retry later.");
            return null;
        }
        if (leader != BrokerId)
        {
            error = new KafkaException(ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} does not lead {topic}-{partition}; broker {leader} does. Refresh the metadata.");
            return null;
        }
        topicId = metadata.TopicId;
        return GrainFactory.GetGrain<IPartitionReplicaGrain>(new ReplicaKey(topic, partition, BrokerId).ToString());
    }

    // A request naming a topic or partition the cache does not know, or one this broker does not lead by the
    // cache, may be ahead of the cache: catch up with the controller once before answering.
    private async Task RefreshIfUnknown(IEnumerable<(string Topic, int Partition)> partitions)
    {
        foreach (var (topic, partition) in partitions)
        {
            if (_metadata.Topic(topic) is not { } metadata || partition >= metadata.Partitions.Count || metadata.Partitions[partition].Leader != BrokerId)
            {
                await _metadata.CatchUpAsync();
                return;
            }
        }
    }

    // A replica that answers "unknown topic" or "not leader" means this silo's metadata may be behind.
    private void ForgetTopicsThatChanged(IEnumerable<(string Topic, ErrorCode Error)> results)
    {
        foreach (var (_, error) in results)
        {
            if (error is ErrorCode.UnknownTopicId or ErrorCode.UnknownTopicOrPartition or ErrorCode.NotLeaderOrFollower)
            {
                _ = _metadata.CatchUpAsync();
                return;
            }
        }
    }
}
