using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's OffsetForLeaderEpoch for consumers (KIP-320): after a leader change a consumer asks where the epoch of
/// its last fetched record ends, and truncates its position if the log it read from was cut back. Answered by the
/// partition's leader from its leader-epoch checkpoint, the one followers use (KIP-101/279).
/// </summary>
internal static class OffsetForLeaderEpochHandler
{
    public static async Task<OffsetForLeaderEpochResponse> HandleAsync(OffsetForLeaderEpochRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var cluster = backend.Cluster;
        var response = new OffsetForLeaderEpochResponse();
        var lines = new List<(OffsetForLeaderEpochResponse.EpochEndOffset Line, string Topic)>();
        var queries = new List<KafkaEpochQuery>();
        foreach (var topic in request.Topics)
        {
            var answer = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(answer);
            foreach (var partition in topic.Partitions)
            {
                var line = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = partition.Partition, LeaderEpoch = -1, EndOffset = -1 };
                answer.Partitions.Add(line);
                if (LeaderEpochCheck.Check(cluster.Partition(topic.Topic, partition.Partition), topic.Topic, partition.CurrentLeaderEpoch) is { } fenced)
                {
                    line.ErrorCode = (short)fenced.Code;
                    continue;
                }
                lines.Add((line, topic.Topic));
                queries.Add(new KafkaEpochQuery(topic.Topic, partition.Partition, partition.CurrentLeaderEpoch, partition.LeaderEpoch));
            }
        }
        if (queries.Count == 0)
        {
            return response;
        }
        try
        {
            var results = (await backend.OffsetsForLeaderEpochAsync(queries, cancellationToken)).ByPartition(r => new KafkaPartitionRef(r.Topic, r.Partition));
            foreach (var (line, topic) in lines)
            {
                if (results.TryGetValue(new KafkaPartitionRef(topic, line.Partition), out var result))
                {
                    line.ErrorCode = (short)result.Error;
                    line.LeaderEpoch = result.Error == ErrorCode.None ? result.LeaderEpoch : -1;
                    line.EndOffset = result.Error == ErrorCode.None ? result.EndOffset : -1;
                }
                else
                {
                    line.ErrorCode = (short)ErrorCode.UnknownServerError;
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var code = (short)BackendFailure.Describe(error).Code;
            foreach (var (line, _) in lines)
            {
                line.ErrorCode = code;
            }
        }
        return response;
    }
}
