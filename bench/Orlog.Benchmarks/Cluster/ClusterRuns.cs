using System.Buffers.Binary;
using System.Diagnostics;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>A produce measurement: the rate, and the CPU of the client (this process) and of the brokers over it.</summary>
internal readonly record struct Throughput(long Records, TimeSpan Elapsed, TimeSpan ClientCpu, TimeSpan BrokerCpu)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>Microseconds of CPU (brokers + client, user + system) per record.</summary>
    public double CpuMicrosPerRecord => (ClientCpu + BrokerCpu).TotalMicroseconds / Records;

    public double ClientCores => ClientCpu / Elapsed;

    public double BrokerCores => BrokerCpu / Elapsed;
}

/// <summary>End-to-end latency percentiles in milliseconds, and the rate the producer kept.</summary>
internal readonly record struct ClusterLatency(double P50, double P99, double P999, double Max, double RecordsPerSecond, long Records);

internal static class ClusterRuns
{
    /// <summary>
    /// Creates a topic and waits until every partition has a leader and a full ISR (a new topic's replicas have to
    /// join first: min.insync.replicas=2 would refuse acks=all writes until they do).
    /// </summary>
    public static async Task CreateTopicAsync(IAdminClient admin, string topic, int partitions, short replicationFactor, IReadOnlyDictionary<string, string>? configs)
    {
        await admin.CreateTopicAsync(topic, partitions, replicationFactor, configs);
        await WaitForFullIsrAsync(admin, topic, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until every partition of the topic has a leader and every replica in its ISR; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitForFullIsrAsync(IAdminClient admin, string topic, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        string last = "";
        while (watch.Elapsed < timeout)
        {
            try
            {
                var description = await admin.DescribeTopicAsync(topic);
                if (description.Partitions.Count > 0 && description.Partitions.All(p => p.Leader >= 0 && p.Isr.Count == p.Replicas.Count))
                {
                    return watch.Elapsed;
                }
                last = string.Join("; ", description.Partitions.Select(p => $"p{p.Partition} leader {p.Leader} isr [{string.Join(',', p.Isr)}] of [{string.Join(',', p.Replicas)}]"));
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                last = error.Message;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{topic}: the ISRs were not full within {timeout.TotalSeconds:F0} s: {last}");
    }

    /// <summary>
    /// Produces <paramref name="records"/> 100-byte records (null key, one shared value array, as the streaming program
    /// does) from one thread with a delivery handler, timed from the first Produce until Flush returns.
    /// </summary>
    public static async Task<Throughput> ProduceAsync(OrlogClient client, ProducerConfig config, string topic, long records, int recordBytes, Func<TimeSpan> brokerCpu)
    {
        var value = new byte[recordBytes];
        new Random(7).NextBytes(value);
        await using var producer = await new ProducerBuilder<Null, byte[]>(config).SetClient(client).BuildAsync().ConfigureAwait(false);
        long failed = 0;
        Error? firstError = null;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
            {
                firstError = report.Error;
            }
        };
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var brokersBefore = brokerCpu();
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            producer.Produce(topic, new Message<Null, byte[]> { Value = value }, onDelivery);
        }
        await producer.FlushAsync().ConfigureAwait(false);
        watch.Stop();
        var result = new Throughput(records, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - clientBefore, brokerCpu() - brokersBefore);
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {records} records to {topic} were not delivered; first error: {firstError}");
        }
        return result;
    }

    /// <summary>
    /// End-to-end latency at a steady rate over every partition of a topic: one thread produces at <paramref name="rate"/>
    /// records/s (null key: the sticky partitioner spreads batches), stamping the monotonic clock and a sequence number
    /// into each value; a consumer in this process, assigned to every partition from the beginning, takes the moment
    /// Consume returns each record. Records produced during the warm-up are not counted.
    /// </summary>
    public static async Task<ClusterLatency> LatencyAsync(OrlogClient client, ProducerConfig producerConfig, ConsumerConfig consumerConfig, string topic, int partitions,
        int rate, TimeSpan warmup, TimeSpan duration, int recordBytes)
    {
        var total = (long)(rate * (warmup + duration).TotalSeconds);
        var sentAt = new long[total];
        var latency = new long[total];
        await using var producer = await new ProducerBuilder<Null, byte[]>(producerConfig).SetClient(client).BuildAsync().ConfigureAwait(false);
        await using var consumer = await new ConsumerBuilder<Ignore, byte[]>(consumerConfig).SetClient(client).BuildAsync().ConfigureAwait(false);
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        long received = 0;
        Exception? consumeError = null;
        var consuming = new Thread(() =>
        {
            try
            {
                var idle = Stopwatch.StartNew();
                while (Interlocked.Read(ref received) < total && idle.Elapsed < TimeSpan.FromSeconds(30))
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result is null)
                    {
                        continue;
                    }
                    var now = Stopwatch.GetTimestamp();
                    var value = result.Message!.Value;
                    var sequence = BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(8));
                    latency[sequence] = now - BinaryPrimitives.ReadInt64LittleEndian(value);
                    Interlocked.Increment(ref received);
                    idle.Restart();
                }
            }
            catch (Exception error)
            {
                consumeError = error;
            }
        })
        { IsBackground = true, Name = "latency consumer" };
        consuming.Start();

        long failed = 0;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate));
            while (sent < due)
            {
                var value = new byte[recordBytes];
                var now = Stopwatch.GetTimestamp();
                BinaryPrimitives.WriteInt64LittleEndian(value, now);
                BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(8), sent);
                sentAt[sent] = now;
                producer.Produce(topic, new Message<Null, byte[]> { Value = value }, onDelivery);
                sent++;
            }
            Thread.Sleep(1);
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        await producer.FlushAsync().ConfigureAwait(false);
        consuming.Join();
        if (consumeError is not null)
        {
            throw new InvalidOperationException($"The latency consumer failed: {consumeError.Message}", consumeError);
        }
        if (failed > 0 || received != total)
        {
            throw new InvalidOperationException($"Latency run: {failed} records failed, {received} of {total} consumed.");
        }
        var measuredFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var counted = new List<double>((int)total);
        for (long i = 0; i < total; i++)
        {
            if (sentAt[i] >= measuredFrom)
            {
                counted.Add(latency[i] * 1000.0 / Stopwatch.Frequency);
            }
        }
        counted.Sort();
        return new ClusterLatency(Percentile(counted, 0.50), Percentile(counted, 0.99), Percentile(counted, 0.999), counted[^1], total / elapsed.TotalSeconds, counted.Count);
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
