using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's DescribeConfigs, AlterConfigs and IncrementalAlterConfigs. Topic configs go to the controller; a
/// broker's configs are described (as set at its start, or their defaults) but not altered: they are static, set
/// by `--config` or Orlog:Defaults when the broker starts. AlterConfigs replaces a topic's whole set (as Kafka:
/// what it leaves out returns to the default); IncrementalAlterConfigs sets and deletes one by one.
/// </summary>
internal static class ConfigHandlers
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte SetOperation = 0;
    private const sbyte DeleteOperation = 1;

    public static async Task<DescribeConfigsResponse> DescribeAsync(DescribeConfigsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Results.Add(result);
            IReadOnlyList<KafkaConfigEntry> entries;
            if (resource.ResourceType == TopicResource)
            {
                KafkaConfigsOutcome outcome;
                try
                {
                    outcome = await backend.Admin.DescribeTopicConfigsAsync(resource.ResourceName, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var (code, message) = BackendFailure.Describe(error);
                    outcome = new(code, message, []);
                }
                result.ErrorCode = (short)outcome.Error;
                result.ErrorMessage = outcome.Error == ErrorCode.None ? null : outcome.Message;
                entries = outcome.Configs;
            }
            else if (resource.ResourceType == BrokerResource && resource.ResourceName == backend.BrokerId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                entries = backend.Admin.BrokerConfigs;
            }
            else
            {
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = resource.ResourceType == BrokerResource
                    ? $"This is broker {backend.BrokerId}: ask broker {resource.ResourceName} for its own configs."
                    : $"Resource type {resource.ResourceType} is not supported: topics (2) and brokers (4) are.";
                continue;
            }
            foreach (var entry in entries)
            {
                if (resource.ConfigurationKeys is { } keys && !keys.Contains(entry.Name))
                {
                    continue;
                }
                result.Configs.Add(new DescribeConfigsResponse.DescribeConfigsResourceResult
                {
                    Name = entry.Name,
                    Value = entry.Value,
                    ReadOnly = entry.ReadOnly,
                    IsDefault = version == 0 && entry.Source == KafkaConfigSource.DefaultConfig,
                    ConfigSource = version >= 1 ? (sbyte)entry.Source : (sbyte)-1,
                });
            }
        }
        return response;
    }

    public static async Task<AlterConfigsResponse> AlterAsync(AlterConfigsRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new AlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var outcome = await AlterOneAsync(resource.ResourceType, resource.ResourceName, backend, cancellationToken, async () =>
            {
                // The whole set is replaced: every topic config not named goes back to its default.
                var current = await backend.Admin.DescribeTopicConfigsAsync(resource.ResourceName, cancellationToken);
                if (current.Error != ErrorCode.None)
                {
                    return (null, new KafkaOutcome(current.Error, current.Message));
                }
                var changes = current.Configs.Where(c => c.Source == KafkaConfigSource.TopicConfig).ToDictionary(c => c.Name, _ => (string?)null, StringComparer.Ordinal);
                foreach (var config in resource.Configs)
                {
                    changes[config.Name] = config.Value;
                }
                return (changes, KafkaOutcome.Ok);
            }, request.ValidateOnly);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorCode = (short)outcome.Error,
                ErrorMessage = outcome.Error == ErrorCode.None ? null : outcome.Message,
            });
        }
        return response;
    }

    public static async Task<IncrementalAlterConfigsResponse> IncrementalAlterAsync(IncrementalAlterConfigsRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new IncrementalAlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var outcome = await AlterOneAsync(resource.ResourceType, resource.ResourceName, backend, cancellationToken, () =>
            {
                var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var config in resource.Configs)
                {
                    switch (config.ConfigOperation)
                    {
                        case SetOperation:
                            changes[config.Name] = config.Value;
                            break;
                        case DeleteOperation:
                            changes[config.Name] = null;
                            break;
                        default:
                            // APPEND and SUBTRACT apply to list-valued configs; no topic config Orlog knows is a list.
                            return Task.FromResult<(Dictionary<string, string?>?, KafkaOutcome)>((null,
                                new KafkaOutcome(ErrorCode.InvalidConfig, $"Operation {config.ConfigOperation} on '{config.Name}': only SET (0) and DELETE (1) apply to Orlog's topic configs.")));
                    }
                }
                return Task.FromResult<(Dictionary<string, string?>?, KafkaOutcome)>((changes, KafkaOutcome.Ok));
            }, request.ValidateOnly);
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorCode = (short)outcome.Error,
                ErrorMessage = outcome.Error == ErrorCode.None ? null : outcome.Message,
            });
        }
        return response;
    }

    private static async Task<KafkaOutcome> AlterOneAsync(sbyte resourceType, string name, IKafkaBackend backend, CancellationToken cancellationToken,
        Func<Task<(Dictionary<string, string?>? Changes, KafkaOutcome Outcome)>> changesOf, bool validateOnly)
    {
        if (resourceType == BrokerResource)
        {
            return new KafkaOutcome(ErrorCode.InvalidRequest, "Broker configs are static: set them with --config when the broker starts.");
        }
        if (resourceType != TopicResource)
        {
            return new KafkaOutcome(ErrorCode.InvalidRequest, $"Resource type {resourceType} is not supported: topics (2) are.");
        }
        try
        {
            var (changes, outcome) = await changesOf();
            return changes is null ? outcome : await backend.Admin.AlterTopicConfigsAsync(name, changes, validateOnly, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, message) = BackendFailure.Describe(error);
            return new KafkaOutcome(code, message);
        }
    }
}
