using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's OffsetFetch onto the group coordinator grain: the committed offsets of the partitions asked, or of all
/// committed ones (null topics, v2+), with leader epochs (v5+) and metadata. Versions 8 and up ask for several
/// groups at once (KIP-709); version 9 names the member and its epoch (KIP-848), checked by the group.
/// </summary>
internal static class OffsetFetchHandler
{
    public static async Task<OffsetFetchResponse> HandleAsync(OffsetFetchRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new OffsetFetchResponse();
        if (version < 8)
        {
            var asked = request.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new KafkaPartitionRef(t.Name, p))).ToList();
            var (code, offsets) = await FetchAsync(backend, request.GroupId, null, -1, asked, cancellationToken);
            if (version >= 2)
            {
                response.ErrorCode = (short)code;
            }
            foreach (var topic in offsets.GroupBy(o => o.Topic))
            {
                var answer = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic.Key };
                foreach (var offset in topic)
                {
                    answer.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                    {
                        PartitionIndex = offset.Partition,
                        CommittedOffset = offset.Offset,
                        CommittedLeaderEpoch = version >= 5 ? offset.LeaderEpoch : -1,
                        Metadata = offset.Metadata ?? "",
                        // Before version 2 a group-level error has no field of its own: each partition carries it.
                        ErrorCode = (short)(version < 2 ? code : ErrorCode.None),
                    });
                }
                response.Topics.Add(answer);
            }
            return response;
        }
        foreach (var group in request.Groups)
        {
            var asked = group.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new KafkaPartitionRef(t.Name, p))).ToList();
            var (code, offsets) = await FetchAsync(backend, group.GroupId, group.MemberId, group.MemberEpoch, asked, cancellationToken);
            var answer = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)code };
            foreach (var topic in offsets.GroupBy(o => o.Topic))
            {
                var topicAnswer = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = topic.Key };
                foreach (var offset in topic)
                {
                    topicAnswer.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                    {
                        PartitionIndex = offset.Partition,
                        CommittedOffset = offset.Offset,
                        CommittedLeaderEpoch = offset.LeaderEpoch,
                        Metadata = offset.Metadata ?? "",
                    });
                }
                answer.Topics.Add(topicAnswer);
            }
            response.Groups.Add(answer);
        }
        return response;
    }

    /// <summary>The group's code and offsets; for partitions asked, every one answered (-1 when none is committed).</summary>
    private static async Task<(ErrorCode Code, IReadOnlyList<KafkaCommittedOffset> Offsets)> FetchAsync(IKafkaBackend backend, string groupId, string? memberId, int memberEpoch,
        List<KafkaPartitionRef>? asked, CancellationToken cancellationToken)
    {
        try
        {
            var result = await backend.Groups.FetchOffsetsAsync(groupId, memberId, memberEpoch, asked, cancellationToken);
            if (result.Error != ErrorCode.None)
            {
                return (result.Error, asked?.Select(p => new KafkaCommittedOffset(p.Topic, p.Partition, -1, -1, null)).ToList() ?? []);
            }
            if (asked is null)
            {
                return (ErrorCode.None, result.Offsets);
            }
            var found = result.Offsets.ByPartition(o => new KafkaPartitionRef(o.Topic, o.Partition));
            return (ErrorCode.None, [.. asked.Select(p => found.GetValueOrDefault(p) ?? new KafkaCommittedOffset(p.Topic, p.Partition, -1, -1, null))]);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (BackendFailure.Describe(error).Code, asked?.Select(p => new KafkaCommittedOffset(p.Topic, p.Partition, -1, -1, null)).ToList() ?? []);
        }
    }
}
