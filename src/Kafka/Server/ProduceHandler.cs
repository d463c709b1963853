using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's Produce: each partition's record batch goes to this broker's partition leader as the client built it
/// (the broker writes the offsets and leader epoch into its header; the CRC covers neither). acks 0, 1 and -1
/// (all) as Kafka; acks=0 gets no answer at all. A partition this broker does not lead is NOT_LEADER_OR_FOLLOWER
/// with the current leader and its endpoint where the version has them (KIP-951), so the client need not ask
/// for metadata first. Transactions do not exist yet: a transactional produce is refused.
/// </summary>
internal static class ProduceHandler
{
    // KIP-951: the current leader of a partition refused as NOT_LEADER_OR_FOLLOWER, and its endpoint.
    private const short CurrentLeaderVersion = 10;

    public static async Task<ProduceResponse?> HandleAsync(ProduceRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new ProduceResponse();
        var refusal = Refusal(request);
        var batches = new List<KafkaProduceBatch>();
        foreach (var topic in request.TopicData)
        {
            foreach (var partition in topic.PartitionData)
            {
                if (refusal is null && partition.Records is { Length: > 0 } records)
                {
                    // Copied out of the request frame, which the connection reuses once this request is answered.
                    batches.Add(new KafkaProduceBatch(topic.Name, partition.Index, records.ToArray()));
                }
            }
        }

        IReadOnlyList<KafkaProduceResult> results = [];
        (ErrorCode Code, string Message)? failure = null;
        if (batches.Count > 0)
        {
            try
            {
                results = await backend.ProduceAsync(request.Acks, request.TimeoutMs, batches, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = BackendFailure.Describe(error);
            }
        }
        if (request.Acks == 0)
        {
            return null;
        }

        var byPartition = new Dictionary<KafkaPartitionRef, KafkaProduceResult>();
        foreach (var result in results)
        {
            byPartition[new KafkaPartitionRef(result.Topic, result.Partition)] = result;
        }
        var cluster = backend.Cluster;
        var leaders = new HashSet<int>();
        foreach (var topic in request.TopicData)
        {
            var answer = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            foreach (var partition in topic.PartitionData)
            {
                var (code, message, found) = Outcome(refusal, partition.Records, failure, byPartition.GetValueOrDefault(new KafkaPartitionRef(topic.Name, partition.Index)));
                var line = new ProduceResponse.PartitionProduceResponse
                {
                    Index = partition.Index,
                    ErrorCode = (short)code,
                    BaseOffset = code == ErrorCode.None ? found!.BaseOffset : -1,
                    LogAppendTimeMs = code == ErrorCode.None ? found!.LogAppendTime : -1,
                    LogStartOffset = code == ErrorCode.None ? found!.LogStartOffset : -1,
                    ErrorMessage = code == ErrorCode.None ? null : message,
                };
                if (code == ErrorCode.NotLeaderOrFollower && version >= CurrentLeaderVersion && cluster.Partition(topic.Name, partition.Index) is { } current)
                {
                    line.CurrentLeader = new ProduceResponse.LeaderIdAndEpoch { LeaderId = current.Leader, LeaderEpoch = current.LeaderEpoch };
                    leaders.Add(current.Leader);
                }
                answer.PartitionResponses.Add(line);
            }
            response.Responses.Add(answer);
        }
        foreach (var leader in leaders)
        {
            if (cluster.Broker(leader) is { } endpoint)
            {
                response.NodeEndpoints.Add(new ProduceResponse.NodeEndpoint { NodeId = endpoint.Id, Host = endpoint.Host, Port = endpoint.Port, Rack = endpoint.Rack });
            }
        }
        return response;
    }

    private static (ErrorCode Code, string? Message, KafkaProduceResult? Result) Outcome((ErrorCode, string)? refusal, ReadOnlyMemory<byte>? records,
        (ErrorCode, string)? failure, KafkaProduceResult? result)
    {
        if (refusal is { } refused)
        {
            return (refused.Item1, refused.Item2, null);
        }
        if (records is not { Length: > 0 })
        {
            return (ErrorCode.CorruptMessage, "The partition's records are missing or empty.", null);
        }
        if (failure is { } failed)
        {
            return (failed.Item1, failed.Item2, null);
        }
        return result is null
            ? (ErrorCode.UnknownServerError, "The broker gave no result for this partition.", null)
            : (result.Error, result.ErrorMessage, result);
    }

    /// <summary>What refuses the whole request before anything is written, or null.</summary>
    private static (ErrorCode, string)? Refusal(ProduceRequest request)
    {
        if (request.TransactionalId is not null)
        {
            return (ErrorCode.TransactionalIdAuthorizationFailed, "Transactions are not supported by this broker yet; use an idempotent producer without transactional.id.");
        }
        if (request.Acks is not (0 or 1 or -1))
        {
            return (ErrorCode.InvalidRequiredAcks, $"acks must be 0, 1 or -1 (all), not {request.Acks}.");
        }
        return null;
    }
}
