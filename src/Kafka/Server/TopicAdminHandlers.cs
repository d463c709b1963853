using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's CreateTopics, DeleteTopics and CreatePartitions onto the controller. -1 partitions or replication
/// factor takes the broker's default (KIP-464); explicit replica assignments are refused (the controller places
/// replicas; reassign them afterwards). validateOnly checks without creating. Each topic gets its own code.
/// </summary>
internal static class TopicAdminHandlers
{
    public static async Task<CreateTopicsResponse> CreateAsync(CreateTopicsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new CreateTopicsResponse();
        foreach (var topic in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name, NumPartitions = -1, ReplicationFactor = -1 };
            KafkaTopicOutcome outcome;
            if (topic.Assignments.Count > 0)
            {
                outcome = new(ErrorCode.InvalidRequest, "Explicit replica assignments are not supported: create with a partition count and replication factor, then reassign.", Guid.Empty, -1, -1, []);
            }
            else if (topic.Configs.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                outcome = new(ErrorCode.InvalidConfig, $"Config '{twice.Key}' is given more than once.", Guid.Empty, -1, -1, []);
            }
            else if (topic.Configs.Any(c => c.Value is null))
            {
                outcome = new(ErrorCode.InvalidConfig, $"Config '{topic.Configs.First(c => c.Value is null).Name}' has no value.", Guid.Empty, -1, -1, []);
            }
            else
            {
                try
                {
                    outcome = await backend.Admin.CreateTopicAsync(topic.Name, topic.NumPartitions, topic.ReplicationFactor,
                        topic.Configs.ToDictionary(c => c.Name, c => c.Value!, StringComparer.Ordinal), request.ValidateOnly, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var (code, message) = BackendFailure.Describe(error);
                    outcome = new(code, message, Guid.Empty, -1, -1, []);
                }
            }
            result.ErrorCode = (short)outcome.Error;
            result.ErrorMessage = outcome.Error == ErrorCode.None ? null : outcome.Message;
            if (outcome.Error == ErrorCode.None)
            {
                result.TopicId = version >= 7 ? outcome.TopicId : Guid.Empty;
                result.NumPartitions = outcome.Partitions;
                result.ReplicationFactor = outcome.ReplicationFactor;
                if (version >= 5)
                {
                    result.Configs = [.. outcome.Configs.Select(c => new CreateTopicsResponse.CreatableTopicConfigs
                    {
                        Name = c.Name,
                        Value = c.Value,
                        ReadOnly = c.ReadOnly,
                        ConfigSource = (sbyte)c.Source,
                    })];
                }
            }
            response.Topics.Add(result);
        }
        return response;
    }

    public static async Task<DeleteTopicsResponse> DeleteAsync(DeleteTopicsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new DeleteTopicsResponse();
        foreach (var name in request.TopicNames)
        {
            KafkaOutcome outcome;
            try
            {
                outcome = await backend.Admin.DeleteTopicAsync(name, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var (code, message) = BackendFailure.Describe(error);
                outcome = new(code, message);
            }
            response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult
            {
                Name = name,
                ErrorCode = (short)outcome.Error,
                ErrorMessage = version >= 5 && outcome.Error != ErrorCode.None ? outcome.Message : null,
            });
        }
        return response;
    }

    public static async Task<CreatePartitionsResponse> CreatePartitionsAsync(CreatePartitionsRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        foreach (var topic in request.Topics)
        {
            KafkaOutcome outcome;
            if (topic.Assignments is { Count: > 0 })
            {
                outcome = new(ErrorCode.InvalidRequest, "Explicit replica assignments are not supported: the controller places the new partitions' replicas.");
            }
            else
            {
                try
                {
                    outcome = await backend.Admin.CreatePartitionsAsync(topic.Name, topic.Count, request.ValidateOnly, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var (code, message) = BackendFailure.Describe(error);
                    outcome = new(code, message);
                }
            }
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)outcome.Error,
                ErrorMessage = outcome.Error == ErrorCode.None ? null : outcome.Message,
            });
        }
        return response;
    }
}
