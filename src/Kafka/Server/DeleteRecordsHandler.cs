using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's DeleteRecords: each partition's log start moves up to the offset asked (-1: the high watermark), on
/// its leader; an offset past the high watermark is OFFSET_OUT_OF_RANGE. The low watermark answered is the
/// leader's new log start; followers move theirs on their next fetch.
/// </summary>
internal static class DeleteRecordsHandler
{
    public static async Task<DeleteRecordsResponse> HandleAsync(DeleteRecordsRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new DeleteRecordsResponse();
        var cluster = backend.Cluster;
        var asked = new List<(DeleteRecordsResponse.DeleteRecordsPartitionResult Line, string Topic, long Offset)>();
        foreach (var topic in request.Topics)
        {
            var answer = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(answer);
            foreach (var partition in topic.Partitions.DistinctBy(p => p.PartitionIndex))
            {
                var line = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = partition.PartitionIndex, LowWatermark = -1 };
                answer.Partitions.Add(line);
                if (cluster.Partition(topic.Name, partition.PartitionIndex) is null)
                {
                    line.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else if (partition.Offset < -1)
                {
                    line.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                }
                else
                {
                    asked.Add((line, topic.Name, partition.Offset));
                }
            }
        }
        if (asked.Count == 0)
        {
            return response;
        }
        try
        {
            var results = await backend.DeleteRecordsAsync([.. asked.Select(a => new KafkaDeleteRecords(a.Topic, a.Line.PartitionIndex, a.Offset))], cancellationToken);
            var byPartition = results.ByPartition(r => new KafkaPartitionRef(r.Topic, r.Partition));
            foreach (var (line, topic, _) in asked)
            {
                if (byPartition.TryGetValue(new KafkaPartitionRef(topic, line.PartitionIndex), out var result))
                {
                    line.ErrorCode = (short)result.Error;
                    line.LowWatermark = result.Error == ErrorCode.None ? result.LowWatermark : -1;
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
            foreach (var (line, _, _) in asked)
            {
                line.ErrorCode = (short)code;
            }
        }
        return response;
    }
}
