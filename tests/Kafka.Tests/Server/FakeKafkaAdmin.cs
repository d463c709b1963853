using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>
/// Administration for the listener's tests: topics in a dictionary with their configs ("orders" exists, with
/// retention.ms set on it), groups "g-classic" (one member) and "g-empty".
/// </summary>
internal sealed class FakeKafkaAdmin : IKafkaAdmin
{
    public Dictionary<string, (int Partitions, Dictionary<string, string> Configs)> Topics { get; } = new(StringComparer.Ordinal)
    {
        ["orders"] = (3, new Dictionary<string, string>(StringComparer.Ordinal) { ["retention.ms"] = "60000" }),
    };

    public List<string> Deleted { get; } = [];

    public Task<KafkaTopicOutcome> CreateTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly,
        CancellationToken cancellationToken)
    {
        if (Topics.ContainsKey(name))
        {
            return Task.FromResult(new KafkaTopicOutcome(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", Guid.Empty, -1, -1, []));
        }
        var count = partitions == -1 ? 1 : partitions;
        if (!validateOnly)
        {
            Topics[name] = (count, new Dictionary<string, string>(configs, StringComparer.Ordinal));
        }
        return Task.FromResult(new KafkaTopicOutcome(ErrorCode.None, null, Guid.NewGuid(), count, replicationFactor == -1 ? (short)1 : replicationFactor, Entries(configs)));
    }

    private static List<KafkaConfigEntry> Entries(IReadOnlyDictionary<string, string> own) =>
    [
        new("retention.ms", own.GetValueOrDefault("retention.ms") ?? "604800000", own.ContainsKey("retention.ms") ? KafkaConfigSource.TopicConfig : KafkaConfigSource.DefaultConfig, false),
        new("segment.bytes", own.GetValueOrDefault("segment.bytes") ?? "1073741824", own.ContainsKey("segment.bytes") ? KafkaConfigSource.TopicConfig : KafkaConfigSource.DefaultConfig, false),
    ];

    public Task<KafkaOutcome> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        Deleted.Add(name);
        return Task.FromResult(Topics.Remove(name) ? KafkaOutcome.Ok : new KafkaOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist."));
    }

    public Task<KafkaOutcome> CreatePartitionsAsync(string name, int totalCount, bool validateOnly, CancellationToken cancellationToken)
    {
        if (!Topics.TryGetValue(name, out var topic))
        {
            return Task.FromResult(new KafkaOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist."));
        }
        if (totalCount <= topic.Partitions)
        {
            return Task.FromResult(new KafkaOutcome(ErrorCode.InvalidPartitions, "The new count must be more."));
        }
        if (!validateOnly)
        {
            Topics[name] = (totalCount, topic.Configs);
        }
        return Task.FromResult(KafkaOutcome.Ok);
    }

    public Task<KafkaConfigsOutcome> DescribeTopicConfigsAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Topics.TryGetValue(name, out var topic)
            ? new KafkaConfigsOutcome(ErrorCode.None, null, Entries(topic.Configs))
            : new KafkaConfigsOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", []));

    public bool AutoCreateTopics { get; set; }

    public IReadOnlyList<KafkaConfigEntry> BrokerConfigs { get; } = [new("broker.id", "1", KafkaConfigSource.StaticBrokerConfig, true), new("log.retention.ms", "604800000", KafkaConfigSource.DefaultConfig, true)];

    public List<(string Topic, Dictionary<string, string?> Changes, bool ValidateOnly)> Alterations { get; } = [];

    public Task<KafkaOutcome> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, bool validateOnly, CancellationToken cancellationToken)
    {
        Alterations.Add((name, new Dictionary<string, string?>(changes), validateOnly));
        if (!Topics.TryGetValue(name, out var topic))
        {
            return Task.FromResult(new KafkaOutcome(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist."));
        }
        if (!validateOnly)
        {
            foreach (var (config, value) in changes)
            {
                if (value is null)
                {
                    topic.Configs.Remove(config);
                }
                else
                {
                    topic.Configs[config] = value;
                }
            }
        }
        return Task.FromResult(KafkaOutcome.Ok);
    }

    public Task<IReadOnlyList<KafkaGroupListing>> ListGroupsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KafkaGroupListing>>([new("g-classic", "consumer", "Stable", "classic"), new("g-empty", "consumer", "Empty", "classic")]);

    public Task<KafkaGroupDescription> DescribeGroupAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(groupId == "g-classic"
            ? new KafkaGroupDescription(ErrorCode.None, groupId, "Stable", "consumer", "range", [new KafkaGroupMember("m-1", "host-a", "app", "10.0.0.1", [1], [2, 3])])
            : new KafkaGroupDescription(ErrorCode.None, groupId, "Dead", "", "", []));

    public Task<ErrorCode> DeleteGroupAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(groupId switch { "g-empty" => ErrorCode.None, "g-classic" => ErrorCode.NonEmptyGroup, _ => ErrorCode.GroupIdNotFound });
}
