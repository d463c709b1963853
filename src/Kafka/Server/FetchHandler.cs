using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's Fetch for consumers: whole batches (the first may start before the offset asked), never above the
/// high watermark, waiting up to max.wait.ms for min.bytes, with max.bytes a budget for the whole answer and
/// each partition's max bytes for its own (the first batch always fits, as Kafka, so a large batch cannot stall
/// a consumer). Fetch sessions (KIP-227) are answered with session 0: the client keeps sending full requests.
/// Topics by id from version 13. Without transactions read_committed reads the same as read_uncommitted and the
/// last stable offset is the high watermark.
/// </summary>
internal static class FetchHandler
{
    // Below Orleans' 30 s call timeout, so a long poll always answers before the call to the broker gives up.
    private const int LongestWaitMs = 25_000;

    // KIP-951: the current leader of a partition refused as NOT_LEADER_OR_FOLLOWER (v12+), and its endpoint (v16+).
    private const short CurrentLeaderVersion = 12;
    private const short NodeEndpointsVersion = 16;

    public static async Task<FetchResponse> HandleAsync(FetchRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new FetchResponse { SessionId = 0 };
        if (request.SessionId != 0)
        {
            // This broker keeps no sessions, so it cannot know the one named.
            response.ErrorCode = (short)ErrorCode.FetchSessionIdNotFound;
            return response;
        }
        var cluster = backend.Cluster;
        var asked = new List<(FetchResponse.FetchableTopicResponse Topic, FetchResponse.PartitionData Partition, string? Name)>();
        var fetches = new List<KafkaFetchPartition>();
        foreach (var topic in request.Topics)
        {
            var name = version >= 13 ? cluster.TopicById(topic.TopicId)?.Name : topic.Topic;
            var answer = new FetchResponse.FetchableTopicResponse { Topic = topic.Topic, TopicId = topic.TopicId };
            response.Responses.Add(answer);
            foreach (var partition in topic.Partitions)
            {
                var line = new FetchResponse.PartitionData
                {
                    PartitionIndex = partition.Partition,
                    HighWatermark = -1,
                    AbortedTransactions = request.IsolationLevel == 0 || version < 4 ? null : [],
                    Records = ReadOnlyMemory<byte>.Empty,
                };
                answer.Partitions.Add(line);
                if (name is null)
                {
                    line.ErrorCode = (short)(version >= 13 ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition);
                    continue;
                }
                if (LeaderEpochCheck.Check(cluster.Partition(name, partition.Partition), name, partition.CurrentLeaderEpoch) is { } fenced)
                {
                    line.ErrorCode = (short)fenced.Code;
                    continue;
                }
                asked.Add((answer, line, name));
                fetches.Add(new KafkaFetchPartition(name, partition.Partition, partition.FetchOffset, partition.PartitionMaxBytes));
            }
        }
        if (fetches.Count == 0)
        {
            return response;
        }

        IReadOnlyList<KafkaFetchResult> results = [];
        (ErrorCode Code, string Message)? failure = null;
        try
        {
            var fetch = new KafkaFetch(Math.Clamp(request.MaxWaitMs, 0, LongestWaitMs), Math.Max(0, request.MinBytes), request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes, fetches);
            results = await backend.FetchAsync(fetch, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = BackendFailure.Describe(error);
        }
        var byPartition = results.ByPartition(r => new KafkaPartitionRef(r.Topic, r.Partition));
        var leaders = new HashSet<int>();
        foreach (var (_, line, name) in asked)
        {
            if (failure is { } failed)
            {
                line.ErrorCode = (short)failed.Code;
                continue;
            }
            if (!byPartition.TryGetValue(new KafkaPartitionRef(name!, line.PartitionIndex), out var result))
            {
                line.ErrorCode = (short)ErrorCode.UnknownServerError;
                continue;
            }
            line.ErrorCode = (short)result.Error;
            line.HighWatermark = result.HighWatermark;
            line.LastStableOffset = result.LastStableOffset;
            line.LogStartOffset = result.LogStartOffset;
            line.Records = result.Records;
            if (result.Error == ErrorCode.NotLeaderOrFollower && version >= CurrentLeaderVersion && cluster.Partition(name!, line.PartitionIndex) is { } current)
            {
                line.CurrentLeader = new FetchResponse.LeaderIdAndEpoch { LeaderId = current.Leader, LeaderEpoch = current.LeaderEpoch };
                leaders.Add(current.Leader);
            }
        }
        foreach (var leader in version >= NodeEndpointsVersion ? leaders : [])
        {
            if (cluster.Broker(leader) is { } endpoint)
            {
                response.NodeEndpoints.Add(new FetchResponse.NodeEndpoint { NodeId = endpoint.Id, Host = endpoint.Host, Port = endpoint.Port, Rack = endpoint.Rack });
            }
        }
        return response;
    }
}
