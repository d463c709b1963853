using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>One SIGKILL: the broker, the partitions it led, and per partition the seconds from the kill to the first
/// acknowledged write (NaN: none within the timeout); then how long the restarted broker took to rejoin every ISR.</summary>
internal sealed record FailoverKill(int Broker, int[] Partitions, double[] Seconds, bool[] BeforeRestart, double LookedUntil, double RestartSeconds, double IsrSeconds)
{
    /// <summary>Per partition: seconds, marked when the ack came only after the restart began, or "none".</summary>
    public string Describe() => string.Join(", ", Seconds.Select((s, i) => double.IsNaN(s)
        ? $"none in {LookedUntil.ToString("F1", CultureInfo.InvariantCulture)}"
        : s.ToString("F2", CultureInfo.InvariantCulture) + (BeforeRestart[i] ? "" : " (after the restart)")));
}

internal sealed record FailoverResult(List<FailoverKill> Kills, long Produced, long Acked, long Failed, string? FirstError, double RecordsPerSecond)
{
    /// <summary>Every affected partition of every kill; a partition with no ack at all counts as the time it was watched.</summary>
    public List<double> Samples() =>
        [.. Kills.SelectMany(kill => kill.Seconds.Select(s => double.IsNaN(s) ? kill.LookedUntil : s))];
}

/// <summary>
/// Failover under load: an idempotent acks=all producer writes continuously at a modest rate, round robin over every
/// partition (each value starts with its send moment); the produce loop's delivery handler notes, per partition, the
/// first acknowledgement of a record sent after the kill. Each kill: wait for full ISRs, SIGKILL the broker leading the
/// most partitions (local-cluster.sh kill; the clock starts when the process is seen gone, polled every millisecond), wait for an ack on every partition it led, restart it and wait for full ISRs again.
/// </summary>
internal static class FailoverRun
{
    /// <summary>Polls /proc/PID until the process is gone or a zombie; returns that moment (Stopwatch timestamp).</summary>
    private static long WaitGone(int pid, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state is "Z" or "X")
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return Stopwatch.GetTimestamp();
            }
            Thread.Sleep(1);
        }
        throw new TimeoutException($"broker process {pid} was still there {timeout.TotalSeconds:F0} s after local-cluster.sh kill began");
    }

    public static async Task<FailoverResult> RunAsync(OrlogClient client, IAdminClient admin, LocalCluster cluster, string topic, int partitions, int kills,
        int rate, int recordBytes, ProducerConfig config, TimeSpan ackTimeout, Action<string> log)
    {
        await using var producer = await new ProducerBuilder<Null, byte[]>(config).SetClient(client).BuildAsync().ConfigureAwait(false);
        var firstAck = new long[partitions];
        long killAt = 0, acked = 0, failed = 0, sent = 0;
        string? firstError = null;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                if (Interlocked.Increment(ref failed) == 1)
                {
                    firstError = report.Error.ToString();
                }
                return;
            }
            Interlocked.Increment(ref acked);
            var kill = Interlocked.Read(ref killAt);
            if (kill != 0 && report.Partition >= 0 && report.Partition < partitions
                && BinaryPrimitives.ReadInt64LittleEndian(report.Message.Value) >= kill)
            {
                Interlocked.CompareExchange(ref firstAck[report.Partition], Stopwatch.GetTimestamp(), 0);
            }
        };

        var stop = 0;
        Exception? produceError = null;
        var started = Stopwatch.GetTimestamp();
        var producing = new Thread(() =>
        {
            try
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
                    while (sent < due)
                    {
                        var value = new byte[recordBytes];
                        BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                        producer.Produce(new TopicPartition(topic, (int)(sent % partitions)), new Message<Null, byte[]> { Value = value }, onDelivery);
                        sent++;
                    }
                    Thread.Sleep(1);
                }
            }
            catch (Exception error)
            {
                produceError = error;
            }
        })
        { IsBackground = true, Name = "failover producer" };
        producing.Start();

        var results = new List<FailoverKill>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            for (var k = 0; k < kills; k++)
            {
                await ClusterRuns.WaitForFullIsrAsync(admin, topic, TimeSpan.FromSeconds(120));
                await Task.Delay(TimeSpan.FromSeconds(1));
                if (produceError is not null)
                {
                    throw new InvalidOperationException($"The failover producer failed: {produceError.Message}", produceError);
                }
                var description = await admin.DescribeTopicAsync(topic);
                var victim = description.Partitions.GroupBy(p => p.LeaderId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
                var led = victim.Select(p => p.Partition).Order().ToArray();
                var running = await cluster.StatusAsync();
                if (!running.Any(b => b.Id == victim.Key.ToString(CultureInfo.InvariantCulture) && b.State == "running"))
                {
                    throw new InvalidOperationException($"broker {victim.Key} leads partitions {string.Join(',', led)} but status has no running broker of that id");
                }
                var pid = int.Parse(running.Single(b => b.Id == victim.Key.ToString(CultureInfo.InvariantCulture)).Pid, CultureInfo.InvariantCulture);
                Array.Clear(firstAck);
                // The clock starts when the broker's process is seen gone (polled every millisecond while the script
                // kills it), not when the script is called: the script's own start-up would otherwise count records
                // the old leader still acknowledged as failed over.
                var killing = cluster.KillAsync(victim.Key);
                var killedAt = await Task.Run(() => WaitGone(pid, TimeSpan.FromSeconds(30)));
                Interlocked.Exchange(ref killAt, killedAt);
                await killing;
                var deadline = Stopwatch.StartNew();
                while (deadline.Elapsed < ackTimeout && led.Any(p => Interlocked.Read(ref firstAck[p]) == 0))
                {
                    await Task.Delay(10);
                }
                // Partitions still without an ack when the restart begins keep being watched until the ISRs are full:
                // their first ack (then likely from the restarted broker) is reported as such.
                var beforeRestart = led.Select(p => Interlocked.Read(ref firstAck[p]) != 0).ToArray();
                var restart = Stopwatch.StartNew();
                await cluster.RestartAsync(victim.Key);
                var restartSeconds = restart.Elapsed.TotalSeconds;
                var isr = await ClusterRuns.WaitForFullIsrAsync(admin, topic, TimeSpan.FromSeconds(120));
                var lookedUntil = (Stopwatch.GetTimestamp() - killedAt) / (double)Stopwatch.Frequency;
                Interlocked.Exchange(ref killAt, 0);
                var seconds = led.Select(p =>
                {
                    var at = Interlocked.Read(ref firstAck[p]);
                    return at == 0 ? double.NaN : (at - killedAt) / (double)Stopwatch.Frequency;
                }).ToArray();
                var kill = new FailoverKill(victim.Key, led, seconds, beforeRestart, lookedUntil, restartSeconds, restartSeconds + isr.TotalSeconds);
                results.Add(kill);
                log(string.Create(CultureInfo.InvariantCulture,
                    $"  kill {k + 1} of {kills}: broker {kill.Broker} led partitions {string.Join(',', led)}; kill -> first ack {kill.Describe()}; " +
                    $"restart {restartSeconds:F1} s, full ISR {kill.IsrSeconds:F1} s after the restart began; acked {Interlocked.Read(ref acked):N0}, failed {Interlocked.Read(ref failed):N0}"));
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            producing.Join();
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        using (var flush = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                await producer.FlushAsync(flush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log("  the failover producer did not flush within 60 s");
            }
        }
        return new FailoverResult(results, sent, Interlocked.Read(ref acked), Interlocked.Read(ref failed), firstError, sent / elapsed.TotalSeconds);
    }
}
