using Orlog.Grains;

namespace Orlog.Silo.Web;

/// <summary>
/// The last 15 minutes of the cluster as the web pages chart it, built from successive samples (no clock of its
/// own: each sample brings its time): records and bytes per second in and out, cluster-wide and per topic, records
/// in per second per partition, and each group's total lag. A broker's totals that go down (it restarted) count
/// from zero; a broker seen for the first time adds nothing until its second sample (its totals cover an unknown
/// time); a topic new to a broker seen before counts whole.
/// </summary>
internal sealed class ClusterHistory
{
    /// <summary>How far back the history goes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Lock _lock = new();
    private readonly Queue<ThroughputPoint> _throughput = new();
    private readonly Dictionary<string, Queue<LagPoint>> _lag = new(StringComparer.Ordinal);
    private Dictionary<(int Broker, string Topic), TopicTrafficTotals> _lastTraffic = [];
    private HashSet<int> _lastBrokers = [];
    private Dictionary<(string Topic, int Partition), long> _lastEnds = [];
    private Dictionary<string, TrafficRate> _topicRates = new(StringComparer.Ordinal);
    private Dictionary<(string Topic, int Partition), double> _partitionRates = [];
    private DateTimeOffset? _lastTime;

    /// <summary>Adds one sample: every live broker's statistics and every group's total lag, at <paramref name="time"/>.</summary>
    public void Add(DateTimeOffset time, IReadOnlyList<BrokerStatistics> brokers, IReadOnlyDictionary<string, long> groupLag)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        ArgumentNullException.ThrowIfNull(groupLag);
        lock (_lock)
        {
            var seconds = _lastTime is { } last ? (time - last).TotalSeconds : 0;
            var traffic = new Dictionary<(int, string), TopicTrafficTotals>();
            var deltas = new Dictionary<string, (long RecordsIn, long BytesIn, long RecordsOut, long BytesOut)>(StringComparer.Ordinal);
            foreach (var broker in brokers)
            {
                foreach (var totals in broker.Traffic)
                {
                    var key = (broker.BrokerId, totals.Topic);
                    traffic[key] = totals;
                    if (!_lastTraffic.TryGetValue(key, out var before))
                    {
                        if (!_lastBrokers.Contains(broker.BrokerId))
                        {
                            continue;
                        }
                        // A topic new to a broker seen before: all its traffic is since that sample.
                        before = new TopicTrafficTotals(totals.Topic, 0, 0, 0, 0);
                    }
                    var d = deltas.GetValueOrDefault(totals.Topic);
                    deltas[totals.Topic] = (d.RecordsIn + Delta(before.RecordsIn, totals.RecordsIn), d.BytesIn + Delta(before.BytesIn, totals.BytesIn),
                        d.RecordsOut + Delta(before.RecordsOut, totals.RecordsOut), d.BytesOut + Delta(before.BytesOut, totals.BytesOut));
                }
            }
            var ends = new Dictionary<(string, int), long>();
            var partitionRates = new Dictionary<(string, int), double>();
            foreach (var replica in brokers.SelectMany(b => b.Replicas).Where(r => r.Leader))
            {
                var key = (replica.Topic, replica.Partition);
                ends[key] = replica.HighWatermark;
                if (seconds > 0 && _lastEnds.TryGetValue(key, out var before))
                {
                    partitionRates[key] = Delta(before, replica.HighWatermark) / seconds;
                }
            }
            _lastTraffic = traffic;
            _lastBrokers = [.. brokers.Select(b => b.BrokerId)];
            _lastEnds = ends;
            _partitionRates = partitionRates;
            _lastTime = time;
            if (seconds <= 0)
            {
                return;
            }
            _topicRates = deltas.ToDictionary(pair => pair.Key, pair => new TrafficRate(pair.Value.RecordsIn / seconds, pair.Value.BytesIn / seconds,
                pair.Value.RecordsOut / seconds, pair.Value.BytesOut / seconds), StringComparer.Ordinal);
            var total = _topicRates.Values.Aggregate(TrafficRate.Zero, (sum, rate) => sum + rate);
            _throughput.Enqueue(new ThroughputPoint(time.ToUnixTimeMilliseconds(), total.RecordsIn, total.RecordsOut, total.BytesIn, total.BytesOut));
            Trim(_throughput, time, static p => p.Time);
            foreach (var (group, lag) in groupLag)
            {
                if (!_lag.TryGetValue(group, out var points))
                {
                    _lag[group] = points = new Queue<LagPoint>();
                }
                points.Enqueue(new LagPoint(time.ToUnixTimeMilliseconds(), lag));
            }
            foreach (var group in _lag.Keys.ToList())
            {
                Trim(_lag[group], time, static p => p.Time);
                if (_lag[group].Count == 0)
                {
                    _lag.Remove(group);
                }
            }
        }
    }

    /// <summary>The cluster's throughput, a point a sample, oldest first.</summary>
    public IReadOnlyList<ThroughputPoint> Throughput()
    {
        lock (_lock)
        {
            return [.. _throughput];
        }
    }

    /// <summary>The cluster's rates at the last sample (zero before two samples).</summary>
    public TrafficRate Total()
    {
        lock (_lock)
        {
            return _topicRates.Values.Aggregate(TrafficRate.Zero, (sum, rate) => sum + rate);
        }
    }

    /// <summary>A topic's rates at the last sample (zero when it had no traffic).</summary>
    public TrafficRate Topic(string topic)
    {
        lock (_lock)
        {
            return _topicRates.GetValueOrDefault(topic, TrafficRate.Zero);
        }
    }

    /// <summary>A partition's records appended per second at the last sample (its high watermark's pace), or null before two samples.</summary>
    public double? PartitionRecordsIn(string topic, int partition)
    {
        lock (_lock)
        {
            return _partitionRates.TryGetValue((topic, partition), out var rate) ? rate : null;
        }
    }

    /// <summary>A group's total lag, a point a sample, oldest first.</summary>
    public IReadOnlyList<LagPoint> Lag(string groupId)
    {
        lock (_lock)
        {
            return _lag.TryGetValue(groupId, out var points) ? [.. points] : [];
        }
    }

    private static long Delta(long before, long now) => now >= before ? now - before : now;

    private static void Trim<T>(Queue<T> points, DateTimeOffset now, Func<T, long> time)
    {
        var oldest = (now - Window).ToUnixTimeMilliseconds();
        while (points.Count > 0 && time(points.Peek()) < oldest)
        {
            points.Dequeue();
        }
    }
}

/// <summary>Records and bytes per second, in (appended) and out (sent to consumers).</summary>
internal readonly record struct TrafficRate(double RecordsIn, double BytesIn, double RecordsOut, double BytesOut)
{
    public static TrafficRate Zero => default;

    public static TrafficRate operator +(TrafficRate a, TrafficRate b) =>
        new(a.RecordsIn + b.RecordsIn, a.BytesIn + b.BytesIn, a.RecordsOut + b.RecordsOut, a.BytesOut + b.BytesOut);
}

/// <summary>One sample of the cluster's throughput; <see cref="Time"/> in Unix milliseconds.</summary>
internal sealed record ThroughputPoint(long Time, double RecordsInPerSec, double RecordsOutPerSec, double BytesInPerSec, double BytesOutPerSec);

/// <summary>One sample of a group's total lag; <see cref="Time"/> in Unix milliseconds.</summary>
internal sealed record LagPoint(long Time, long Lag);
