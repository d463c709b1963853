using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's OffsetCommit onto the group coordinator grain, with each offset's leader epoch (v6+) and metadata
/// string kept. A member commits with its id and generation; an empty id with generation -1 is a standalone
/// (admin) commit, accepted only while the group has no members. The retention time of versions 2-4 is ignored,
/// as Kafka has since version 5 (offsets.retention.minutes decides).
/// </summary>
internal static class OffsetCommitHandler
{
    public static async Task<OffsetCommitResponse> HandleAsync(OffsetCommitRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var commit = new KafkaCommit(request.MemberId, request.GenerationIdOrMemberEpoch, request.GroupInstanceId,
            [.. request.Topics.SelectMany(t => t.Partitions.Select(p => new KafkaOffsetToCommit(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedLeaderEpoch, p.CommittedMetadata)))]);
        var codes = new Dictionary<KafkaPartitionRef, ErrorCode>();
        ErrorCode? failure = null;
        try
        {
            foreach (var result in await backend.Groups.CommitAsync(request.GroupId, commit, cancellationToken))
            {
                codes[new KafkaPartitionRef(result.Topic, result.Partition)] = result.Error;
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = BackendFailure.Describe(error).Code;
        }
        var response = new OffsetCommitResponse();
        foreach (var topic in request.Topics)
        {
            var answer = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                answer.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)(failure ?? codes.GetValueOrDefault(new KafkaPartitionRef(topic.Name, partition.PartitionIndex), ErrorCode.UnknownServerError)),
                });
            }
            response.Topics.Add(answer);
        }
        return response;
    }
}
