using System.Globalization;
using Microsoft.Extensions.Options;
using Orlog.Grains;
using Orlog.Grains.Cluster;
using Orlog.Grains.Controller;
using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Hosting;
using Orlog.Kafka.Server;
using Orlog.Records;

namespace Orlog.Silo.Kafka;

/// <summary>
/// The Kafka listener's administration: topics and their configs through the controller grain, groups through
/// their coordinator grains and the group directory (the calls the SDK's admin client makes). Validate-only
/// requests run the controller's checks here without changing anything.
/// </summary>
internal sealed class SiloKafkaAdmin(IGrainFactory grains, MetadataCache metadata, IOptions<BrokerOptions> options) : IKafkaAdmin
{
    private IControllerGrain Controller => grains.GetGrain<IControllerGrain>(0);

    public async Task<KafkaTopicOutcome> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly,
        CancellationToken cancellationToken)
    {
        var defaults = new BrokerDefaults(options.Value.Defaults);
        var count = partitions == -1 ? defaults.NumPartitions : partitions;
        var factor = replicationFactor == -1 ? defaults.DefaultReplicationFactor : replicationFactor;
        if (validateOnly)
        {
            try
            {
                TopicName.Validate(name);
                if (metadata.Current.Topics.ContainsKey(name))
                {
                    return Failed(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
                }
                if (count < 1)
                {
                    return Failed(ErrorCode.InvalidPartitions, $"The number of partitions must be at least 1, not {count}.");
                }
                var brokers = metadata.Current.Brokers.Count(b => b.Status == BrokerStatus.Alive);
                if (factor < 1 || factor > brokers)
                {
                    return Failed(ErrorCode.InvalidReplicationFactor, $"Replication factor {factor} must be between 1 and the {brokers} live brokers.");
                }
                TopicConfigs.Validate(configs, defaults, factor);
            }
            catch (KafkaException error)
            {
                return Failed(error.Code, error.Detail);
            }
            return new KafkaTopicOutcome(ErrorCode.None, null, Guid.Empty, count, factor, Describe(configs));
        }
        var result = await Controller.CreateTopic(name, count, factor, configs).WaitAsync(cancellationToken);
        if (result.Error != ErrorCode.None || result.Topic is not { } topic)
        {
            return Failed(result.Error, result.ErrorMessage);
        }
        return new KafkaTopicOutcome(ErrorCode.None, null, topic.TopicId, topic.Partitions.Count, (short)(topic.Partitions.FirstOrDefault()?.Replicas.Count ?? factor), Describe(topic.Configs));
    }

    private static KafkaTopicOutcome Failed(ErrorCode code, string? message) => new(code, message, Guid.Empty, -1, -1, []);

    public async Task<KafkaOutcome> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var result = await Controller.DeleteTopic(name).WaitAsync(cancellationToken);
        return new KafkaOutcome(result.Error, result.ErrorMessage);
    }

    public async Task<KafkaOutcome> CreatePartitionsAsync(string name, int totalCount, bool validateOnly, CancellationToken cancellationToken)
    {
        if (validateOnly)
        {
            if (!metadata.Current.Topics.TryGetValue(name, out var topic))
            {
                return new KafkaOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }
            return totalCount <= topic.Partitions.Count
                ? new KafkaOutcome(ErrorCode.InvalidPartitions, $"Topic '{name}' has {topic.Partitions.Count} partitions: the new count must be more, not {totalCount}.")
                : KafkaOutcome.Ok;
        }
        var result = await Controller.AddPartitions(name, totalCount).WaitAsync(cancellationToken);
        return new KafkaOutcome(result.Error, result.ErrorMessage);
    }

    public async Task<KafkaConfigsOutcome> DescribeTopicConfigsAsync(string name, CancellationToken cancellationToken)
    {
        var result = await Controller.DescribeTopic(name).WaitAsync(cancellationToken);
        return result.Error != ErrorCode.None || result.Topic is not { } topic
            ? new KafkaConfigsOutcome(result.Error, result.ErrorMessage, [])
            : new KafkaConfigsOutcome(ErrorCode.None, null, Describe(topic.Configs));
    }

    private IReadOnlyList<KafkaConfigEntry> Describe(IReadOnlyDictionary<string, string> topicConfigs) =>
        [.. TopicConfigs.Describe(topicConfigs, options.Value.Defaults).Select(c => new KafkaConfigEntry(c.Name, c.Value, c.Source switch
        {
            TopicConfigSource.Topic => KafkaConfigSource.TopicConfig,
            TopicConfigSource.Broker => KafkaConfigSource.StaticBrokerConfig,
            _ => KafkaConfigSource.DefaultConfig,
        }, ReadOnly: false))];

    public bool AutoCreateTopics => new BrokerDefaults(options.Value.Defaults).AutoCreateTopics;

    public IReadOnlyList<KafkaConfigEntry> BrokerConfigs
    {
        get
        {
            var set = options.Value.Defaults;
            var entries = new List<KafkaConfigEntry> { new("broker.id", options.Value.BrokerId.ToString(CultureInfo.InvariantCulture), KafkaConfigSource.StaticBrokerConfig, true) };
            if (options.Value.Rack is { } rack)
            {
                entries.Add(new("broker.rack", rack, KafkaConfigSource.StaticBrokerConfig, true));
            }
            var log = new BrokerDefaults(set).LogConfig;
            foreach (var name in BrokerDefaults.Names)
            {
                if (set.TryGetValue(name, out var value))
                {
                    entries.Add(new(name, value, KafkaConfigSource.StaticBrokerConfig, true));
                }
                else if (BrokerDefaults.LogConfigNames.TryGetValue(name, out var topicName))
                {
                    entries.Add(new(name, log.ValueOf(topicName), KafkaConfigSource.DefaultConfig, true));
                }
            }
            return entries;
        }
    }

    public async Task<KafkaOutcome> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, bool validateOnly, CancellationToken cancellationToken)
    {
        if (validateOnly)
        {
            if (!metadata.Current.Topics.TryGetValue(name, out var topic))
            {
                return new KafkaOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }
            var merged = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
            foreach (var (config, value) in changes)
            {
                if (value is null)
                {
                    merged.Remove(config);
                }
                else
                {
                    merged[config] = value;
                }
            }
            try
            {
                TopicConfigs.Validate(merged, new BrokerDefaults(options.Value.Defaults), (short)(topic.Partitions.FirstOrDefault()?.Replicas.Count ?? 1));
                return KafkaOutcome.Ok;
            }
            catch (KafkaException error)
            {
                return new KafkaOutcome(error.Code, error.Detail);
            }
        }
        var result = await Controller.AlterConfigs(name, changes).WaitAsync(cancellationToken);
        return new KafkaOutcome(result.Error, result.ErrorMessage);
    }

    public async Task<IReadOnlyList<KafkaGroupListing>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await grains.GetGrain<IGroupDirectoryGrain>(0).List().WaitAsync(cancellationToken);
        return [.. groups.Select(g => new KafkaGroupListing(g.GroupId, g.ProtocolType, g.State, g.Dialect.Length == 0 ? GroupDialects.Classic : g.Dialect))];
    }

    public async Task<KafkaGroupDescription> DescribeGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        var group = await grains.GetGrain<IConsumerGroupGrain>(groupId).Describe().WaitAsync(cancellationToken);
        // Members carry the consumer protocol's bytes, as a Kafka coordinator keeps them, so admin clients decode them.
        return new KafkaGroupDescription(ErrorCode.None, group.GroupId, group.State, group.ProtocolType, group.ProtocolName,
            [.. group.Members.Select(m => new KafkaGroupMember(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                ConsumerProtocol.EncodeSubscription(new ConsumerSubscription(m.SubscribedTopics, null, [], -1, null)),
                ConsumerProtocol.EncodeAssignment(new ConsumerAssignment(m.Assignment, null))))]);
    }

    public Task<ErrorCode> DeleteGroupAsync(string groupId, CancellationToken cancellationToken) =>
        grains.GetGrain<IConsumerGroupGrain>(groupId).Delete().WaitAsync(cancellationToken);
}
