using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's Metadata: every broker with a Kafka listener, the cluster id, the controller, and the topics asked
/// for (all of them when the list is null, or empty in version 0) with each partition's leader, leader epoch,
/// replicas, ISR and offline replicas. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID when
/// asked by id). A topic asked by name that does not exist is created with the broker's defaults when
/// auto.create.topics.enable is true (false by default) and the request allows it (from version 4; always
/// before): it is answered LEADER_NOT_AVAILABLE, as Kafka does, and the client asks again.
/// </summary>
internal static class MetadataHandler
{
    public static async Task<MetadataResponse> HandleAsync(MetadataRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var cluster = backend.Cluster;
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
            if (topic is not null)
            {
                response.Topics.Add(Describe(topic));
                continue;
            }
            var error = asked.Name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
            if (asked.Name is not null && backend.Admin.AutoCreateTopics && (version < 4 || request.AllowAutoTopicCreation))
            {
                error = await AutoCreateAsync(asked.Name, backend.Admin, cancellationToken);
            }
            response.Topics.Add(new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)error, Name = asked.Name, TopicId = asked.TopicId });
        }
        return response;
    }

    private static async Task<ErrorCode> AutoCreateAsync(string name, IKafkaAdmin admin, CancellationToken cancellationToken)
    {
        try
        {
            var created = await admin.CreateTopicAsync(name, -1, -1, new Dictionary<string, string>(), validateOnly: false, cancellationToken);
            return created.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.LeaderNotAvailable : created.Error;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return BackendFailure.Describe(error).Code;
        }
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
