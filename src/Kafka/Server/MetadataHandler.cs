using Orlog.Kafka.Protocol.Messages;
using Orlog.Records;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's Metadata: every broker with a Kafka listener, the cluster id, the controller, and the topics asked
/// for (all of them when the list is null, or empty in version 0) with each partition's leader, leader epoch,
/// replicas, ISR and offline replicas. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID when
/// asked by id); topics are never created here (auto.create.topics.enable is false).
/// </summary>
internal static class MetadataHandler
{
    public static MetadataResponse Handle(MetadataRequest request, short version, KafkaClusterView cluster)
    {
        var response = new MetadataResponse
        {
            ClusterId = cluster.ClusterId,
            ControllerId = cluster.ControllerId,
        };
        foreach (var broker in cluster.Brokers)
        {
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = broker.Id, Host = broker.Host, Port = broker.Port, Rack = broker.Rack });
        }

        var all = request.Topics is null || (version == 0 && request.Topics.Count == 0);
        if (all)
        {
            foreach (var topic in cluster.Topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                response.Topics.Add(Describe(topic));
            }
            return response;
        }
        foreach (var asked in request.Topics!)
        {
            var topic = asked.Name is { } name
                ? cluster.Topics.GetValueOrDefault(name)
                : cluster.Topics.Values.FirstOrDefault(t => t.TopicId == asked.TopicId);
            response.Topics.Add(topic is not null ? Describe(topic) : new MetadataResponse.MetadataResponseTopic
            {
                ErrorCode = (short)(asked.Name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition),
                Name = asked.Name,
                TopicId = asked.TopicId,
            });
        }
        return response;
    }

    private static MetadataResponse.MetadataResponseTopic Describe(KafkaTopicView topic)
    {
        var described = new MetadataResponse.MetadataResponseTopic { Name = topic.Name, TopicId = topic.TopicId };
        foreach (var partition in topic.Partitions)
        {
            described.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                ErrorCode = (short)(partition.Leader < 0 ? ErrorCode.LeaderNotAvailable : ErrorCode.None),
                PartitionIndex = partition.Partition,
                LeaderId = partition.Leader,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = [.. partition.Replicas],
                IsrNodes = [.. partition.Isr],
                OfflineReplicas = [.. partition.OfflineReplicas],
            });
        }
        return described;
    }
}
