using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Grains.Partitions;
using Orlog.Grains.Replication;

namespace Orlog.Grains.Metrics;

/// <summary>
/// The broker's instruments in the "Orlog" meter (docs/web.md lists them), named as Kafka's metrics are in
/// OpenTelemetry: traffic per topic, request times, the logs of the replicas this broker holds, under-replicated
/// and offline partitions, ISR changes, leader elections and group rebalances. It also keeps the traffic totals
/// the web pages turn into rates.
/// </summary>
public sealed class BrokerMetrics : IMetadataFollower
{
    /// <summary>The name of Orlog's meter.</summary>
    public const string MeterName = "Orlog";

    /// <summary>Histogram buckets for times in seconds, from half a millisecond to half a minute.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly KeyValuePair<string, object?> _in = new("direction", "in");
    private static readonly KeyValuePair<string, object?> _out = new("direction", "out");

    private readonly ConcurrentDictionary<string, TopicTraffic> _traffic = new(StringComparer.Ordinal);
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _requestTime;
    private readonly Counter<long> _isrOperations;
    private readonly Counter<long> _elections;
    private readonly Counter<long> _rebalances;
    private readonly ReplicaManager _replicas;
    private readonly int _brokerId;
    private readonly Lock _followLock = new();
    private ClusterMetadata _metadata = ClusterMetadata.Empty;

    public BrokerMetrics(IMeterFactory meters, ReplicaManager replicas, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        _replicas = replicas;
        _brokerId = options.Value.BrokerId;
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("kafka.message.count", "{message}", "Records appended by this broker as leader (direction=in) and sent to consumers (direction=out), per topic");
        _bytes = meter.CreateCounter<long>("kafka.network.io", "By", "Bytes of record batches in and out, per topic (as kafka.message.count)");
        _requestTime = meter.CreateHistogram("kafka.request.time", "s", "Time from a produce or fetch request reaching the broker to its answer (a fetch includes its long-poll wait)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _isrOperations = meter.CreateCounter<long>("kafka.isr.operation.count", "{operation}", "ISR shrinks and expansions of the partitions this broker leads");
        _elections = meter.CreateCounter<long>("kafka.leader.election.count", "{election}", "Partitions given a new leader, counted by the broker hosting the controller");
        _rebalances = meter.CreateCounter<long>("kafka.consumer_group.rebalance.count", "{rebalance}", "New group epochs (generations) of the groups this broker coordinates");
        meter.CreateObservableGauge("kafka.log.size", ObserveLogs(static r => r.Log.Size), "By", "Bytes on disk of each replica this broker holds");
        meter.CreateObservableGauge("kafka.log.start_offset", ObserveLogs(static r => r.Log.LogStartOffset), "{offset}", "The log start offset of each replica this broker holds");
        meter.CreateObservableGauge("kafka.log.end_offset", ObserveLogs(static r => r.Log.LogEndOffset), "{offset}", "The log end offset of each replica this broker holds");
        meter.CreateObservableGauge("kafka.partition.count", () => (long)_replicas.Replicas.Count, "{partition}", "Replicas this broker holds");
        meter.CreateObservableGauge("kafka.partition.under_replicated", CountUnderReplicated, "{partition}", "Partitions this broker leads whose ISR is smaller than their replicas");
        meter.CreateObservableGauge("kafka.partition.offline", CountOffline, "{partition}", "Partitions without a leader, reported by the broker hosting the controller (0 elsewhere)");
    }

    /// <summary>Records appended by this broker as leader.</summary>
    public void RecordsIn(string topic, long records, long bytes)
    {
        Traffic(topic).AddIn(records, bytes);
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _messages.Add(records, tag, _in);
        _bytes.Add(bytes, tag, _in);
    }

    /// <summary>Records sent to a consumer (not to a follower).</summary>
    public void RecordsOut(string topic, long records, long bytes)
    {
        Traffic(topic).AddOut(records, bytes);
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _messages.Add(records, tag, _out);
        _bytes.Add(bytes, tag, _out);
    }

    /// <summary>A produce or fetch request's time in the broker.</summary>
    public void RequestTime(string type, TimeSpan elapsed) => _requestTime.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", type));

    /// <summary>A group this broker coordinates started a new epoch (generation).</summary>
    public void Rebalanced(string groupId) => _rebalances.Add(1, new KeyValuePair<string, object?>("group", groupId));

    /// <summary>The traffic totals of every topic seen since the broker started.</summary>
    public IReadOnlyList<TopicTraffic> TrafficTotals() => [.. _traffic.Values];

    public Task FollowAsync(ClusterMetadata current)
    {
        ArgumentNullException.ThrowIfNull(current);
        MetadataChanges changes;
        lock (_followLock)
        {
            if (current.Version <= _metadata.Version)
            {
                return Task.CompletedTask;
            }
            changes = _metadata.Version == 0 ? default : MetadataChanges.Between(_metadata, current, _brokerId);
            _metadata = current;
        }
        if (changes.IsrShrinks > 0)
        {
            _isrOperations.Add(changes.IsrShrinks, new KeyValuePair<string, object?>("operation", "shrink"));
        }
        if (changes.IsrExpansions > 0)
        {
            _isrOperations.Add(changes.IsrExpansions, new KeyValuePair<string, object?>("operation", "expand"));
        }
        if (changes.LeaderElections > 0)
        {
            _elections.Add(changes.LeaderElections);
        }
        return Task.CompletedTask;
    }

    private TopicTraffic Traffic(string topic) =>
        _traffic.TryGetValue(topic, out var traffic) ? traffic : _traffic.GetOrAdd(topic, static name => new TopicTraffic(name));

    private Func<IEnumerable<Measurement<long>>> ObserveLogs(Func<Partition, long> value) => () => _replicas.Replicas.Select(replica => new Measurement<long>(value(replica),
        new KeyValuePair<string, object?>("topic", replica.Id.Topic), new KeyValuePair<string, object?>("partition", replica.Id.Partition)));

    private long CountUnderReplicated() => _replicas.Replicas.Count(r => r.Role == ReplicaRole.Leader && r.Isr.Count < r.Replicas.Count);

    private long CountOffline()
    {
        var metadata = Volatile.Read(ref _metadata);
        return metadata.ControllerBroker != _brokerId ? 0 : metadata.Topics.Values.Sum(t => t.Partitions.Count(p => p.Leader == PartitionMetadata.NoLeader));
    }
}
