using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Grains.Logs;
using Orlog.Grains.Placement;
using Orlog.Records;

namespace Orlog.Grains.Partitions;

/// <summary>
/// The grain in front of one <see cref="Partition"/>: placed on its broker's silo only, it finds the
/// partition's metadata in the silo's <see cref="MetadataCache"/>, opens the local log, and forwards. It
/// refuses to open a log for another broker (should Orleans ever place it elsewhere). Reentrant: a fetch
/// waiting for data and a batch waiting for an earlier sequence never hold up other appends; the log
/// serializes appends itself.
/// </summary>
[Reentrant]
[BrokerPlacement]
public sealed partial class PartitionReplicaGrain : Grain, IPartitionReplicaGrain
{
    private readonly LogManager _logs;
    private readonly MetadataCache _metadata;
    private readonly TimeProvider _time;
    private readonly ILogger<PartitionReplicaGrain> _logger;
    private ReplicaKey _key;
    private Partition? _partition;

    public PartitionReplicaGrain(LogManager logs, MetadataCache metadata, TimeProvider time, ILogger<PartitionReplicaGrain> logger)
    {
        _logs = logs;
        _metadata = metadata;
        _time = time;
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
            var partition = await ResolveAsync(topicId);
            var result = await partition.ProduceAsync(batch, acks);
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
            var partition = await ResolveAsync(topicId);
            var (read, highWatermark) = await partition.FetchAsync(offset, maxBytes, maxWaitMs);
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
            var partition = await ResolveAsync(topicId);
            var (offset, found) = partition.ListOffset(timestamp);
            return new ListOffsetsResult(_key.Topic, _key.Partition, ErrorCode.None, null, offset, found);
        }
        catch (KafkaException error)
        {
            return new ListOffsetsResult(_key.Topic, _key.Partition, error.Code, error.Detail, -1, -1);
        }
    }

    /// <summary>
    /// The partition for a call, with the silo's current metadata applied. The topic id fences a deleted and
    /// re-created topic; a topic or id this silo does not know yet makes it catch up with the controller once.
    /// </summary>
    private async ValueTask<Partition> ResolveAsync(Guid topicId)
    {
        if (_key.Broker != _logs.BrokerId)
        {
            DeactivateOnIdle();
            throw new KafkaException(ErrorCode.ReplicaNotAvailable, string.Create(CultureInfo.InvariantCulture,
                $"The replica {_key} belongs to broker {_key.Broker} but was activated on broker {_logs.BrokerId}: no log is opened here. Retry."));
        }
        var topic = _metadata.Topic(_key.Topic);
        if (topic is null || topic.TopicId != topicId || _key.Partition >= topic.Partitions.Count)
        {
            await _metadata.CatchUpAsync();
            topic = _metadata.Topic(_key.Topic);
        }
        if (topic is null || _key.Partition >= topic.Partitions.Count)
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"This broker has no partition {_key.TopicPartition}. Refresh the metadata: the topic may have been deleted.");
        }
        if (topic.TopicId != topicId)
        {
            throw new KafkaException(ErrorCode.UnknownTopicId, $"Topic '{_key.Topic}' now has id {topic.TopicId}, not {topicId}: it was deleted and re-created. Refresh the metadata.");
        }
        var metadata = topic.Partitions[_key.Partition];
        if (_partition is not { } partition || partition.TopicId != topicId)
        {
            // Opening may recover the log from disk: do it off the grain's scheduler.
            var log = await Task.Run(() => _logs.Open(_key.TopicPartition, topic.TopicId, topic.Configs));
            partition = new Partition(_key.TopicPartition, _key.Broker, topic.TopicId, log, _time);
            _partition = partition;
            LogOpened(_logger, _key.ToString(), log.LogStartOffset, log.LogEndOffset);
        }
        if (partition.ApplyMetadata(metadata))
        {
            LogRole(_logger, _key.ToString(), partition.Role, partition.LeaderEpoch, partition.PartitionEpoch);
        }
        return partition;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Replica {Replica} opened its log: offsets {LogStartOffset} to {LogEndOffset}")]
    private static partial void LogOpened(ILogger logger, string replica, long logStartOffset, long logEndOffset);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Replica {Replica} is {Role} at leader epoch {LeaderEpoch}, partition epoch {PartitionEpoch}")]
    private static partial void LogRole(ILogger logger, string replica, ReplicaRole role, int leaderEpoch, int partitionEpoch);
}
