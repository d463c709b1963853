using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orlog.Grains.Logs;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Grains.Partitions;

/// <summary>
/// One replica of a partition, in front of this silo's log of it. Reentrant: a fetch waiting for data
/// and a batch waiting for an earlier sequence of its producer never hold up other appends; the log
/// serializes appends itself. With a single replica the high watermark is the log end offset.
/// </summary>
[Reentrant]
public sealed partial class PartitionReplicaGrain : Grain, IPartitionReplicaGrain
{
    // How long a batch whose producer sequence runs ahead waits for the batches before it (sent
    // concurrently, they may arrive out of order) before it is refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
    private static readonly TimeSpan _sequenceWait = TimeSpan.FromSeconds(5);

    private readonly LogManager _logs;
    private readonly ILogger<PartitionReplicaGrain> _logger;
    private ReplicaKey _key;
    private TopicMetadata? _topic;
    private PartitionLog? _log;
    private TaskCompletionSource _appended = NewSignal();

    public PartitionReplicaGrain(LogManager logs, ILogger<PartitionReplicaGrain> logger)
    {
        _logs = logs;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = ReplicaKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<PartitionProduceResult> Produce(Guid topicId, short acks, byte[] batch)
    {
        try
        {
            var log = await GetLogAsync(topicId);
            await WaitForEarlierSequencesAsync(log, batch);
            var epoch = LeaderEpoch;
            var result = log.Config.FlushesEveryAppend && acks != 0
                ? await log.AppendAsync(batch, epoch)
                : log.AppendAsLeader(batch, epoch);
            Signal();
            return new PartitionProduceResult(_key.Topic, _key.Partition, ErrorCode.None, null, result.BaseOffset, result.LogAppendTime, result.LogStartOffset);
        }
        catch (KafkaException error)
        {
            return PartitionProduceResult.Failed(_key.Topic, _key.Partition, error.Code, error.Detail);
        }
    }

    public async Task<PartitionFetchResult> Fetch(Guid topicId, long offset, int maxBytes, int maxWaitMs)
    {
        try
        {
            var log = await GetLogAsync(topicId);
            if (offset == log.LogEndOffset && maxWaitMs > 0)
            {
                await WaitForAppendAsync(log, offset, maxWaitMs);
            }
            var highWatermark = log.LogEndOffset;
            var read = log.Read(offset, maxBytes, highWatermark);
            return new PartitionFetchResult(_key.Topic, _key.Partition, ErrorCode.None, null, highWatermark, highWatermark, read.LogStartOffset, read.Records);
        }
        catch (KafkaException error)
        {
            return PartitionFetchResult.Failed(_key.Topic, _key.Partition, error.Code, error.Detail);
        }
    }

    public async Task<ListOffsetsResult> ListOffsets(Guid topicId, long timestamp)
    {
        try
        {
            var log = await GetLogAsync(topicId);
            var (offset, found) = timestamp switch
            {
                OffsetSpec.Earliest => (log.LogStartOffset, -1L),
                OffsetSpec.Latest => (log.LogEndOffset, -1L),
                _ => log.OffsetForTimestamp(timestamp) ?? (-1L, -1L),
            };
            return new ListOffsetsResult(_key.Topic, _key.Partition, ErrorCode.None, null, offset, found);
        }
        catch (KafkaException error)
        {
            return new ListOffsetsResult(_key.Topic, _key.Partition, error.Code, error.Detail, -1, -1);
        }
    }

    public async Task<PartitionOffsets> GetOffsets(Guid topicId)
    {
        var log = await GetLogAsync(topicId);
        return new PartitionOffsets(_key.Partition, log.LogStartOffset, log.LogEndOffset, log.LogEndOffset);
    }

    public Task Delete(Guid topicId)
    {
        _logs.Delete(_key.TopicPartition, topicId);
        _log = null;
        _topic = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Reconfigure(Guid topicId, IReadOnlyDictionary<string, string> configs)
    {
        if (_topic is { } topic && topic.TopicId == topicId)
        {
            _topic = topic with { Configs = configs };
            _log = _logs.Open(_key.TopicPartition, topicId, configs);
        }
        return Task.CompletedTask;
    }

    private int LeaderEpoch => _topic is { } topic && _key.Partition < topic.Partitions.Count ? topic.Partitions[_key.Partition].LeaderEpoch : 0;

    // The topic id on every call fences a deleted and re-created topic: a replica of the old one refuses.
    private async ValueTask<PartitionLog> GetLogAsync(Guid topicId)
    {
        if (_log is { } log && _topic?.TopicId == topicId)
        {
            return log;
        }
        var topics = await GrainFactory.GetGrain<IControllerGrain>(0).GetTopics([_key.Topic]);
        var topic = topics.Count == 1 ? topics[0] : null;
        if (topic is null || _key.Partition >= topic.Partitions.Count)
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"This broker has no partition {_key.TopicPartition}. Refresh the metadata: the topic may have been deleted.");
        }
        if (topic.TopicId != topicId)
        {
            throw new KafkaException(ErrorCode.UnknownTopicId, $"Topic '{_key.Topic}' now has id {topic.TopicId}, not {topicId}: it was deleted and re-created. Refresh the metadata.");
        }
        // Opening may recover the log from disk: do it off the grain's scheduler.
        var opened = await Task.Run(() => _logs.Open(_key.TopicPartition, topic.TopicId, topic.Configs));
        _topic = topic;
        _log = opened;
        LogOpened(_logger, _key.ToString(), opened.LogStartOffset, opened.LogEndOffset);
        return opened;
    }

    private async Task WaitForEarlierSequencesAsync(PartitionLog log, byte[] batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return;
        }
        var header = RecordBatchHeader.Read(batch);
        if (!header.HasProducerId || header.BaseSequence <= 0)
        {
            return;
        }
        var deadline = DateTime.UtcNow + _sequenceWait;
        while (log.GetProducerState(header.ProducerId) is { } state
            && state.ProducerEpoch == header.ProducerEpoch
            && state.LastSequence >= 0
            && header.BaseSequence > state.LastSequence + 1
            && DateTime.UtcNow < deadline)
        {
            var appended = _appended.Task;
            await Task.WhenAny(appended, Task.Delay(deadline - DateTime.UtcNow));
        }
    }

    private async Task WaitForAppendAsync(PartitionLog log, long offset, int maxWaitMs)
    {
        using var timeout = new CancellationTokenSource(maxWaitMs);
        while (log.LogEndOffset <= offset && !timeout.IsCancellationRequested)
        {
            var appended = _appended.Task;
            if (log.LogEndOffset > offset)
            {
                break;
            }
            await Task.WhenAny(appended, Task.Delay(Timeout.Infinite, timeout.Token));
        }
    }

    private void Signal()
    {
        var signal = _appended;
        _appended = NewSignal();
        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Replica {Replica} opened its log: offsets {LogStartOffset} to {LogEndOffset}")]
    private static partial void LogOpened(ILogger logger, string replica, long logStartOffset, long logEndOffset);
}
