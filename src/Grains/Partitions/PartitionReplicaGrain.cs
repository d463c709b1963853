using System.Globalization;
using Orleans.Concurrency;
using Orlog.Grains.Cluster;
using Orlog.Grains.Placement;
using Orlog.Grains.Replication;

namespace Orlog.Grains.Partitions;

/// <summary>
/// The grain in front of one replica, for calls about a single partition: placed on its broker's silo only,
/// it finds the replica in the silo's <see cref="ReplicaManager"/> (catching up with the controller once
/// when the metadata is behind) and forwards. The broker grain serves the many-partition requests without
/// it. It refuses to serve for another broker (should Orleans ever place it elsewhere). Reentrant: a fetch
/// waiting for data and a batch waiting for an earlier sequence never hold up other calls.
/// </summary>
[Reentrant]
[BrokerPlacement]
public sealed class PartitionReplicaGrain : Grain, IPartitionReplicaGrain
{
    private readonly MetadataCache _metadata;
    private readonly ReplicaManager _replicas;
    private ReplicaKey _key;

    public PartitionReplicaGrain(MetadataCache metadata, ReplicaManager replicas)
    {
        _metadata = metadata;
        _replicas = replicas;
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
    /// This broker's replica for a call. The topic id fences a deleted and re-created topic; a topic or id this
    /// silo does not know yet makes it catch up with the controller once.
    /// </summary>
    private async ValueTask<Partition> ResolveAsync(Guid topicId)
    {
        if (_key.Broker != _replicas.BrokerId)
        {
            DeactivateOnIdle();
            throw new KafkaException(ErrorCode.ReplicaNotAvailable, string.Create(CultureInfo.InvariantCulture,
                $"The replica {_key} belongs to broker {_key.Broker} but was activated on broker {_replicas.BrokerId}: no log is opened here. Retry."));
        }
        var topic = _metadata.Topic(_key.Topic);
        if (topic is null || topic.TopicId != topicId || _key.Partition >= topic.Partitions.Count || _replicas.Get(_key.TopicPartition, topicId) is null)
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
        return _replicas.Get(_key.TopicPartition, topicId) ?? throw new KafkaException(ErrorCode.NotLeaderOrFollower, string.Create(CultureInfo.InvariantCulture,
            $"Broker {_key.Broker} holds no replica of {_key.TopicPartition} (its replicas are {string.Join(',', topic.Partitions[_key.Partition].Replicas)}). Refresh the metadata."));
    }
}
