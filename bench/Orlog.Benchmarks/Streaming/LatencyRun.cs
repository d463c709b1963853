using System.Buffers.Binary;
using System.Diagnostics;
using Orlog.Client;

namespace Orlog.Benchmarks.Streaming;

/// <summary>End-to-end latency percentiles in milliseconds, and the rate the producer kept.</summary>
internal readonly record struct Latency(double P50, double P99, double P999, double Max, double RecordsPerSecond, long Records);

/// <summary>
/// End-to-end latency at a steady rate: one thread produces records at <c>rate</c> per second (each Produce
/// call stamps the moment of the call, from the monotonic clock, and a sequence number into the record's
/// value); a consumer assigned to the topic's first <c>partitions</c> partitions in the same process takes the
/// moment Consume returns each record. The latency of a record is the difference. Records produced during the
/// warm-up are not counted.
/// </summary>
internal static class LatencyRun
{
    public static async Task<Latency> RunAsync(OrlogClient client, ProducerConfig producerConfig, ConsumerConfig consumerConfig, string topic, int rate,
        TimeSpan warmup, TimeSpan duration, int recordBytes, int partitions = 1)
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
        var counted = new List<double>((int)(total - rate * warmup.TotalSeconds) + 1);
        for (long i = 0; i < total; i++)
        {
            if (sentAt[i] >= measuredFrom)
            {
                counted.Add(latency[i] * 1000.0 / Stopwatch.Frequency);
            }
        }
        counted.Sort();
        return new Latency(Percentile(counted, 0.50), Percentile(counted, 0.99), Percentile(counted, 0.999), counted[^1], total / elapsed.TotalSeconds, counted.Count);
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
