using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's ListOffsets: per partition the first offset whose timestamp is at least the one asked, or -1 (the
/// log end, for consumers the high watermark) and -2 (the log start). The leader epoch answered is the
/// partition's current one.
/// </summary>
internal static class ListOffsetsHandler
{
    public static async Task<ListOffsetsResponse> HandleAsync(ListOffsetsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new ListOffsetsResponse();
        var cluster = backend.Cluster;
        var byTimestamp = new Dictionary<long, List<(ListOffsetsResponse.ListOffsetsPartitionResponse Line, string Topic)>>();
        foreach (var topic in request.Topics)
        {
            var answer = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(answer);
            foreach (var partition in topic.Partitions)
            {
                var current = cluster.Partition(topic.Name, partition.PartitionIndex);
                var line = new ListOffsetsResponse.ListOffsetsPartitionResponse
                {
                    PartitionIndex = partition.PartitionIndex,
                    Timestamp = -1,
                    Offset = -1,
                    LeaderEpoch = version >= 4 ? current?.LeaderEpoch ?? -1 : -1,
                };
                answer.Partitions.Add(line);
                if (LeaderEpochCheck.Check(current, topic.Name, partition.CurrentLeaderEpoch) is { } fenced)
                {
                    line.ErrorCode = (short)fenced.Code;
                    continue;
                }
                if (!byTimestamp.TryGetValue(partition.Timestamp, out var group))
                {
                    byTimestamp[partition.Timestamp] = group = [];
                }
                group.Add((line, topic.Name));
            }
        }
        foreach (var (timestamp, group) in byTimestamp)
        {
            try
            {
                var results = await backend.ListOffsetsAsync([.. group.Select(g => new KafkaPartitionRef(g.Topic, g.Line.PartitionIndex))], timestamp, cancellationToken);
                var byPartition = results.ByPartition(r => new KafkaPartitionRef(r.Topic, r.Partition));
                foreach (var (line, topic) in group)
                {
                    if (byPartition.TryGetValue(new KafkaPartitionRef(topic, line.PartitionIndex), out var result))
                    {
                        line.ErrorCode = (short)result.Error;
                        line.Offset = result.Error == ErrorCode.None ? result.Offset : -1;
                        line.Timestamp = result.Error == ErrorCode.None ? result.Timestamp : -1;
                    }
                    else
                    {
                        line.ErrorCode = (short)ErrorCode.UnknownServerError;
                    }
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var (code, _) = BackendFailure.Describe(error);
                foreach (var (line, _) in group)
                {
                    line.ErrorCode = (short)code;
                }
            }
        }
        return response;
    }
}
