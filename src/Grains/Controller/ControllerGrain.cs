using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Grains.Logs;
using Orlog.Records;

namespace Orlog.Grains.Controller;

/// <summary>
/// The controller: the one place where topics are created, changed and deleted, brokers are registered, and
/// leaders and ISRs change. Its state is persisted (the data directory on the embedded default, PostgreSQL in
/// a cluster), and every change is written before it is pushed to the brokers, so a controller that moves to
/// another silo carries on from what it last wrote. Writes carry the storage's ETag: a stale duplicate
/// activation fails its write and answers NOT_CONTROLLER instead of overwriting.
/// </summary>
public sealed partial class ControllerGrain : Grain, IControllerGrain
{
    private static readonly TimeSpan _pushTimeout = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<ControllerState> _state;
    private readonly LogManager _logs;
    private readonly BrokerSilos _silos;
    private readonly BrokerOptions _options;
    private readonly ILocalSiloDetails _silo;
    private readonly TimeProvider _time;
    private readonly ILogger<ControllerGrain> _logger;

    public ControllerGrain([PersistentState("controller")] IPersistentState<ControllerState> state, LogManager logs, BrokerSilos silos,
        IOptions<BrokerOptions> options, ILocalSiloDetails silo, TimeProvider time, ILogger<ControllerGrain> logger)
    {
        _state = state;
        _logs = logs;
        _silos = silos;
        _options = options.Value;
        _silo = silo;
        _time = time;
        _logger = logger;
    }

    // What reads answer from: the metadata as last written. A change in progress (its write waiting for the
    // database) is not seen until it is committed, and reads never wait for it.
    private ClusterMetadata _committed = ClusterMetadata.Empty;

    private Dictionary<string, TopicRecord> Topics => _state.State.Topics;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.State.Version > ControllerState.CurrentVersion)
        {
            throw new InvalidOperationException($"The controller's state has version {_state.State.Version}; this Orlog knows up to {ControllerState.CurrentVersion}. Run a newer Orlog.");
        }
        foreach (var topic in Topics.Values)
        {
            topic.Partitions.ForEach(Leadership.Upgrade);
            topic.Partitions.ForEach(Reassignments.Upgrade);
        }
        _state.State.Version = ControllerState.CurrentVersion;
        if (_state.State.MetadataVersion == 0)
        {
            _state.State.MetadataVersion = 1;
        }
        _committed = BuildMetadata();
        LogActivated(_logger, _state.State.MetadataVersion, Topics.Count, _state.State.Brokers.Count);
        // Brokers may have died or returned while no controller ran.
        await FollowMembershipAsync();
    }

    public Task<long> MetadataVersion() => Task.FromResult(_committed.Version);

    public Task<ClusterMetadata?> GetMetadata(long knownVersion) =>
        Task.FromResult(knownVersion < _committed.Version ? _committed : null);

    // The registry as committed, with each broker's liveness as membership says now.
    public Task<IReadOnlyList<BrokerInfo>> ListBrokers()
    {
        var members = _silos.Brokers();
        var brokers = new List<BrokerInfo>(_committed.Brokers.Count);
        foreach (var broker in _committed.Brokers)
        {
            brokers.Add(broker with { Status = members.TryGetValue(broker.Id, out var member) ? StatusOf(member.Status) : BrokerStatus.Dead });
        }
        return Task.FromResult<IReadOnlyList<BrokerInfo>>(brokers);
    }

    public async Task<BrokerRegistrationResult> RegisterBroker(BrokerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!string.Equals(registration.ClusterId, _options.ClusterId, StringComparison.Ordinal))
        {
            return new BrokerRegistrationResult(ErrorCode.InconsistentClusterId,
                $"Broker {registration.BrokerId} belongs to cluster '{registration.ClusterId}', this controller to '{_options.ClusterId}'.", null);
        }
        if (_silos.ActiveSiloOf(registration.BrokerId) is { } live && live.ToParsableString() != registration.SiloAddress)
        {
            return new BrokerRegistrationResult(ErrorCode.DuplicateBrokerRegistration,
                $"Broker id {registration.BrokerId} is already taken by the live silo {live}: give the new broker another --broker-id.", null);
        }
        _state.State.Brokers[registration.BrokerId] = new BrokerRecord
        {
            Id = registration.BrokerId,
            Gateway = registration.Gateway,
            Rack = registration.Rack,
            Kafka = registration.Kafka,
            Web = registration.Web,
            SiloAddress = registration.SiloAddress,
            RegisteredAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            // The version this registration is committed at (as KRaft's broker epoch): new at every start.
            Epoch = _state.State.MetadataVersion + 1,
        };
        // A broker that registers runs again: a controlled shutdown it asked for before is over.
        _shuttingDown.Remove(registration.BrokerId);
        FollowBrokers();
        var error = await CommitAsync();
        if (error is not null)
        {
            return new BrokerRegistrationResult(error.Error, error.ErrorMessage, null);
        }
        LogRegistered(_logger, registration.BrokerId, registration.SiloAddress, registration.Rack ?? "-");
        return new BrokerRegistrationResult(ErrorCode.None, null, _committed);
    }

    public Task MembershipChanged() => FollowMembershipAsync();

    public async Task<TopicResult> CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly = false)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (Refusal(() => TopicName.Validate(name)) is { } invalid)
        {
            return invalid;
        }
        if (Topics.ContainsKey(name))
        {
            return TopicResult.Failed(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }
        var defaults = _logs.Defaults;
        partitions = partitions == -1 ? defaults.NumPartitions : partitions;
        replicationFactor = replicationFactor == -1 ? defaults.DefaultReplicationFactor : replicationFactor;
        if (partitions < 1)
        {
            return TopicResult.Failed(ErrorCode.InvalidPartitions, $"A topic needs at least one partition, not {partitions}.");
        }
        // New replicas go to brokers alive and not shutting down.
        var alive = LiveBrokers().Eligible();
        if (replicationFactor < 1 || replicationFactor > alive.Count)
        {
            return TopicResult.Failed(ErrorCode.InvalidReplicationFactor, string.Create(CultureInfo.InvariantCulture,
                $"Replication factor {replicationFactor} is not possible with {alive.Count} live broker(s): it must be between 1 and {alive.Count}."));
        }
        if (Refusal(() => TopicConfigs.Validate(configs, defaults, replicationFactor)) is { } bad)
        {
            return bad;
        }
        var topic = new TopicRecord
        {
            TopicId = Guid.NewGuid(),
            Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal),
            CreatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        AddPartitions(topic, partitions, replicationFactor, alive);
        if (validateOnly)
        {
            return TopicResult.Ok(topic.ToMetadata(name));
        }
        Topics[name] = topic;
        if (await CommitAsync() is { } error)
        {
            return error;
        }
        LogCreated(_logger, name, topic.TopicId, partitions, replicationFactor);
        LogNoEffect(name, configs);
        return TopicResult.Ok(topic.ToMetadata(name));
    }

    public async Task<TopicResult> DeleteTopic(string name)
    {
        if (!Topics.TryGetValue(name, out var topic))
        {
            return Unknown(name);
        }
        Topics.Remove(name);
        // The topic is gone once the state is written; each broker deletes its logs when the change reaches it.
        if (await CommitAsync() is { } error)
        {
            return error;
        }
        LogDeleted(_logger, name, topic.TopicId);
        return TopicResult.Ok(topic.ToMetadata(name));
    }

    public Task<IReadOnlyList<string>> ListTopics() => Task.FromResult<IReadOnlyList<string>>([.. _committed.Topics.Keys.Order(StringComparer.Ordinal)]);

    public Task<IReadOnlyList<TopicMetadata>> GetTopics(IReadOnlyList<string>? names)
    {
        var topics = _committed.Topics;
        var found = new List<TopicMetadata>();
        foreach (var name in names ?? [.. topics.Keys.Order(StringComparer.Ordinal)])
        {
            if (topics.TryGetValue(name, out var topic))
            {
                found.Add(topic);
            }
        }
        return Task.FromResult<IReadOnlyList<TopicMetadata>>(found);
    }

    public Task<TopicResult> DescribeTopic(string name) =>
        Task.FromResult(_committed.Topics.TryGetValue(name, out var topic) ? TopicResult.Ok(topic) : Unknown(name));

    public async Task<TopicResult> AlterConfigs(string name, IReadOnlyDictionary<string, string?> changes, bool validateOnly = false)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!Topics.TryGetValue(name, out var topic))
        {
            return Unknown(name);
        }
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
        if (Refusal(() => TopicConfigs.Validate(configs, _logs.Defaults, (short)topic.Partitions[0].FinalReplicas.Count)) is { } bad)
        {
            return bad;
        }
        if (validateOnly)
        {
            return TopicResult.Ok(topic.ToMetadata(name) with { Configs = configs });
        }
        topic.Configs = configs;
        LogNoEffect(name, changes.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal));
        return await CommitAsync() ?? TopicResult.Ok(topic.ToMetadata(name));
    }

    public Task<TopicConfigsResult> DescribeTopicConfigs(string name) =>
        Task.FromResult(_committed.Topics.TryGetValue(name, out var topic)
            ? new TopicConfigsResult(ErrorCode.None, null, TopicConfigs.Describe(topic.Configs, _options.Defaults))
            : new TopicConfigsResult(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", []));

    public Task<string> ClusterId() => Task.FromResult(_options.ClusterId);

    public async Task<TopicResult> AddPartitions(string name, int totalPartitions, bool validateOnly = false)
    {
        if (!Topics.TryGetValue(name, out var topic))
        {
            return Unknown(name);
        }
        if (totalPartitions <= topic.Partitions.Count)
        {
            return TopicResult.Failed(ErrorCode.InvalidPartitions,
                $"Topic '{name}' has {topic.Partitions.Count} partitions; the new count {totalPartitions} must be larger (partitions never shrink).");
        }
        var replicationFactor = topic.Partitions[0].FinalReplicas.Count;
        var alive = LiveBrokers().Eligible();
        if (replicationFactor > alive.Count)
        {
            return TopicResult.Failed(ErrorCode.InvalidReplicationFactor, string.Create(CultureInfo.InvariantCulture,
                $"Topic '{name}' has replication factor {replicationFactor}, but only {alive.Count} broker(s) are alive to hold new partitions."));
        }
        if (validateOnly)
        {
            return TopicResult.Ok(topic.ToMetadata(name));
        }
        AddPartitions(topic, totalPartitions - topic.Partitions.Count, replicationFactor, alive);
        return await CommitAsync() ?? TopicResult.Ok(topic.ToMetadata(name));
    }

    private void AddPartitions(TopicRecord topic, int count, int replicationFactor, IReadOnlySet<int> alive)
    {
        // A start that differs per topic spreads the first leaders of many small topics over the brokers.
        var start = (int)((uint)topic.TopicId.GetHashCode() % (uint)Math.Max(1, alive.Count));
        var first = topic.Partitions.Count;
        var assignments = Leadership.AssignReplicas(first, count, replicationFactor, alive, start, Racks());
        for (var i = 0; i < assignments.Count; i++)
        {
            topic.Partitions.Add(Leadership.NewPartition(first + i, assignments[i], alive));
        }
    }

    private async Task FollowMembershipAsync()
    {
        if (FollowBrokers())
        {
            await CommitAsync();
        }
        else
        {
            // Nothing changed here, but a broker that just joined may not have the metadata yet.
            await PushAsync();
        }
    }

    private bool FollowBrokers()
    {
        var brokers = LiveBrokers();
        var changed = false;
        foreach (var (name, topic) in Topics)
        {
            var unclean = _logs.Defaults.ReplicationConfigFor(topic.Configs).UncleanLeaderElection;
            foreach (var partition in topic.Partitions)
            {
                var leader = partition.Leader;
                var isr = string.Join(',', partition.Isr);
                var result = Leadership.FollowBrokers(partition, brokers, unclean);
                if (result == FollowResult.UncleanElection)
                {
                    LogUncleanElection(_logger, name, partition.Partition, partition.Leader, partition.LeaderEpoch, isr);
                }
                if (result != FollowResult.Unchanged)
                {
                    changed = true;
                    LogLeaderChanged(_logger, name, partition.Partition, leader, partition.Leader, partition.LeaderEpoch, string.Join(',', partition.Isr));
                }
                // A reassignment that waited for a target replica able to lead may complete now.
                if (Reassignments.TryComplete(partition, brokers, _logs.Defaults.AutoLeaderRebalance))
                {
                    changed = true;
                    LogReassigned(_logger, name, partition.Partition, string.Join(',', partition.Replicas), partition.Leader, partition.LeaderEpoch, string.Join(',', partition.Isr));
                }
            }
        }
        return changed;
    }

    // The declared racks of the registered brokers (Kafka's broker.rack), for rack-aware assignment.
    private Dictionary<int, string> Racks()
    {
        var racks = new Dictionary<int, string>();
        foreach (var broker in _state.State.Brokers.Values)
        {
            if (!string.IsNullOrEmpty(broker.Rack))
            {
                racks[broker.Id] = broker.Rack;
            }
        }
        return racks;
    }

    /// <summary>
    /// Writes the state at the next metadata version and pushes it to the brokers. On failure the change is
    /// undone (the state is read back) and the error returned: NOT_CONTROLLER when another activation wrote
    /// since (this one deactivates), KAFKA_STORAGE_ERROR when the storage could not be written.
    /// </summary>
    private async Task<TopicResult?> CommitAsync()
    {
        _state.State.MetadataVersion++;
        try
        {
            await _state.WriteStateAsync();
        }
        catch (InconsistentStateException error)
        {
            LogStale(_logger, error.Message);
            DeactivateOnIdle();
            await ReadBackAsync();
            return TopicResult.Failed(ErrorCode.NotController, "The controller moved while this change was made; nothing was changed. Try again.");
        }
#pragma warning disable CA1031 // Any storage failure is answered with a Kafka error; the state is read back.
        catch (Exception error)
#pragma warning restore CA1031
        {
            LogWriteFailed(_logger, error);
            await ReadBackAsync();
            return TopicResult.Failed(ErrorCode.KafkaStorageError, $"The controller could not write its state ({error.Message}); nothing was changed. Try again.");
        }
        _committed = BuildMetadata();
        await PushAsync();
        return null;
    }

    private async Task ReadBackAsync()
    {
        try
        {
            await _state.ReadStateAsync();
        }
#pragma warning disable CA1031 // A failed read leaves the grain to be deactivated; the next call reads again.
        catch (Exception)
#pragma warning restore CA1031
        {
            DeactivateOnIdle();
        }
    }

    // Every live broker gets the new metadata; one that misses it catches up by version on its next request.
    private async Task PushAsync()
    {
        var metadata = _committed;
        var alive = _silos.AliveBrokers();
        var pushes = new List<Task>(alive.Count);
        foreach (var broker in alive)
        {
            pushes.Add(PushAsync(broker, metadata));
        }
        await Task.WhenAll(pushes);
    }

    private async Task PushAsync(int broker, ClusterMetadata metadata)
    {
        try
        {
            await GrainFactory.GetGrain<IBrokerGrain>(broker).UpdateMetadata(metadata).WaitAsync(_pushTimeout);
        }
#pragma warning disable CA1031 // A broker that missed a push catches up by version.
        catch (Exception error)
#pragma warning restore CA1031
        {
            LogPushFailed(_logger, broker, metadata.Version, error.Message);
        }
    }

    private ClusterMetadata BuildMetadata()
    {
        var topics = new Dictionary<string, TopicMetadata>(Topics.Count, StringComparer.Ordinal);
        foreach (var (name, topic) in Topics)
        {
            topics[name] = topic.ToMetadata(name);
        }
        return new ClusterMetadata(_state.State.MetadataVersion, topics, BuildBrokers(), ControllerBroker());
    }

    private IReadOnlyList<BrokerInfo> BuildBrokers()
    {
        var members = _silos.Brokers();
        var brokers = new List<BrokerInfo>(_state.State.Brokers.Count);
        foreach (var record in _state.State.Brokers.Values.OrderBy(b => b.Id))
        {
            var status = members.TryGetValue(record.Id, out var member) ? StatusOf(member.Status) : BrokerStatus.Dead;
            brokers.Add(new BrokerInfo(record.Id, record.Gateway, record.Rack, status, record.Kafka, record.Web, record.SiloAddress, record.Epoch));
        }
        return brokers;
    }

    private int ControllerBroker() => _silos.BrokerOf(_silo.SiloAddress);

    private static BrokerStatus StatusOf(SiloStatus status) => status switch
    {
        SiloStatus.Active => BrokerStatus.Alive,
        SiloStatus.ShuttingDown or SiloStatus.Stopping => BrokerStatus.ShuttingDown,
        _ => BrokerStatus.Dead,
    };

    // The validators of names and configs throw Kafka's errors; here they become results.
    private static TopicResult? Refusal(Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (KafkaException error)
        {
            return TopicResult.Failed(error.Code, error.Detail);
        }
    }

    private static TopicResult Unknown(string name) =>
        TopicResult.Failed(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist. List the topics with 'orlog topics list'.");

    private void LogNoEffect(string topic, IReadOnlyDictionary<string, string> configs)
    {
        foreach (var note in TopicConfigs.NoEffectNotes(configs))
        {
            LogTopicNote(_logger, topic, note);
        }
    }

    [LoggerMessage(EventId = 319, Level = LogLevel.Information, Message = "Topic {Topic}: {Note}")]
    private static partial void LogTopicNote(ILogger logger, string topic, string note);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Created topic {Topic} (id {TopicId}) with {Partitions} partitions, replication factor {ReplicationFactor}")]
    private static partial void LogCreated(ILogger logger, string topic, Guid topicId, int partitions, short replicationFactor);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Deleted topic {Topic} (id {TopicId})")]
    private static partial void LogDeleted(ILogger logger, string topic, Guid topicId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Controller active at metadata version {Version}: {Topics} topics, {Brokers} registered brokers")]
    private static partial void LogActivated(ILogger logger, long version, int topics, int brokers);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Broker {BrokerId} registered (silo {Silo}, rack {Rack})")]
    private static partial void LogRegistered(ILogger logger, int brokerId, string silo, string rack);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "{Topic}-{Partition}: leader {OldLeader} -> {NewLeader} at leader epoch {LeaderEpoch}, ISR {Isr}")]
    private static partial void LogLeaderChanged(ILogger logger, string topic, int partition, int oldLeader, int newLeader, int leaderEpoch, string isr);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "A newer controller activation wrote the state first; this one steps down ({Reason})")]
    private static partial void LogStale(ILogger logger, string reason);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "The controller could not write its state; the change was undone")]
    private static partial void LogWriteFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 307, Level = LogLevel.Debug, Message = "Pushing metadata version {Version} to broker {BrokerId} failed ({Reason}); it will catch up")]
    private static partial void LogPushFailed(ILogger logger, int brokerId, long version, string reason);

    [LoggerMessage(EventId = 309, Level = LogLevel.Warning, Message = "{Topic}-{Partition}: unclean leader election: broker {Leader} leads at leader epoch {LeaderEpoch} though not in sync (ISR was {Isr}); records the old leader acknowledged may be lost")]
    private static partial void LogUncleanElection(ILogger logger, string topic, int partition, int leader, int leaderEpoch, string isr);
}
