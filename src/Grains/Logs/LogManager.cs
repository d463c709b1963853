using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;
using Orlog.Log;

namespace Orlog.Grains.Logs;

/// <summary>
/// The partition logs of this silo's broker. A log outlives the activations of the replica grain in front
/// of it: the grain opens it here, and the silo closes every log cleanly (flushing it) when it stops.
/// Also runs retention every log.retention.check.interval.ms.
/// </summary>
public sealed partial class LogManager : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly Lock _openLock = new();
    private readonly Lock _followLock = new();
    private long _followedVersion;
    private readonly BrokerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _retention = Task.CompletedTask;
    private int _disposed;

    public LogManager(IOptions<BrokerOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LogManager>();
        _time = time;
        Defaults = new BrokerDefaults(_options.Defaults);
    }

    public BrokerDefaults Defaults { get; }

    public int BrokerId => _options.BrokerId;

    /// <summary>Opens (recovering if needed) or returns the log of a partition, with the topic's configs applied.</summary>
    public PartitionLog Open(TopicPartition partition, Guid topicId, IReadOnlyDictionary<string, string> topicConfigs)
    {
        var config = Defaults.LogConfigFor(topicConfigs);
        if (_logs.TryGetValue(partition, out var open))
        {
            open.Reconfigure(config);
            return open;
        }
        lock (_openLock)
        {
            if (_logs.TryGetValue(partition, out open))
            {
                return open;
            }
            var directory = LogFileNames.PartitionDirectory(_options.DataDirectory, partition.Topic, partition.Partition);
            var log = PartitionLog.Open(directory, config, new PartitionLogOptions
            {
                Time = _time,
                Logger = _loggerFactory.CreateLogger<PartitionLog>(),
                TopicId = topicId,
            });
            _logs[partition] = log;
            return log;
        }
    }

    /// <summary>Closes and deletes a partition's log (its topic was deleted, or its replica moved off this broker).</summary>
    public void Delete(TopicPartition partition, Guid topicId)
    {
        lock (_openLock)
        {
            if (_logs.TryRemove(partition, out var log))
            {
                log.Delete();
                return;
            }
        }
        // Not open here: remove what a previous run left, if it belongs to this topic id.
        var directory = LogFileNames.PartitionDirectory(_options.DataDirectory, partition.Topic, partition.Partition);
        if (Directory.Exists(directory))
        {
            try
            {
                PartitionLog.Open(directory, Defaults.LogConfig, new PartitionLogOptions { TopicId = topicId, Time = _time }).Delete();
            }
            catch (Orlog.Client.KafkaException error) when (error.Code == Orlog.Client.ErrorCode.InconsistentTopicId)
            {
                // Another topic of the same name owns it now.
            }
        }
    }

    /// <summary>
    /// Follows the metadata on this broker's open logs: a topic that is gone (or was re-created with a new id)
    /// has its log closed and deleted; a topic whose configs changed has them applied. Called by the
    /// <see cref="Replication.ReplicaManager"/> before it follows the same version.
    /// </summary>
    public void Follow(ClusterMetadata current)
    {
        lock (_followLock)
        {
            // A push and a catch-up may bring versions out of order: an older one must not undo a newer one.
            if (current.Version <= _followedVersion)
            {
                return;
            }
            _followedVersion = current.Version;
            foreach (var (partition, log) in _logs)
            {
                var topic = current.Topics.GetValueOrDefault(partition.Topic);
                if (topic is null || log.TopicId is { } id && id != topic.TopicId)
                {
                    lock (_openLock)
                    {
                        if (_logs.TryRemove(new KeyValuePair<TopicPartition, PartitionLog>(partition, log)))
                        {
                            log.Delete();
                            LogDeleted(_logger, partition.ToString());
                        }
                    }
                    continue;
                }
                var config = Defaults.LogConfigFor(topic.Configs);
                if (log.Config != config)
                {
                    log.Reconfigure(config);
                }
            }
        }
    }

    /// <summary>
    /// Deletes the partition directories in the data directory whose topic no longer exists or was
    /// re-created with another id (topics deleted while this broker was down), and those of partitions whose
    /// replicas no longer include this broker (a reassignment moved it off while it was down). Run once the
    /// broker has the controller's metadata, before it serves.
    /// </summary>
    public void DeleteStrays(ClusterMetadata metadata)
    {
        if (!Directory.Exists(_options.DataDirectory))
        {
            return;
        }
        foreach (var directory in Directory.EnumerateDirectories(_options.DataDirectory))
        {
            var name = Path.GetFileName(directory);
            var dash = name.LastIndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                || PartitionLog.ReadTopicId(directory) is not { } topicId)
            {
                continue;
            }
            var partition = new TopicPartition(name[..dash], number);
            var topic = metadata.Topics.GetValueOrDefault(partition.Topic);
            var sameTopic = topic is not null && topic.TopicId == topicId;
            if (sameTopic && Holds(topic!, partition.Partition))
            {
                continue;
            }
            try
            {
                // Under the open lock: a replica a newer metadata version places here may be opening meanwhile.
                lock (_openLock)
                {
                    if (_logs.ContainsKey(partition))
                    {
                        continue;
                    }
                    PartitionLog.Open(directory, Defaults.LogConfig, new PartitionLogOptions { TopicId = topicId, Time = _time }).Delete();
                }
                if (sameTopic)
                {
                    LogMovedOff(_logger, partition.ToString());
                }
                else
                {
                    LogDeleted(_logger, partition.ToString());
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or Orlog.Client.KafkaException)
            {
                LogRetentionFailed(_logger, partition.ToString(), error);
            }
        }
    }

    // Whether the metadata places a replica of the partition on this broker.
    private bool Holds(TopicMetadata topic, int partition) =>
        partition < topic.Partitions.Count && topic.Partitions[partition].Replicas.Contains(BrokerId);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LogManager), ServiceLifecycleStage.RuntimeGrainServices, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _retention = Task.Run(RetentionLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        await _retention.ConfigureAwait(false);
        await Task.Run(CloseAll, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RetentionLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Defaults.RetentionCheckIntervalMs), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                foreach (var (partition, log) in _logs)
                {
                    try
                    {
                        log.EnforceRetention();
                    }
                    catch (Exception error) when (error is IOException or ObjectDisposedException or Orlog.Client.KafkaException)
                    {
                        LogRetentionFailed(_logger, partition.ToString(), error);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CloseAll()
    {
        var closed = 0;
        foreach (var partition in _logs.Keys)
        {
            if (_logs.TryRemove(partition, out var log))
            {
                log.Dispose();
                closed++;
            }
        }
        if (closed > 0)
        {
            LogClosed(_logger, closed, _options.DataDirectory);
        }
    }

    public void Dispose()
    {
        // Registered as a service and as a lifecycle participant: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stop.Cancel();
        CloseAll();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Retention of {Partition} failed")]
    private static partial void LogRetentionFailed(ILogger logger, string partition, Exception error);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Deleted the log of {Partition}: its topic was deleted")]
    private static partial void LogDeleted(ILogger logger, string partition);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Deleted the log of {Partition}: its replica moved off this broker while it was down")]
    private static partial void LogMovedOff(ILogger logger, string partition);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Closed {Count} partition logs in {DataDirectory}, each flushed to disk")]
    private static partial void LogClosed(ILogger logger, int count, string dataDirectory);
}
