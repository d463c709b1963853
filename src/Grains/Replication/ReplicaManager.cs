using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orlog.Grains.Cluster;
using Orlog.Grains.Logs;
using Orlog.Grains.Partitions;

namespace Orlog.Grains.Replication;

/// <summary>
/// The replicas this broker holds (Kafka's ReplicaManager): one <see cref="Partition"/> per partition with a
/// replica here, opened when the metadata first names it and given every later version of it. Leaders serve
/// the broker grain; followers are handed to one <see cref="ReplicaFetcher"/> per leader broker, which copies
/// from there; ISR changes the leaders propose go to the controller through the <see cref="IsrProposals"/>.
/// A replica that a reassignment moved off this broker is closed and its log deleted when the metadata that
/// removed it arrives. A silo holds one object per partition whatever Orleans does with grain activations,
/// so two activations can never hold two copies of a replica's state.
/// </summary>
public sealed partial class ReplicaManager : IMetadataFollower, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly Dictionary<int, ReplicaFetcher> _fetchers = [];
    private readonly Dictionary<TopicPartition, int> _fetchedFrom = [];
    private readonly Lock _followLock = new();
    private readonly LogManager _logs;
    private readonly IGrainFactory _grains;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly IsrProposals _proposals;
    private readonly string _siloAddress;
    private long _followedVersion;
    private int _unopened;
    private long _brokerEpoch = -1;
    private Task _lagChecks = Task.CompletedTask;

    public ReplicaManager(LogManager logs, IGrainFactory grains, IServiceProvider services, ILocalSiloDetails silo, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _siloAddress = silo.SiloAddress.ToParsableString();
        _logs = logs;
        _grains = grains;
        _services = services;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ReplicaManager>();
        _proposals = new IsrProposals(logs.BrokerId, grains, loggerFactory.CreateLogger<IsrProposals>(), _stop.Token);
        var rate = logs.Defaults.LeaderReplicationThrottledRate;
        Throttle = rate == Hosting.BrokerDefaults.Unthrottled ? null : new ReplicationThrottle(rate, time);
    }

    public int BrokerId => _logs.BrokerId;

    /// <summary>leader.replication.throttled.rate for this broker's leaders' answers to reassigning followers; null when unthrottled.</summary>
    public ReplicationThrottle? Throttle { get; }

    /// <summary>
    /// This broker's epoch, as the metadata records this silo's registration; -1 until it does (a broker that
    /// has not registered yet cannot be proposed for an ISR).
    /// </summary>
    public long BrokerEpoch => Interlocked.Read(ref _brokerEpoch);

    /// <summary>
    /// Whether this broker is registered in the metadata it follows and opened every replica that metadata gives it
    /// (a replica whose log could not be opened keeps it unready until a later version opens it).
    /// </summary>
    public bool IsReady => BrokerEpoch >= 0 && Volatile.Read(ref _unopened) == 0;

    /// <summary>The replicas this broker holds now, leaders and followers.</summary>
    public ICollection<Partition> Replicas => _partitions.Values;

    /// <summary>This broker's replica of a partition of the topic with <paramref name="topicId"/>, or null when it holds none (yet).</summary>
    public Partition? Get(TopicPartition partition, Guid topicId) =>
        _partitions.TryGetValue(partition, out var replica) && replica.TopicId == topicId ? replica : null;

    /// <summary>Follows a metadata version off the caller's thread (opening a log may recover it from disk).</summary>
    public Task FollowAsync(ClusterMetadata current) => Task.Run(() => Follow(current));

    private void Follow(ClusterMetadata current)
    {
        lock (_followLock)
        {
            // A push and a catch-up may bring versions out of order: an older one must not undo a newer one.
            if (current.Version <= _followedVersion)
            {
                return;
            }
            _followedVersion = current.Version;
            var self = current.Brokers.FirstOrDefault(b => b.Id == BrokerId && b.SiloAddress == _siloAddress);
            Interlocked.Exchange(ref _brokerEpoch, self?.Epoch ?? -1);
            _logs.Follow(current);
            var held = new HashSet<TopicPartition>();
            var movedOff = new List<Partition>();
            var unopened = 0;
            foreach (var topic in current.Topics.Values)
            {
                var replication = _logs.Defaults.ReplicationConfigFor(topic.Configs);
                foreach (var metadata in topic.Partitions)
                {
                    var id = new TopicPartition(topic.Name, metadata.Partition);
                    if (!metadata.Replicas.Contains(BrokerId))
                    {
                        if (_partitions.TryGetValue(id, out var gone) && gone.TopicId == topic.TopicId)
                        {
                            // A reassignment removed it: it stops leading or following before its log goes.
                            gone.ApplyMetadata(metadata, replication.MinInsyncReplicas);
                            movedOff.Add(gone);
                        }
                        continue;
                    }
                    if (Open(id, topic) is not { } replica)
                    {
                        unopened++;
                        continue;
                    }
                    held.Add(id);
                    if (replica.ApplyMetadata(metadata, replication.MinInsyncReplicas))
                    {
                        LogRole(_logger, id.ToString(), replica.Role, replica.LeaderEpoch, replica.PartitionEpoch, string.Join(',', replica.Isr));
                    }
                    Route(replica, metadata.Leader);
                }
            }
            Volatile.Write(ref _unopened, unopened);
            foreach (var id in _partitions.Keys)
            {
                if (!held.Contains(id))
                {
                    Route(_partitions[id], -1);
                    _partitions.TryRemove(id, out _);
                }
            }
            foreach (var replica in movedOff)
            {
                try
                {
                    _logs.Delete(replica.Id, replica.TopicId);
                    LogMovedOff(_logger, replica.Id.ToString(), replica.Log.LogEndOffset);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Left for the next start, which deletes the logs of replicas this broker no longer holds.
                    LogDeleteFailed(_logger, replica.Id.ToString(), error);
                }
            }
        }
    }

    private Partition? Open(TopicPartition id, TopicMetadata topic)
    {
        if (_partitions.TryGetValue(id, out var open) && open.TopicId == topic.TopicId)
        {
            return open;
        }
        try
        {
            var log = _logs.Open(id, topic.TopicId, topic.Configs);
            var replica = new Partition(id, BrokerId, topic.TopicId, log, _time, _logs.Defaults.ReplicaLagTimeMaxMs, _proposals.Add);
            _partitions[id] = replica;
            LogOpened(_logger, id.ToString(), log.LogStartOffset, log.LogEndOffset);
            return replica;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Orlog.Client.KafkaException)
        {
            LogOpenFailed(_logger, id.ToString(), error);
            return null;
        }
    }

    // A follower copies from its leader's fetcher, and from no other.
    private void Route(Partition replica, int leader)
    {
        var follows = replica.Role == ReplicaRole.Follower && leader >= 0 ? leader : -1;
        if (_fetchedFrom.TryGetValue(replica.Id, out var current))
        {
            if (current == follows)
            {
                _fetchers[current].Add(replica);
                return;
            }
            _fetchers[current].Remove(replica.Id);
            _fetchedFrom.Remove(replica.Id);
        }
        if (follows < 0 || _stop.IsCancellationRequested)
        {
            return;
        }
        if (!_fetchers.TryGetValue(follows, out var fetcher))
        {
            fetcher = new ReplicaFetcher(BrokerId, () => BrokerEpoch, follows, _grains, _logs.Defaults, CatchUpAsync, _loggerFactory.CreateLogger<ReplicaFetcher>(), _stop.Token);
            _fetchers[follows] = fetcher;
        }
        fetcher.Add(replica);
        _fetchedFrom[replica.Id] = follows;
    }

    private Task CatchUpAsync() => _services.GetRequiredService<MetadataCache>().CatchUpAsync();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReplicaManager), ServiceLifecycleStage.ApplicationServices, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _lagChecks = Task.Run(CheckLaggingFollowersAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    // After the broker's controlled shutdown (stage Active stops first): fetchers and proposals stop, the logs close later.
    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        Task[] running;
        lock (_followLock)
        {
            running = [.. _fetchers.Values.Select(f => f.Completion), _proposals.Completion, _lagChecks];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Kafka checks every half of replica.lag.time.max.ms whether a follower fell behind for longer than it.
    private async Task CheckLaggingFollowersAsync()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_logs.Defaults.ReplicaLagTimeMaxMs / 2, 50, 5_000));
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                foreach (var replica in _partitions.Values)
                {
                    replica.CheckLaggingFollowers();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Debug, Message = "Replica {Partition} opened its log: offsets {LogStartOffset} to {LogEndOffset}")]
    private static partial void LogOpened(ILogger logger, string partition, long logStartOffset, long logEndOffset);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Replica {Partition} could not open its log")]
    private static partial void LogOpenFailed(ILogger logger, string partition, Exception error);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Replica {Partition} moved off this broker: its log (up to offset {LogEndOffset}) is deleted")]
    private static partial void LogMovedOff(ILogger logger, string partition, long logEndOffset);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Replica {Partition} moved off this broker, but its log could not be deleted; the next start deletes it")]
    private static partial void LogDeleteFailed(ILogger logger, string partition, Exception error);

    [LoggerMessage(EventId = 702, Level = LogLevel.Debug, Message = "Replica {Partition} is {Role} at leader epoch {LeaderEpoch}, partition epoch {PartitionEpoch}, ISR [{Isr}]")]
    private static partial void LogRole(ILogger logger, string partition, ReplicaRole role, int leaderEpoch, int partitionEpoch, string isr);
}
