using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The admin client's config calls in Confluent.Kafka's shapes: topic configs through the controller.</summary>
internal sealed partial class AdminClient
{
    public Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(resources);
            var reports = new List<DescribeConfigsReport>();
            foreach (var resource in resources)
            {
                try
                {
                    var configs = await TopicConfigsAsync(resource, cancel).ConfigureAwait(false);
                    reports.Add(new DescribeConfigsReport { ConfigResource = resource, Entries = configs.ToDictionary(c => c.Name, Entry, StringComparer.Ordinal) });
                }
                catch (KafkaException error)
                {
                    reports.Add(new DescribeConfigsReport { ConfigResource = resource, Error = error.Error });
                }
            }
            return reports.Any(r => r.Error.IsError)
                ? throw new DescribeConfigsException(reports)
                : reports.Select(r => new DescribeConfigsResult { ConfigResource = r.ConfigResource, Entries = r.Entries }).ToList();
        });

    public Task AlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs, AlterConfigsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(configs);
            var reports = new List<AlterConfigsReport>();
            foreach (var (resource, entries) in configs)
            {
                var error = await OutcomeAsync(async () =>
                {
                    // The whole set is replaced: every override not named goes back to its default.
                    var current = await TopicConfigsAsync(resource, cancel).ConfigureAwait(false);
                    var changes = current.Where(c => c.Source == TopicConfigSource.Topic).ToDictionary(c => c.Name, _ => (string?)null, StringComparer.Ordinal);
                    foreach (var entry in entries)
                    {
                        changes[entry.Name] = entry.Value;
                    }
                    await AlterTopicAsync(resource.Name, changes, options?.ValidateOnly ?? false, cancel).ConfigureAwait(false);
                }).ConfigureAwait(false);
                reports.Add(new AlterConfigsReport { ConfigResource = resource, Error = error });
            }
            return reports.Any(r => r.Error.IsError) ? throw new AlterConfigsException(reports) : true;
        });

    public Task<List<IncrementalAlterConfigsResult>> IncrementalAlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs,
        IncrementalAlterConfigsOptions? options = null, CancellationToken cancellationToken = default) =>
        Within(options?.RequestTimeout, cancellationToken, async cancel =>
        {
            ArgumentNullException.ThrowIfNull(configs);
            var reports = new List<IncrementalAlterConfigsReport>();
            foreach (var (resource, entries) in configs)
            {
                var error = await OutcomeAsync(async () =>
                {
                    CheckTopic(resource);
                    var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var entry in entries)
                    {
                        changes[entry.Name] = entry.IncrementalOperation switch
                        {
                            AlterConfigOpType.Set => entry.Value ?? throw new KafkaException(ErrorCode.InvalidConfig, $"SET of '{entry.Name}' needs a value."),
                            AlterConfigOpType.Delete => null,
                            _ => throw new KafkaException(ErrorCode.InvalidConfig,
                                $"{entry.IncrementalOperation} of '{entry.Name}': only Set and Delete apply to Orlog's topic configs (none of them is a list)."),
                        };
                    }
                    await AlterTopicAsync(resource.Name, changes, options?.ValidateOnly ?? false, cancel).ConfigureAwait(false);
                }).ConfigureAwait(false);
                reports.Add(new IncrementalAlterConfigsReport { ConfigResource = resource, Error = error });
            }
            return reports.Any(r => r.Error.IsError)
                ? throw new IncrementalAlterConfigsException(reports)
                : reports.Select(r => new IncrementalAlterConfigsResult { ConfigResource = r.ConfigResource }).ToList();
        });

    private async Task AlterTopicAsync(string name, Dictionary<string, string?> changes, bool validateOnly, CancellationToken cancellationToken)
    {
        var altered = await Call(controller => controller.AlterConfigs(name, changes, validateOnly), cancellationToken).ConfigureAwait(false);
        _client.Metadata.Invalidate(name);
        altered.GetTopicOrThrow();
    }

    private async Task<IReadOnlyList<TopicConfigValue>> TopicConfigsAsync(ConfigResource resource, CancellationToken cancellationToken)
    {
        CheckTopic(resource);
        var described = await Call(controller => controller.DescribeTopicConfigs(resource.Name), cancellationToken).ConfigureAwait(false);
        return described.Error == ErrorCode.None ? described.Configs : throw new KafkaException(described.Error, described.ErrorMessage ?? described.Error.KafkaName());
    }

    /// <summary>Topics only: a broker's settings are static (its settings file or Orlog__Defaults__ variables), read with the Kafka protocol's DescribeConfigs.</summary>
    private static void CheckTopic(ConfigResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Type != ResourceType.Topic)
        {
            throw new KafkaException(ErrorCode.InvalidRequest, resource.Type == ResourceType.Broker
                ? $"Broker {resource.Name}: broker settings are static in Orlog (the silo's Orlog:Defaults: its settings file, --config or Orlog__Defaults__ variables) and not described or altered by the SDK; a Kafka client's DescribeConfigs reads them."
                : $"Resource type {resource.Type} has no configs in Orlog: topics do.");
        }
    }

    private static ConfigEntryResult Entry(TopicConfigValue config) => new()
    {
        Name = config.Name,
        Value = config.Value,
        Source = config.Source switch
        {
            TopicConfigSource.Topic => ConfigSource.DynamicTopicConfig,
            TopicConfigSource.Broker => ConfigSource.StaticBrokerConfig,
            _ => ConfigSource.DefaultConfig,
        },
        IsDefault = config.Source == TopicConfigSource.Default,
    };
}
