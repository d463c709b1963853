using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Grains.Metrics;
using Orlog.Grains.Partitions;
using Orlog.Grains.Placement;
using Orlog.Grains.Replication;
using Orlog.Records;

namespace Orlog.Grains.Broker;

/// <summary>
/// A broker's entry point for requests that cover many partitions, placed on its broker's silo: it checks
/// each partition against the silo's <see cref="MetadataCache"/> (catching up with the controller when a
/// request names what the cache does not know) and hands the work to the local replicas of the
/// <see cref="ReplicaManager"/> in parallel: producers' and consumers' requests to the leaders, followers'
/// fetches and epoch queries too. It also takes the controller's metadata pushes for its silo.
/// Reentrant: requests do not wait for each other.
/// </summary>
[Reentrant]
[BrokerPlacement]
public sealed class BrokerGrain : Grain, IBrokerGrain
{
    private readonly MetadataCache _metadata;
    private readonly ReplicaManager _replicas;
    private readonly ILocalSiloDetails _silo;
    private readonly BrokerMetrics _metrics;
    private readonly TimeProvider _time;

    public BrokerGrain(MetadataCache metadata, ReplicaManager replicas, ILocalSiloDetails silo, BrokerMetrics metrics, TimeProvider time)
    {
        _metadata = metadata;
        _replicas = replicas;
        _silo = silo;
        _metrics = metrics;
        _time = time;
    }

    private string? _siloName;

    private int BrokerId => (int)this.GetPrimaryKeyLong();

    public Task<string> SiloAddress() => Task.FromResult(_silo.SiloAddress.ToParsableString());

    public Task UpdateMetadata(ClusterMetadata metadata) => _metadata.ApplyAsync(metadata);

    public async Task<ProduceResponse> Produce(ProduceRequest request)
    {
        var started = _time.GetTimestamp();
        await RefreshIfUnknown(request.Batches, static b => (b.Topic, b.Partition));
        var results = new Task<PartitionProduceResult>[request.Batches.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var batch = request.Batches[i];
            results[i] = Route(batch.Topic, batch.Partition, out var error) is { } replica
                ? ProduceAsync(replica, request.Acks, request.TimeoutMs, batch, _metrics)
                : Task.FromResult(PartitionProduceResult.Failed(batch.Topic, batch.Partition, error!.Code, error.Detail));
        }
        var done = await Task.WhenAll(results);
        ForgetTopicsThatChanged(done, static r => r.Error);
        _metrics.RequestTime("produce", _time.GetElapsedTime(started));
        return new ProduceResponse(done);
    }

    private static async Task<PartitionProduceResult> ProduceAsync(Partition replica, short acks, int timeoutMs, PartitionBatch batch, BrokerMetrics metrics)
    {
        try
        {
            var result = await replica.ProduceAsync(batch.Records, acks, timeoutMs > 0 ? timeoutMs : 30_000);
            if (!result.IsDuplicate)
            {
                metrics.RecordsIn(batch.Topic, result.NextOffset - result.BaseOffset, batch.Records.Length);
            }
            return new PartitionProduceResult(batch.Topic, batch.Partition, ErrorCode.None, null, result.BaseOffset, result.LogAppendTime, result.LogStartOffset);
        }
        catch (KafkaException error)
        {
            return PartitionProduceResult.Failed(batch.Topic, batch.Partition, error.Code, error.Detail);
        }
    }

    public async Task<FetchResponse> Fetch(FetchRequest request)
    {
        var started = _time.GetTimestamp();
        await RefreshIfUnknown(request.Partitions, static p => (p.Topic, p.Partition));
        // As Kafka's broker: read every partition at once; only when that falls short of MinBytes, wait
        // (each replica long-polls up to MaxWaitMs) and answer as soon as MinBytes are there.
        var results = await Task.WhenAll(FetchAll(request, maxWaitMs: 0));
        if (request.MaxWaitMs > 0 && !Satisfied(results, request.MinBytes))
        {
            results = await WaitForData(request, results);
        }
        KeepWithinBudget(results, request.MaxBytes);
        ForgetTopicsThatChanged(results, static r => r.Error);
        CountSent(request, results);
        _metrics.RequestTime("fetch", _time.GetElapsedTime(started));
        return new FetchResponse(results);
    }

    /// <summary>
    /// Kafka's fetch.max.bytes: a budget for the whole answer, partitions in the request's order (the client rotates
    /// it). The first partition with data is kept whole even past the budget, so that a batch larger than it is never
    /// stuck; a later one only if it still fits. A partition left out answers empty with its watermarks and is read
    /// by the next fetch. So an answer stays near the budget however many partitions a consumer catches up on.
    /// </summary>
    private static void KeepWithinBudget(PartitionFetchResult[] results, int maxBytes)
    {
        long total = 0;
        var first = true;
        for (var i = 0; i < results.Length; i++)
        {
            var size = results[i].Size;
            if (size == 0)
            {
                continue;
            }
            if (first || total + size <= maxBytes)
            {
                total += size;
                first = false;
            }
            else
            {
                results[i] = results[i] with { Records = [], File = null };
            }
        }
    }

    // Records sent: from the offset asked to the offset after the last batch (a batch's records before the offset
    // asked are skipped by the consumer).
    private void CountSent(FetchRequest request, PartitionFetchResult[] results)
    {
        for (var i = 0; i < results.Length; i++)
        {
            var result = results[i];
            if (result.Size == 0)
            {
                continue;
            }
            var from = request.Partitions[i].FetchOffset;
            var next = result.File is { } file ? file.NextOffset : RecordBatchHeader.NextOffsetAfter(result.Records, from);
            _metrics.RecordsOut(result.Topic, Math.Max(0, next - from), result.Size);
        }
    }

    private Task<PartitionFetchResult>[] FetchAll(FetchRequest request, int maxWaitMs)
    {
        var calls = new Task<PartitionFetchResult>[request.Partitions.Count];
        // File ranges name files on this silo: only a caller on this silo can send from them.
        var ranges = request.FileRangesFor is { } caller && caller == (_siloName ??= _silo.SiloAddress.ToParsableString());
        for (var i = 0; i < calls.Length; i++)
        {
            var fetch = request.Partitions[i];
            calls[i] = Route(fetch.Topic, fetch.Partition, out var error) is { } replica
                ? FetchAsync(replica, fetch, Math.Min(fetch.PartitionMaxBytes, request.MaxBytes), maxWaitMs, ranges)
                : Task.FromResult(PartitionFetchResult.Failed(fetch.Topic, fetch.Partition, error!.Code, error.Detail));
        }
        return calls;
    }

    private static async Task<PartitionFetchResult> FetchAsync(Partition replica, PartitionFetch fetch, int maxBytes, int maxWaitMs, bool ranges)
    {
        try
        {
            if (ranges)
            {
                var (range, watermark) = await replica.FetchRangeAsync(fetch.FetchOffset, maxBytes, maxWaitMs);
                return new PartitionFetchResult(fetch.Topic, fetch.Partition, ErrorCode.None, null, watermark, watermark, range.LogStartOffset, [],
                    range.Path is { } path ? new FileRange(path, range.Position, range.Length, range.NextOffset) : null);
            }
            var (read, highWatermark) = await replica.FetchAsync(fetch.FetchOffset, maxBytes, maxWaitMs);
            return new PartitionFetchResult(fetch.Topic, fetch.Partition, ErrorCode.None, null, highWatermark, highWatermark, read.LogStartOffset, read.Records);
        }
        catch (KafkaException error)
        {
            return PartitionFetchResult.Failed(fetch.Topic, fetch.Partition, error.Code, error.Detail);
        }
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
            bytes += result.Size;
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
            bytes += result.Size;
        }
        return bytes >= Math.Max(1, minBytes);
    }

    public async Task<IReadOnlyList<ListOffsetsResult>> ListOffsets(IReadOnlyList<TopicPartition> partitions, long timestamp)
    {
        await RefreshIfUnknown(partitions, static p => (p.Topic, p.Partition));
        var results = new ListOffsetsResult[partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (topic, partition) = (partitions[i].Topic, partitions[i].Partition);
            try
            {
                var replica = Route(topic, partition, out var error) ?? throw error!;
                var (offset, found) = replica.ListOffset(timestamp);
                results[i] = new ListOffsetsResult(topic, partition, ErrorCode.None, null, offset, found);
            }
            catch (KafkaException error)
            {
                results[i] = new ListOffsetsResult(topic, partition, error.Code, error.Detail, -1, -1);
            }
        }
        return results;
    }

    public async Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecords(IReadOnlyList<DeleteRecordsPartition> partitions)
    {
        await RefreshIfUnknown(partitions, static p => (p.Topic, p.Partition));
        var results = new DeleteRecordsResult[partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (topic, partition, offset) = partitions[i];
            try
            {
                var replica = Route(topic, partition, out var error) ?? throw error!;
                results[i] = new DeleteRecordsResult(topic, partition, ErrorCode.None, null, replica.DeleteRecordsBefore(offset));
            }
            catch (KafkaException error)
            {
                results[i] = new DeleteRecordsResult(topic, partition, error.Code, error.Detail, -1);
            }
        }
        return results;
    }

    public async Task<ReplicaFetchResponse> ReplicaFetch(ReplicaFetchRequest request)
    {
        var results = ReadForFollower(request);
        var deadline = TimeSpan.FromMilliseconds(request.MaxWaitMs);
        var started = TimeProvider.System.GetTimestamp();
        // Nothing new anywhere: hold the request until a partition changes or the wait is over.
        while (!HasNews(results) && TimeProvider.System.GetElapsedTime(started) is var elapsed && elapsed < deadline)
        {
            using var timeout = new CancellationTokenSource();
            var changes = new List<Task>(request.Partitions.Count + 2) { Task.Delay(deadline - elapsed, timeout.Token) };
            if (_replicas.Throttle?.UntilAvailable() is { } throttled && throttled > TimeSpan.Zero)
            {
                // A throttled follower gets its next bytes when the throttle has some again.
                changes.Add(Task.Delay(throttled, timeout.Token));
            }
            foreach (var item in request.Partitions)
            {
                if (_replicas.Get(new TopicPartition(item.Topic, item.Partition), item.TopicId) is { } replica)
                {
                    changes.Add(replica.Changed);
                }
            }
            await Task.WhenAny(changes);
            await timeout.CancelAsync();
            results = ReadForFollower(request);
        }
        return new ReplicaFetchResponse(results);
    }

    private ReplicaFetchResult[] ReadForFollower(ReplicaFetchRequest request)
    {
        var results = new ReplicaFetchResult[request.Partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var item = request.Partitions[i];
            results[i] = _replicas.Get(new TopicPartition(item.Topic, item.Partition), item.TopicId) is { } replica
                ? replica.ReadForFollower(request.ReplicaId, request.BrokerEpoch, item.LeaderEpoch, item.FetchOffset, Math.Min(item.MaxBytes, request.MaxBytes), _replicas.Throttle)
                : ReplicaFetchResult.Failed(item.Topic, item.Partition, ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} holds no replica of {item.Topic}-{item.Partition} with topic id {item.TopicId}.");
        }
        return results;
    }

    private static bool HasNews(ReplicaFetchResult[] results)
    {
        foreach (var result in results)
        {
            if (result.Error != ErrorCode.None || result.Records.Length > 0)
            {
                return true;
            }
        }
        return false;
    }

    public Task<IReadOnlyList<EpochEndOffset>> OffsetsForLeaderEpoch(IReadOnlyList<EpochEndOffsetRequest> partitions)
    {
        var results = new EpochEndOffset[partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var item = partitions[i];
            results[i] = _replicas.Get(new TopicPartition(item.Topic, item.Partition), item.TopicId) is { } replica
                ? replica.EndOffsetForEpoch(item.CurrentLeaderEpoch, item.Epoch)
                : new EpochEndOffset(item.Topic, item.Partition, ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} holds no replica of {item.Topic}-{item.Partition} with topic id {item.TopicId}.", -1, -1);
        }
        return Task.FromResult<IReadOnlyList<EpochEndOffset>>(results);
    }

    public Task<IReadOnlyList<ReplicaLogInfo>> DescribeReplicas(IReadOnlyList<TopicPartition> partitions)
    {
        var results = new ReplicaLogInfo[partitions.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (topic, partition) = (partitions[i].Topic, partitions[i].Partition);
            results[i] = _metadata.Topic(topic) is { } metadata && _replicas.Get(partitions[i], metadata.TopicId) is { } replica
                ? new ReplicaLogInfo(topic, partition, ErrorCode.None, null, replica.Log.LogStartOffset, replica.Log.LogEndOffset, replica.Log.Size)
                : ReplicaLogInfo.Failed(topic, partition, ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} holds no replica of {topic}-{partition}.");
        }
        return Task.FromResult<IReadOnlyList<ReplicaLogInfo>>(results);
    }

    public Task<BrokerStatistics> Statistics()
    {
        var replicas = _replicas.Replicas
            .Select(r => new ReplicaStatistics(r.Id.Topic, r.Id.Partition, r.Role == ReplicaRole.Leader, r.Log.LogStartOffset, r.Log.LogEndOffset, r.HighWatermark, r.Log.Size))
            .OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition)
            .ToList();
        var traffic = _metrics.TrafficTotals().Select(t => new TopicTrafficTotals(t.Topic, t.RecordsIn, t.BytesIn, t.RecordsOut, t.BytesOut)).ToList();
        return Task.FromResult(new BrokerStatistics(BrokerId, replicas, traffic));
    }

    private Partition? Route(string topic, int partition, out KafkaException? error)
    {
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
        if (_replicas.Get(new TopicPartition(topic, partition), metadata.TopicId) is not { } replica)
        {
            error = new KafkaException(ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} is taking the lead of {topic}-{partition} (its replica is opening). Retry.");
            return null;
        }
        return replica;
    }

    // A request naming a topic or partition the cache does not know, or one this broker does not lead by the
    // cache, may be ahead of the cache: catch up with the controller once before answering.
    private async Task RefreshIfUnknown<T>(IReadOnlyList<T> items, Func<T, (string Topic, int Partition)> key)
    {
        foreach (var item in items)
        {
            var (topic, partition) = key(item);
            if (_metadata.Topic(topic) is not { } metadata || partition >= metadata.Partitions.Count || metadata.Partitions[partition].Leader != BrokerId)
            {
                await _metadata.CatchUpAsync();
                return;
            }
        }
    }

    // A replica that answers "unknown topic" or "not leader" means this silo's metadata may be behind.
    private void ForgetTopicsThatChanged<T>(IReadOnlyList<T> results, Func<T, ErrorCode> error)
    {
        foreach (var result in results)
        {
            if (error(result) is ErrorCode.UnknownTopicId or ErrorCode.UnknownTopicOrPartition or ErrorCode.NotLeaderOrFollower)
            {
                _ = _metadata.CatchUpAsync();
                return;
            }
        }
    }
}
