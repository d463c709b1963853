using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// KIP-848's ConsumerGroupHeartbeat and ConsumerGroupDescribe (librdkafka's group.protocol=consumer) onto the
/// group coordinator grain's server-side dialect, the one the SDK speaks: the broker assigns, members reconcile.
/// Partitions travel by topic id on the wire and by name in the grain; a topic id this broker does not know is
/// left out of what the member says it owns (it is deleted, or newer than this broker's metadata).
/// </summary>
internal static class ConsumerGroupHandlers
{
    public static async Task<ConsumerGroupHeartbeatResponse> HeartbeatAsync(ConsumerGroupHeartbeatRequest request, IKafkaBackend backend, KafkaClientInfo client,
        CancellationToken cancellationToken)
    {
        var cluster = backend.Cluster;
        var owned = request.TopicPartitions?.SelectMany(t => cluster.TopicById(t.TopicId) is { } topic
            ? t.Partitions.Select(p => new KafkaPartitionRef(topic.Name, p))
            : []).ToList();
        var heartbeat = new KafkaConsumerHeartbeat(request.MemberId, request.MemberEpoch, request.InstanceId, request.RackId, request.RebalanceTimeoutMs,
            request.SubscribedTopicNames, request.SubscribedTopicRegex, request.ServerAssignor, owned, client.ClientId, client.Host);
        KafkaConsumerHeartbeatResult result;
        try
        {
            result = await backend.Groups.ConsumerHeartbeatAsync(request.GroupId, heartbeat, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, message) = BackendFailure.Describe(error);
            result = new KafkaConsumerHeartbeatResult(code, message, request.MemberId, request.MemberEpoch, 0, null);
        }
        var response = new ConsumerGroupHeartbeatResponse
        {
            ErrorCode = (short)result.Error,
            ErrorMessage = result.Error == ErrorCode.None ? null : result.ErrorMessage,
            MemberId = result.MemberId,
            MemberEpoch = result.MemberEpoch,
            HeartbeatIntervalMs = result.HeartbeatIntervalMs,
        };
        if (result.Error == ErrorCode.None && result.Assignment is { } assignment)
        {
            response.Assignment = new ConsumerGroupHeartbeatResponse.AssignmentData { TopicPartitions = ByTopicId(assignment, cluster) };
        }
        return response;
    }

    private static List<ConsumerGroupHeartbeatResponse.TopicPartitions> ByTopicId(IReadOnlyList<KafkaPartitionRef> partitions, KafkaClusterView cluster) =>
        [.. partitions.GroupBy(p => p.Topic).Where(g => cluster.Topics.ContainsKey(g.Key)).Select(g => new ConsumerGroupHeartbeatResponse.TopicPartitions
        {
            TopicId = cluster.Topics[g.Key].TopicId,
            Partitions = [.. g.Select(p => p.Partition).Order()],
        })];

    public static async Task<ConsumerGroupDescribeResponse> DescribeAsync(ConsumerGroupDescribeRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var cluster = backend.Cluster;
        var response = new ConsumerGroupDescribeResponse();
        foreach (var groupId in request.GroupIds)
        {
            var described = new ConsumerGroupDescribeResponse.DescribedGroup { GroupId = groupId, GroupState = "Dead" };
            response.Groups.Add(described);
            try
            {
                var group = await backend.Groups.DescribeConsumerGroupAsync(groupId, cancellationToken);
                described.ErrorCode = (short)group.Error;
                described.ErrorMessage = group.Error == ErrorCode.None ? null : group.ErrorMessage;
                described.GroupState = group.State;
                described.GroupEpoch = group.GroupEpoch;
                described.AssignmentEpoch = group.AssignmentEpoch;
                described.AssignorName = group.AssignorName;
                foreach (var member in group.Members)
                {
                    described.Members.Add(new ConsumerGroupDescribeResponse.Member
                    {
                        MemberId = member.MemberId,
                        InstanceId = member.InstanceId,
                        MemberEpoch = member.MemberEpoch,
                        ClientId = member.ClientId,
                        ClientHost = member.ClientHost,
                        SubscribedTopicNames = [.. member.SubscribedTopicNames],
                        Assignment = new ConsumerGroupDescribeResponse.Assignment { TopicPartitions = Named(member.Assignment, cluster) },
                        TargetAssignment = new ConsumerGroupDescribeResponse.Assignment { TopicPartitions = Named(member.TargetAssignment, cluster) },
                    });
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var (code, message) = BackendFailure.Describe(error);
                described.ErrorCode = (short)code;
                described.ErrorMessage = message;
            }
        }
        return response;
    }

    private static List<ConsumerGroupDescribeResponse.TopicPartitions> Named(IReadOnlyList<KafkaPartitionRef> partitions, KafkaClusterView cluster) =>
        [.. partitions.GroupBy(p => p.Topic).Select(g => new ConsumerGroupDescribeResponse.TopicPartitions
        {
            TopicId = cluster.Topics.TryGetValue(g.Key, out var topic) ? topic.TopicId : Guid.Empty,
            TopicName = g.Key,
            Partitions = [.. g.Select(p => p.Partition).Order()],
        })];
}
