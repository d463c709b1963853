using Microsoft.Extensions.Logging;
using Orlog.Grains.Logs;
using Orlog.Records;

namespace Orlog.Grains.Controller;

/// <summary>
/// The controller: the one place topics are created, changed and deleted. Its state is persisted
/// (in the data directory for the embedded default), so topics, their ids and configs survive restarts.
/// On a single silo every partition has one replica, on this broker, leader epoch 0.
/// </summary>
public sealed partial class ControllerGrain : Grain, IControllerGrain
{
    private readonly IPersistentState<ControllerState> _state;
    private readonly LogManager _logs;
    private readonly ILogger<ControllerGrain> _logger;

    public ControllerGrain([PersistentState("controller")] IPersistentState<ControllerState> state, LogManager logs, ILogger<ControllerGrain> logger)
    {
        _state = state;
        _logs = logs;
        _logger = logger;
    }

    // Starts from the clock so that a restarted controller never repeats a version a coordinator has seen.
    private long _metadataVersion = DateTimeOffset.UtcNow.Ticks;

    private Dictionary<string, TopicRecord> Topics => _state.State.Topics;

    public Task<long> MetadataVersion() => Task.FromResult(_metadataVersion);

    public async Task<TopicMetadata> CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs)
    {
        TopicName.Validate(name);
        if (Topics.ContainsKey(name))
        {
            throw new KafkaException(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }
        var defaults = _logs.Defaults;
        partitions = partitions == -1 ? defaults.NumPartitions : partitions;
        replicationFactor = replicationFactor == -1 ? defaults.DefaultReplicationFactor : replicationFactor;
        if (partitions < 1)
        {
            throw new KafkaException(ErrorCode.InvalidPartitions, $"A topic needs at least one partition, not {partitions}.");
        }
        var brokers = Brokers();
        if (replicationFactor < 1 || replicationFactor > brokers.Count)
        {
            throw new KafkaException(ErrorCode.InvalidReplicationFactor,
                $"Replication factor {replicationFactor} is not possible with {brokers.Count} broker(s): it must be between 1 and {brokers.Count}.");
        }
        TopicConfigs.Validate(configs, defaults, replicationFactor);

        var topic = new TopicRecord
        {
            TopicId = Guid.NewGuid(),
            Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal),
            CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        AddPartitionRecords(topic, partitions, replicationFactor, brokers);
        Topics[name] = topic;
        await _state.WriteStateAsync();
        _metadataVersion++;
        LogCreated(_logger, name, topic.TopicId, partitions);
        return topic.ToMetadata(name);
    }

    public async Task DeleteTopic(string name)
    {
        var topic = Get(name);
        Topics.Remove(name);
        await _state.WriteStateAsync();
        _metadataVersion++;
        LogDeleted(_logger, name, topic.TopicId);
        // The topic is gone as soon as the state is written; the logs are removed after, by their replicas.
        await Task.WhenAll(topic.Partitions.SelectMany(p => p.Replicas.Select(broker =>
            GrainFactory.GetGrain<IPartitionReplicaGrain>(new Partitions.ReplicaKey(name, p.Partition, broker).ToString()).Delete(topic.TopicId))));
        await GrainFactory.GetGrain<ITopicGrain>(name).Invalidate();
    }

    public Task<IReadOnlyList<string>> ListTopics() => Task.FromResult<IReadOnlyList<string>>([.. Topics.Keys.Order(StringComparer.Ordinal)]);

    public Task<IReadOnlyList<TopicMetadata>> GetTopics(IReadOnlyList<string>? names)
    {
        var found = new List<TopicMetadata>();
        foreach (var name in names ?? [.. Topics.Keys.Order(StringComparer.Ordinal)])
        {
            if (Topics.TryGetValue(name, out var topic))
            {
                found.Add(topic.ToMetadata(name));
            }
        }
        return Task.FromResult<IReadOnlyList<TopicMetadata>>(found);
    }

    public Task<TopicMetadata> DescribeTopic(string name) => Task.FromResult(Get(name).ToMetadata(name));

    public async Task<TopicMetadata> AlterConfigs(string name, IReadOnlyDictionary<string, string?> changes)
    {
        var topic = Get(name);
        var configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                configs.Remove(key);
            }
            else
            {
                configs[key] = value;
            }
        }
        TopicConfigs.Validate(configs, _logs.Defaults, (short)topic.Partitions[0].Replicas.Count);
        topic.Configs = configs;
        await _state.WriteStateAsync();
        await Task.WhenAll(topic.Partitions.SelectMany(p => p.Replicas.Select(broker =>
            GrainFactory.GetGrain<IPartitionReplicaGrain>(new Partitions.ReplicaKey(name, p.Partition, broker).ToString()).Reconfigure(topic.TopicId, configs))));
        await GrainFactory.GetGrain<ITopicGrain>(name).Invalidate();
        return topic.ToMetadata(name);
    }

    public async Task<TopicMetadata> AddPartitions(string name, int totalPartitions)
    {
        var topic = Get(name);
        if (totalPartitions <= topic.Partitions.Count)
        {
            throw new KafkaException(ErrorCode.InvalidPartitions,
                $"Topic '{name}' has {topic.Partitions.Count} partitions; the new count {totalPartitions} must be larger (partitions never shrink).");
        }
        AddPartitionRecords(topic, totalPartitions - topic.Partitions.Count, (short)topic.Partitions[0].Replicas.Count, Brokers());
        await _state.WriteStateAsync();
        _metadataVersion++;
        await GrainFactory.GetGrain<ITopicGrain>(name).Invalidate();
        return topic.ToMetadata(name);
    }

    private TopicRecord Get(string name) =>
        Topics.TryGetValue(name, out var topic)
            ? topic
            : throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist. List the topics with 'orlog topics list'.");

    // The brokers of the cluster. The embedded default has one: this silo's.
    private List<int> Brokers() => [_logs.BrokerId];

    private static void AddPartitionRecords(TopicRecord topic, int count, short replicationFactor, List<int> brokers)
    {
        var start = topic.Partitions.Count;
        for (var p = start; p < start + count; p++)
        {
            var replicas = new List<int>(replicationFactor);
            for (var r = 0; r < replicationFactor; r++)
            {
                replicas.Add(brokers[(p + r) % brokers.Count]);
            }
            topic.Partitions.Add(new PartitionRecord { Partition = p, Leader = replicas[0], LeaderEpoch = 0, Replicas = replicas });
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Created topic {Topic} (id {TopicId}) with {Partitions} partitions")]
    private static partial void LogCreated(ILogger logger, string topic, Guid topicId, int partitions);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Deleted topic {Topic} (id {TopicId})")]
    private static partial void LogDeleted(ILogger logger, string topic, Guid topicId);
}
