using System.Globalization;
using Microsoft.Extensions.Options;
using Orlog.Grains;
using Orlog.Grains.Controller;
using Orlog.Grains.Groups.Classic;
using Orlog.Grains.Hosting;
using Orlog.Kafka.Server;

namespace Orlog.Silo.Kafka;

/// <summary>
/// The Kafka listener's administration: topics and their configs through the controller grain, groups through
/// their coordinator grains and the group directory (the calls the SDK's admin client makes). Validate-only
/// requests go to the controller too, which checks them and changes nothing.
/// </summary>
internal sealed class SiloKafkaAdmin(IGrainFactory grains, IOptions<BrokerOptions> options) : IKafkaAdmin
{
    private IControllerGrain Controller => grains.GetGrain<IControllerGrain>(0);

    public async Task<KafkaTopicOutcome> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly,
        CancellationToken cancellationToken)
    {
        // The controller checks a validate-only request as it checks a real one, and changes nothing.
        var result = await Controller.CreateTopic(name, partitions, replicationFactor, configs, validateOnly).WaitAsync(cancellationToken);
        if (result.Error != ErrorCode.None || result.Topic is not { } topic)
        {
            return Failed(result.Error, result.ErrorMessage);
        }
        return new KafkaTopicOutcome(ErrorCode.None, null, validateOnly ? Guid.Empty : topic.TopicId, topic.Partitions.Count,
            (short)(topic.Partitions.FirstOrDefault()?.Replicas.Count ?? 0), Describe(topic.Configs));
    }

    private static KafkaTopicOutcome Failed(ErrorCode code, string? message) => new(code, message, Guid.Empty, -1, -1, []);

    public async Task<KafkaOutcome> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var result = await Controller.DeleteTopic(name).WaitAsync(cancellationToken);
        return new KafkaOutcome(result.Error, result.ErrorMessage);
    }

    public async Task<KafkaOutcome> CreatePartitionsAsync(string name, int totalCount, bool validateOnly, CancellationToken cancellationToken)
    {
        var result = await Controller.AddPartitions(name, totalCount, validateOnly).WaitAsync(cancellationToken);
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
        var result = await Controller.AlterConfigs(name, changes, validateOnly).WaitAsync(cancellationToken);
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
