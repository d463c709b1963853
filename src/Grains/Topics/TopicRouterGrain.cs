using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Records;

namespace Orlog.Grains.Topics;

/// <summary>
/// A topic's router on this silo (see <see cref="ITopicRouterGrain"/>): the batching is <see cref="PartitionBatcher"/>'s;
/// this grain finds leaders in the silo's <see cref="MetadataCache"/>, sends the ready batches, retries what Kafka
/// retries until delivery.timeout.ms, and answers each call when its batches are done. Reentrant: calls gather while
/// batches are in flight.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class TopicRouterGrain : Grain, ITopicRouterGrain
{
    private readonly MetadataCache _metadata;
    private readonly TopicRouterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TopicRouterGrain> _logger;
    private readonly PartitionBatcher _batcher;
    private int _sticky = -1;
    private RoutedBatch? _stickyBatch;
    private bool _lingering;

    public TopicRouterGrain(MetadataCache metadata, IOptions<TopicRouterOptions> options, TimeProvider time, ILogger<TopicRouterGrain> logger)
    {
        _metadata = metadata;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _batcher = new PartitionBatcher(_options, time);
    }

    private string Topic => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<RoutedAppendResult>> Produce(IReadOnlyList<RoutedRecord> records)
    {
        var count = (await MetadataAsync()).Partitions.Count;
        var byPartition = new Dictionary<int, List<RoutedRecord>>();
        foreach (var record in records)
        {
            var partition = record.Key is null ? Sticky(count) : Murmur2Partitioner.Partition(record.Key, count);
            if (!byPartition.TryGetValue(partition, out var list))
            {
                list = [];
                byPartition.Add(partition, list);
            }
            list.Add(record);
        }
        var tickets = new List<(int Partition, RoutedBatch Batch, int First, int Count)>(byPartition.Count);
        foreach (var (partition, list) in byPartition)
        {
            var (batch, first) = _batcher.Add(partition, list);
            tickets.Add((partition, batch, first, list.Count));
            if (partition == _sticky)
            {
                _stickyBatch = batch;
            }
        }
        Pump();
        var results = new RoutedAppendResult[tickets.Count];
        for (var i = 0; i < tickets.Count; i++)
        {
            var (partition, batch, first, n) = tickets[i];
            var result = await batch.Done.Task;
            results[i] = result.Error == ErrorCode.None
                ? new RoutedAppendResult(partition, ErrorCode.None, null, result.BaseOffset + first, n)
                : new RoutedAppendResult(partition, result.Error, result.ErrorMessage, -1, n);
        }
        return results;
    }

    /// <summary>Sends what is ready and, if an open batch waits for its linger, wakes up when it ends.</summary>
    private void Pump()
    {
        foreach (var batch in _batcher.TakeReady())
        {
            _ = SendAsync(batch);
        }
        if (!_lingering && _batcher.NextLinger() is { } wait)
        {
            _lingering = true;
            _ = LingerAsync(wait);
        }
    }

    private async Task LingerAsync(TimeSpan wait)
    {
        await Task.Delay(wait, _time);
        _lingering = false;
        Pump();
    }

    private async Task SendAsync(RoutedBatch batch)
    {
        // Once an attempt went unanswered the broker may still read the bytes (an in-silo call passes them without a
        // copy): the builder's buffer is then left to the GC instead of going back to the pool.
        var unanswered = false;
        try
        {
            var bytes = batch.Bytes ??= batch.Builder.Build();
            var timeout = TimeSpan.FromMilliseconds(_options.DeliveryTimeoutMs);
            for (var attempt = 1; ; attempt++)
            {
                PartitionProduceResult result;
                var final = false;
                try
                {
                    var leader = await LeaderAsync(batch.Partition);
                    // Below Orleans' 30 s response timeout, so the broker's own timeout answers first.
                    var requestTimeoutMs = (int)Math.Clamp((timeout - _time.GetElapsedTime(batch.CreatedAt)).TotalMilliseconds, 1, 25_000);
                    var response = await GrainFactory.GetGrain<IBrokerGrain>(leader).Produce(new ProduceRequest(-1, requestTimeoutMs, [new PartitionBatch(Topic, batch.Partition, bytes)]));
                    result = response.Results[0];
                }
                catch (KafkaException error)
                {
                    // A topic the controller no longer lists is an answer, not an outage.
                    final = error.Code == ErrorCode.UnknownTopicOrPartition || !error.Code.IsRetriable();
                    result = PartitionProduceResult.Failed(Topic, batch.Partition, error.Code, error.Detail);
                }
                catch (Exception error) when (error is OrleansException or TimeoutException)
                {
                    unanswered = true;
                    result = PartitionProduceResult.Failed(Topic, batch.Partition, ErrorCode.RequestTimedOut, error.Message);
                }
                if (result.Error == ErrorCode.None || final || !result.Error.IsRetriable() || _time.GetElapsedTime(batch.CreatedAt) >= timeout)
                {
                    if (result.Error != ErrorCode.None)
                    {
                        LogFailed(_logger, Topic, batch.Partition, batch.Count, attempt, result.Error.KafkaName(), result.ErrorMessage);
                    }
                    batch.Done.TrySetResult(result);
                    break;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 * attempt)), _time);
                await _metadata.CatchUpAsync();
            }
        }
        catch (Exception error)
        {
            // Whatever else went wrong still answers the callers and frees the partition for its next batch.
            LogFailed(_logger, Topic, batch.Partition, batch.Count, 0, ErrorCode.UnknownServerError.KafkaName(), error.Message);
            batch.Done.TrySetResult(PartitionProduceResult.Failed(Topic, batch.Partition, ErrorCode.UnknownServerError, error.Message));
        }
        finally
        {
            if (!unanswered)
            {
                batch.Builder.Dispose();
            }
            _batcher.Done(batch);
            Pump();
        }
    }

    private async Task<TopicMetadata> MetadataAsync()
    {
        if (_metadata.Topic(Topic) is { } known)
        {
            return known;
        }
        await _metadata.CatchUpAsync();
        return _metadata.Topic(Topic)
            ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{Topic}' does not exist. List the topics with 'orlog topics list'.");
    }

    private async Task<int> LeaderAsync(int partition)
    {
        var metadata = await MetadataAsync();
        if (partition >= metadata.Partitions.Count)
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{Topic}' has {metadata.Partitions.Count} partition(s) now; partition {partition} is gone.");
        }
        var leader = metadata.Partitions[partition].Leader;
        if (leader >= 0)
        {
            return leader;
        }
        await _metadata.CatchUpAsync();
        leader = (await MetadataAsync()).Partitions[partition].Leader;
        return leader >= 0 ? leader : throw new KafkaException(ErrorCode.LeaderNotAvailable, $"{Topic}-{partition} has no leader at the moment.");
    }

    /// <summary>The partition for records without a key: one until the batch it fills is sent, then another (Kafka's sticky partitioner).</summary>
    private int Sticky(int count)
    {
        if (_sticky < 0 || _sticky >= count)
        {
            _sticky = Random.Shared.Next(count);
        }
        else if (count > 1 && _stickyBatch is { } filled && !_batcher.IsOpen(filled))
        {
            _sticky = (_sticky + 1 + Random.Shared.Next(count - 1)) % count;
            _stickyBatch = null;
        }
        return _sticky;
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Topic router: {Count} record(s) for {Topic}-{Partition} failed after {Attempts} attempt(s): {Error} {Message}")]
    private static partial void LogFailed(ILogger logger, string topic, int partition, int count, int attempts, string error, string? message);
}
