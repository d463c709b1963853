using System.Diagnostics;
using System.Globalization;
using Orlog.Client;
using Orlog.Client.Admin;
using Orlog.Records;
using Xunit.Abstractions;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// Replication's end-to-end proof on real processes (deploy/local-cluster.sh): an idempotent acks=all producer
/// writes numbered records to a topic of 6 partitions, 3 replicas and min.insync.replicas=2, while the leader of a
/// partition is SIGKILLed and restarted three times and stopped gracefully once. Every acknowledged record is then
/// read exactly once, at the offset it was acknowledged at, in order; and every replica's segment files hold the
/// same batches. Every wait polls against a deadline; every broker runs again at the end.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(LocalClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PartitionCount = 6;
    private const int Kills = 3;

    // Records a second the producer aims at, and records of one partition unacknowledged at a time: a partition
    // without a leader holds at most that many, while the others keep being written.
    private const int RecordsPerSecond = 1500;
    private const int InFlightPerPartition = 400;

    // Orleans' membership declares a SIGKILLed silo dead within seconds (its sockets close); 45 s is the worst case
    // of missed probes, votes and a table refresh, plus the controller's move.
    private static readonly TimeSpan _leaderDeadline = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan _isrDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _ackDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _convergeDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _flushDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan _readDeadline = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<Ack> _acks = [];
    private readonly List<Failure> _failures = [];
    private readonly int[] _inFlight = new int[PartitionCount];
    private long _sent;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.EnsureAllRunningAsync();

    [Fact]
    public async Task AcknowledgedRecordsSurviveKilledAndStoppedLeadersExactlyOnceAndEveryReplicaHoldsTheSameBatches()
    {
        try
        {
            await FailoverAsync();
            if (Environment.GetEnvironmentVariable("ORLOG_KEEP_LOGS") == "1")
            {
                KeepLogs();
            }
        }
        catch
        {
            KeepLogs();
            throw;
        }
    }

    private void KeepLogs() =>
        output.WriteLine($"the brokers' logs are kept in {cluster.KeepLogs("failover-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))}");

    private async Task FailoverAsync()
    {
        var topic = $"failover-rf3-{Guid.NewGuid().ToString("N")[..8]}";
        (await cluster.RunCliAsync("topics", "create", topic, "-p", PartitionCount.ToString(CultureInfo.InvariantCulture), "-r", "3",
            "--config", "min.insync.replicas=2")).EnsureSuccess();
        await using var admin = await new AdminClientBuilder(Settings(new ClientConfig())).BuildAsync();
        var created = await PollAsync("every partition led, with 3 in-sync replicas", _isrDeadline, () => FullyInSyncAsync(admin, topic));
        Assert.Equal(PartitionCount, created.Partitions.Count);
        Assert.Equal("2", created.Configs.GetValueOrDefault("min.insync.replicas"));
        Assert.All(created.Partitions, p => Assert.Equal(3, p.ReplicaIds.Count));
        output.WriteLine($"{At()} topic {topic}: leaders {Leaders(created)}");

        var producerConfig = Settings(new ProducerConfig
        {
            Acks = Acks.All,
            EnableIdempotence = true,
            DeliveryTimeoutMs = 120_000,
            LingerMs = 5,
        });
        var producer = await new ProducerBuilder<Null, string>(producerConfig).BuildAsync();
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(() => ProduceAsync(producer, topic, stop.Token));
        var outages = new List<Outage>();
        try
        {
            await PollAsync("acknowledged records on every partition", _isrDeadline,
                () => Task.FromResult<object?>(Enumerable.Range(0, PartitionCount).All(p => FirstAckAfter([p], 0) is not null) ? "" : null));
            output.WriteLine($"{At()} producing: {AckCount()} acknowledged");

            var previous = -1;
            for (var round = 0; round <= Kills; round++)
            {
                var graceful = round == Kills;
                var before = await FullyInSyncAsync(admin, topic) ?? await PollAsync("full ISRs", _isrDeadline, () => FullyInSyncAsync(admin, topic));
                // The leader of some partition, another broker than last time.
                var chosen = before.Partitions.FirstOrDefault(p => p.LeaderId != previous && p.Partition >= round % PartitionCount)
                    ?? before.Partitions.First(p => p.LeaderId != previous);
                var victim = chosen.LeaderId;
                previous = victim;
                var led = before.Partitions.Where(p => p.LeaderId == victim).Select(p => p.Partition).ToList();
                var id = victim.ToString(CultureInfo.InvariantCulture);
                var verb = graceful ? "stop-broker" : "kill";
                output.WriteLine($"{At()} {verb} broker {id}, leader of partitions {string.Join(',', led)} (chosen by partition {chosen.Partition})");

                var issued = _clock.Elapsed;
                (await cluster.RunAsync(verb, id)).EnsureSuccess();
                var down = _clock.Elapsed;
                var moved = await PollAsync($"partitions {string.Join(',', led)} led by another broker than {id}", _leaderDeadline, async () =>
                {
                    var described = await TryDescribeAsync(admin, topic);
                    return described is not null && led.All(p => described.Partitions[p].LeaderId is var l && l >= 0 && l != victim) ? described : null;
                });
                var newLeader = _clock.Elapsed;
                output.WriteLine($"{At()} broker {id} {(graceful ? "stopped" : "killed")} ({(down - issued).TotalSeconds:F1} s); new leaders {Leaders(moved)}, " +
                    $"{(newLeader - down).TotalSeconds:F1} s after it was gone");
                (await cluster.RunAsync("restart", id)).EnsureSuccess();
                var restarted = _clock.Elapsed;
                var back = await PollAsync($"broker {id} back in the ISR of every partition", _isrDeadline, () => FullyInSyncAsync(admin, topic));
                var inSync = _clock.Elapsed;
                output.WriteLine($"{At()} broker {id} restarted ({(restarted - newLeader).TotalSeconds:F1} s), in every ISR " +
                    $"{(inSync - restarted).TotalSeconds:F1} s later; leaders {Leaders(back)}");
                // Before the next outage, the writes to its partitions go on: the first acknowledgement on each after it
                // was gone (so that the outages measured do not overlap in the producer).
                await PollAsync($"an acknowledged write on each of partitions {string.Join(',', led)} after broker {id} was gone", _ackDeadline,
                    () => Task.FromResult(led.All(p => FirstAckAfter([p], down.Ticks) is not null) ? "" : null));
                var outage = new Outage(verb, victim, led, issued, down, newLeader, restarted, inSync,
                    FirstAckAfter(led, down.Ticks)!.Value, led.Max(p => FirstAckAfter([p], down.Ticks)!.Value));
                outages.Add(outage);
                output.WriteLine($"{At()} first acknowledged write on partitions {string.Join(',', led)} {Seconds(outage.FirstAck, down)} after broker {id} was gone");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producing;
            var flush = Stopwatch.StartNew();
            var unreported = producer.Flush(_flushDeadline);
            output.WriteLine($"{At()} producer flushed in {flush.Elapsed.TotalSeconds:F1} s, {unreported} records unreported");
            await producer.DisposeAsync();
        }

        List<Ack> acks;
        List<Failure> failures;
        long sent;
        lock (_lock)
        {
            acks = [.. _acks];
            failures = [.. _failures];
        }
        sent = _sent;

        // Every partition's high watermark reaches its leader's log end, and every replica holds the same batches.
        var converged = Stopwatch.StartNew();
        var final = await ConvergeAsync(admin, topic);
        output.WriteLine($"{At()} replicas identical ({converged.Elapsed.TotalSeconds:F1} s): " +
            string.Join(", ", final.Partitions.Select(p => $"p{p.Partition} hw {p.HighWatermark}")));

        // Everything from offset 0 to the high watermark, with a consumer of every partition.
        var read = await ReadAllAsync(topic, final);
        var reads = read.GroupBy(r => r.Sequence).ToDictionary(g => g.Key, g => g.ToList());
        var duplicated = reads.Values.Count(r => r.Count > 1);
        var lost = acks.Where(a => !reads.ContainsKey(a.Sequence)).ToList();
        // An acknowledgement may come without an offset: a retry the broker knew only by its producer sequence
        // (DUPLICATE_SEQUENCE_NUMBER); it must still be read, once, in its partition.
        var misplaced = acks.Where(a => reads.TryGetValue(a.Sequence, out var r) && !r.Any(x => x.Partition == a.Partition && (x.Offset == a.Offset || a.Offset < 0))).ToList();
        var outOfOrder = new List<string>();
        var gaps = new List<string>();
        foreach (var partition in read.GroupBy(r => r.Partition).OrderBy(g => g.Key))
        {
            var inOrder = partition.OrderBy(r => r.Offset).ToList();
            for (var i = 1; i < inOrder.Count; i++)
            {
                if (inOrder[i].Sequence <= inOrder[i - 1].Sequence)
                {
                    outOfOrder.Add($"p{partition.Key}: {inOrder[i - 1].Sequence}@{inOrder[i - 1].Offset} then {inOrder[i].Sequence}@{inOrder[i].Offset}");
                }
                if (inOrder[i].Offset != inOrder[i - 1].Offset + 1)
                {
                    gaps.Add($"p{partition.Key}: {inOrder[i - 1].Offset} -> {inOrder[i].Offset}");
                }
            }
        }

        output.WriteLine($"sent {sent}, acknowledged {acks.Count}, failed sends {failures.Count}, read {read.Count} ({reads.Count} distinct)");
        foreach (var group in failures.GroupBy(f => (f.Source, Error: Normalize(f.Error))).OrderByDescending(g => g.Count()).Take(8))
        {
            var from = TimeSpan.FromTicks(group.Min(f => f.Ticks));
            var to = TimeSpan.FromTicks(group.Max(f => f.Ticks));
            var during = outages.LastOrDefault(o => o.Issued <= from);
            output.WriteLine($"  failed: {group.Count()} x {group.Key.Source}: {group.Key.Error} (partitions {string.Join(',', group.Select(f => f.Partition).Distinct().Order())}; " +
                $"between {from.TotalSeconds:F1} s and {to.TotalSeconds:F1} s" +
                (during is null ? ")" : $", {(from - during.Down).TotalSeconds:F1} s to {(to - during.Down).TotalSeconds:F1} s after {during.Verb} broker {during.Broker} returned)"));
        }
        output.WriteLine($"lost {lost.Count}, duplicated {duplicated}, at another offset than acknowledged {misplaced.Count}, " +
            $"out of order {outOfOrder.Count}, offset gaps {gaps.Count}");
        var ackTimes = acks.OrderBy(a => a.Ticks).ToList();
        foreach (var o in outages)
        {
            // Its other partitions (where it was a follower, the ISR down to 2): the longest pause of each from its going
            // until it was back in every ISR and its own partitions were written again.
            var end = Math.Max(o.InSync.Ticks, o.LastFirstAck);
            var pauses = Enumerable.Range(0, PartitionCount).Where(p => !o.Partitions.Contains(p)).Select(p =>
            {
                var times = ackTimes.Where(a => a.Partition == p && a.Ticks > o.Down.Ticks && a.Ticks < end).Select(a => a.Ticks).Prepend(o.Down.Ticks).Append(end).ToList();
                return (Partition: p, Pause: TimeSpan.FromTicks(times.Zip(times.Skip(1), (a, b) => b - a).Max()));
            }).ToList();
            var whileDown = ackTimes.Count(a => !o.Partitions.Contains(a.Partition) && a.Ticks > o.Down.Ticks && a.Ticks < o.Restarted.Ticks);
            output.WriteLine($"{o.Verb} broker {o.Broker}: {whileDown} writes acknowledged on its other partitions until its restart; their longest pauses meanwhile: " +
                string.Join(", ", pauses.Select(x => $"p{x.Partition} {x.Pause.TotalSeconds:F2} s")) +
                $"; restarted {(o.Restarted - o.Down).TotalSeconds:F1} s after it was gone, in every ISR {(o.InSync - o.Down).TotalSeconds:F1} s after");
            output.WriteLine($"{o.Verb} broker {o.Broker} (partitions {string.Join(',', o.Partitions)}): new leader after {(o.NewLeader - o.Down).TotalSeconds:F2} s, " +
                $"first acknowledged write on its partitions after {Seconds(o.FirstAck, o.Down)}, on every one of them after {Seconds(o.LastFirstAck, o.Down)} (from the {o.Verb} returning; it took {(o.Down - o.Issued).TotalSeconds:F2} s)");
        }
        foreach (var partition in ackTimes.GroupBy(a => a.Partition).OrderBy(g => g.Key))
        {
            var times = partition.Select(a => a.Ticks).ToList();
            var longest = Enumerable.Range(1, times.Count - 1).MaxBy(i => times[i] - times[i - 1]);
            output.WriteLine($"p{partition.Key}: {times.Count} acknowledged, longest pause {TimeSpan.FromTicks(times[longest] - times[longest - 1]).TotalSeconds:F2} s " +
                $"from {TimeSpan.FromTicks(times[longest - 1]).TotalSeconds:F1} s");
        }
        var perSecond = ackTimes.GroupBy(a => (int)TimeSpan.FromTicks(a.Ticks).TotalSeconds).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("acknowledged a second: " + string.Join(' ', Enumerable.Range(0, (int)_clock.Elapsed.TotalSeconds + 1)
            .Select(second => perSecond.GetValueOrDefault(second).ToString(CultureInfo.InvariantCulture))));
        output.WriteLine($"total {_clock.Elapsed.TotalSeconds:F1} s (the cluster's start before it: {cluster.StartDuration.TotalSeconds:F1} s)");
        foreach (var a in lost.Take(10))
        {
            output.WriteLine($"  lost: {a.Sequence} acknowledged at p{a.Partition}@{a.Offset} at {TimeSpan.FromTicks(a.Ticks).TotalSeconds:F2} s");
        }
        foreach (var s in reads.Where(r => r.Value.Count > 1).Take(10))
        {
            output.WriteLine($"  duplicated: {s.Key} at {string.Join(", ", s.Value.Select(r => $"p{r.Partition}@{r.Offset}"))}");
        }
        foreach (var line in outOfOrder.Concat(gaps).Take(10))
        {
            output.WriteLine($"  {line}");
        }

        Assert.Equal(Kills + 1, outages.Count);
        Assert.NotEmpty(acks);
        Assert.Empty(lost);
        Assert.Equal(0, duplicated);
        Assert.Empty(misplaced);
        Assert.Empty(outOfOrder);
    }

    /// <summary>
    /// Numbered records (value = the number) at <see cref="RecordsPerSecond"/>, round-robin over the partitions that
    /// have fewer than <see cref="InFlightPerPartition"/> unacknowledged; each acknowledgement or failure recorded.
    /// </summary>
    private async Task ProduceAsync(IProducer<Null, string> producer, string topic, CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        var next = 0;
        var partitions = Enumerable.Range(0, PartitionCount).Select(p => new TopicPartition(topic, p)).ToArray();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(started.Elapsed.TotalSeconds * RecordsPerSecond);
            var progressed = false;
            while (_sent < due && !stop.IsCancellationRequested)
            {
                var partition = -1;
                for (var i = 0; i < PartitionCount && partition < 0; i++)
                {
                    var candidate = (next + i) % PartitionCount;
                    if (Volatile.Read(ref _inFlight[candidate]) < InFlightPerPartition)
                    {
                        partition = candidate;
                    }
                }
                if (partition < 0)
                {
                    break;
                }
                next = (partition + 1) % PartitionCount;
                var sequence = _sent++;
                Interlocked.Increment(ref _inFlight[partition]);
                progressed = true;
                try
                {
                    producer.Produce(partitions[partition], new Message<Null, string> { Value = sequence.ToString(CultureInfo.InvariantCulture) },
                        report => Delivered(sequence, partition, report));
                }
                catch (KafkaException e)
                {
                    Interlocked.Decrement(ref _inFlight[partition]);
                    lock (_lock)
                    {
                        _failures.Add(new Failure(sequence, partition, "thrown by Produce", e.Message, _clock.Elapsed.Ticks));
                    }
                }
            }
            if (!progressed || _sent >= due)
            {
                try
                {
                    await Task.Delay(5, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private void Delivered(long sequence, int partition, DeliveryReport<Null, string> report)
    {
        var now = _clock.Elapsed.Ticks;
        lock (_lock)
        {
            if (report.Error.IsError)
            {
                _failures.Add(new Failure(sequence, partition, "delivery report", report.Error.ToString(), now));
            }
            else
            {
                _acks.Add(new Ack(sequence, report.Partition, report.Offset.Value, now));
            }
        }
        Interlocked.Decrement(ref _inFlight[partition]);
    }

    /// <summary>The elapsed ticks of the first acknowledgement on any of <paramref name="partitions"/> after <paramref name="after"/>.</summary>
    private long? FirstAckAfter(IReadOnlyCollection<int> partitions, long after)
    {
        lock (_lock)
        {
            // Acknowledgements are appended in time order: search from the end back to the first one after.
            long? first = null;
            for (var i = _acks.Count - 1; i >= 0 && _acks[i].Ticks > after; i--)
            {
                if (partitions.Contains(_acks[i].Partition))
                {
                    first = _acks[i].Ticks;
                }
            }
            return first;
        }
    }

    private int AckCount()
    {
        lock (_lock)
        {
            return _acks.Count;
        }
    }

    /// <summary>
    /// Waits until every partition has its 3 replicas in sync, its high watermark at its leader's log end (read
    /// from the leader's segment files), and the same batches on every replica; fails with the differences.
    /// </summary>
    private async Task<TopicDescription> ConvergeAsync(IAdminClient admin, string topic)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        while (true)
        {
            problems.Clear();
            var described = await TryDescribeAsync(admin, topic);
            if (described is null)
            {
                problems.Add("describe failed");
            }
            else
            {
                foreach (var partition in described.Partitions)
                {
                    var p = partition.Partition;
                    if (partition.IsrIds.Count != 3 || partition.LeaderId < 0)
                    {
                        problems.Add($"p{p}: leader {partition.LeaderId}, ISR {string.Join(',', partition.IsrIds)}");
                        continue;
                    }
                    var leaderBatches = ReadBatches(topic, p, partition.LeaderId);
                    var logEnd = leaderBatches.Count == 0 ? 0 : leaderBatches[^1].NextOffset;
                    if (partition.HighWatermark != logEnd)
                    {
                        problems.Add($"p{p}: high watermark {partition.HighWatermark}, log end {logEnd} on leader {partition.LeaderId}");
                    }
                    foreach (var replica in partition.ReplicaIds.Where(r => r != partition.LeaderId))
                    {
                        var batches = ReadBatches(topic, p, replica);
                        if (!batches.SequenceEqual(leaderBatches))
                        {
                            var at = Enumerable.Range(0, Math.Min(batches.Count, leaderBatches.Count)).FirstOrDefault(i => batches[i] != leaderBatches[i], Math.Min(batches.Count, leaderBatches.Count));
                            problems.Add($"p{p}: broker {replica} has {batches.Count} batches, leader {partition.LeaderId} {leaderBatches.Count}; first difference at batch {at}: " +
                                $"{(at < batches.Count ? batches[at].ToString() : "none")} vs {(at < leaderBatches.Count ? leaderBatches[at].ToString() : "none")}");
                        }
                    }
                }
                if (problems.Count == 0)
                {
                    return described;
                }
            }
            if (clock.Elapsed > _convergeDeadline)
            {
                Assert.Fail($"replicas not identical within {_convergeDeadline.TotalSeconds:F0} s:\n{string.Join('\n', problems)}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// The batch headers of a replica, from its segment files (Kafka RecordBatch v2, back to back; a batch being
    /// written at the end is left out).
    /// </summary>
    private List<BatchHeader> ReadBatches(string topic, int partition, int broker)
    {
        var directory = Path.Combine(cluster.Directory, $"broker-{broker}", $"{topic}-{partition}");
        var batches = new List<BatchHeader>();
        if (!Directory.Exists(directory))
        {
            return batches;
        }
        foreach (var file in Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (IOException)
            {
                // Rolled or deleted meanwhile: the next poll reads it again.
                return [new BatchHeader(-1 - broker, -1, 0, -1, -1)];
            }
            var position = 0;
            while (position + RecordBatchHeader.Size <= bytes.Length)
            {
                var header = RecordBatchHeader.Read(bytes.AsSpan(position));
                if (header.BatchLength <= 0 || position + (long)header.TotalSize > bytes.Length)
                {
                    break;
                }
                batches.Add(new BatchHeader(header.BaseOffset, header.PartitionLeaderEpoch, header.Crc, header.BatchLength, header.NextOffset));
                position += header.TotalSize;
            }
        }
        return batches;
    }

    /// <summary>Every record of the topic from offset 0 to each partition's high watermark.</summary>
    private async Task<List<ReadRecord>> ReadAllAsync(string topic, TopicDescription described)
    {
        var ends = described.Partitions.ToDictionary(p => p.Partition, p => p.HighWatermark);
        var records = new List<ReadRecord>();
        var positions = ends.Keys.ToDictionary(p => p, _ => 0L);
        await using var consumer = await new ConsumerBuilder<Null, string>(Settings(new ConsumerConfig { EnableAutoCommit = false })).BuildAsync();
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        while (positions.Any(p => p.Value < ends[p.Key]))
        {
            if (clock.Elapsed > _readDeadline)
            {
                Assert.Fail($"not read within {_readDeadline.TotalSeconds:F0} s: " +
                    string.Join(", ", positions.Select(p => $"p{p.Key} at {p.Value} of {ends[p.Key]}")));
            }
            var result = await consumer.ConsumeAsync(TimeSpan.FromSeconds(1));
            if (result?.Message is null || result.Offset.Value >= ends[result.Partition])
            {
                continue;
            }
            records.Add(new ReadRecord(result.Partition, result.Offset.Value, long.Parse(result.Message.Value, CultureInfo.InvariantCulture)));
            positions[result.Partition] = Math.Max(positions[result.Partition], result.Offset.Value + 1);
        }
        return records;
    }

    /// <summary>The topic when every partition has a leader and 3 in-sync replicas, else null.</summary>
    private static async Task<TopicDescription?> FullyInSyncAsync(IAdminClient admin, string topic) =>
        await TryDescribeAsync(admin, topic) is { } described && described.Partitions.All(p => p.LeaderId >= 0 && p.IsrIds.Count == 3) ? described : null;

    private static async Task<TopicDescription?> TryDescribeAsync(IAdminClient admin, string topic)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await admin.DescribeTopicAsync(topic, timeout.Token);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            return null;
        }
    }

    private T Settings<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = cluster.Bootstrap;
        config.OrleansClusterId = cluster.ClusterId;
        return config;
    }

    private static string Leaders(TopicDescription described) =>
        string.Join(' ', described.Partitions.Select(p => $"p{p.Partition}:{p.LeaderId}[{string.Join(',', p.IsrIds)}]"));

    private string At() => $"[{_clock.Elapsed.TotalSeconds,6:F1} s]";

    private static string Seconds(long? ticks, TimeSpan from) =>
        ticks is { } t ? $"{(TimeSpan.FromTicks(t) - from).TotalSeconds:F2} s" : "never";

    private static Task<T> PollAsync<T>(string what, TimeSpan deadline, Func<Task<T?>> probe)
        where T : class => Poll.UntilAsync(what, deadline, TimeSpan.FromMilliseconds(100), probe);

    // An error's first line with its numbers blanked, to group failures by kind.
    private static string Normalize(string error)
    {
        var line = error.Split('\n')[0].Trim();
        line = System.Text.RegularExpressions.Regex.Replace(line, "[0-9]+(\\.[0-9]+)?", "#");
        return line.Length > 220 ? line[..220] + "..." : line;
    }

    private sealed record Failure(long Sequence, int Partition, string Source, string Error, long Ticks);

    private sealed record Ack(long Sequence, int Partition, long Offset, long Ticks);

    private sealed record ReadRecord(int Partition, long Offset, long Sequence);

    private sealed record BatchHeader(long BaseOffset, int PartitionLeaderEpoch, uint Crc, int BatchLength, long NextOffset);

    private sealed record Outage(string Verb, int Broker, IReadOnlyList<int> Partitions, TimeSpan Issued, TimeSpan Down, TimeSpan NewLeader,
        TimeSpan Restarted, TimeSpan InSync, long FirstAck, long LastFirstAck);
}
