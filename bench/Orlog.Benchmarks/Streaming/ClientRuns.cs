using System.Diagnostics;
using Orlog.Client;

namespace Orlog.Benchmarks.Streaming;

/// <summary>A measured rate with the CPU the client (this process) and the silo spent on it.</summary>
internal readonly record struct Measured(Rate Rate, TimeSpan ClientCpu, TimeSpan SiloCpu, int ClientGen0, int ClientGen2)
{
    /// <summary>Cores busy on average in the client.</summary>
    public double ClientCores => ClientCpu / Rate.Elapsed;

    /// <summary>Cores busy on average in the silo.</summary>
    public double SiloCores => SiloCpu / Rate.Elapsed;
}

/// <summary>CPU time of this process and the silo, and this process' collections, between Start and Stop.</summary>
internal sealed class CpuMeter(SiloRunner silo)
{
    private TimeSpan _client;
    private TimeSpan _silo;
    private int _gen0;
    private int _gen2;

    public void Start()
    {
        _client = Process.GetCurrentProcess().TotalProcessorTime;
        _silo = silo.CpuTime;
        _gen0 = GC.CollectionCount(0);
        _gen2 = GC.CollectionCount(2);
    }

    public Measured Stop(Rate rate) =>
        new(rate, Process.GetCurrentProcess().TotalProcessorTime - _client, silo.CpuTime - _silo, GC.CollectionCount(0) - _gen0, GC.CollectionCount(2) - _gen2);
}

/// <summary>Produce and consume through the SDK, as an application would.</summary>
internal static class ClientRuns
{
    /// <summary>
    /// Produces <paramref name="records"/> records of <paramref name="recordBytes"/> bytes (null key, one value
    /// array shared by every record, as kafka-producer-perf-test does) from one thread with Produce, timed from the
    /// first call until Flush returns, that is until every record was acknowledged. With <paramref name="reportEach"/>
    /// every record has a message of its own and a delivery handler (as kafka-producer-perf-test's callback); without
    /// it one message is sent again and again and deliveries are counted by the batch delivery handler, one call a batch.
    /// </summary>
    public static async Task<Measured> ProduceAsync(OrlogClient client, ProducerConfig config, string topic, long records, int recordBytes, CpuMeter meter,
        bool reportEach = true)
    {
        var value = new byte[recordBytes];
        new Random(7).NextBytes(value);
        long failed = 0;
        Error? firstError = null;
        void Failed(Error error, int count)
        {
            if (Interlocked.Add(ref failed, count) == count)
            {
                firstError = error;
            }
        }
        var builder = new ProducerBuilder<Null, byte[]>(config).SetClient(client);
        if (!reportEach)
        {
            builder.SetBatchDeliveryHandler((_, batch) =>
            {
                if (batch.Error.IsError)
                {
                    Failed(batch.Error, batch.Count);
                }
            });
        }
        await using var producer = await builder.BuildAsync().ConfigureAwait(false);
        // One delegate for every record (a local function passed as a delegate would allocate one per call).
        Action<DeliveryReport<Null, byte[]>>? onDelivery = !reportEach ? null : report =>
        {
            if (report.Error.IsError)
            {
                Failed(report.Error, 1);
            }
        };
        // Produce has serialized a message when it returns: a caller that counts by batch may send one message again.
        var shared = new Message<Null, byte[]> { Value = value };
        meter.Start();
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            producer.Produce(topic, reportEach ? new Message<Null, byte[]> { Value = value } : shared, onDelivery);
        }
        await producer.FlushAsync().ConfigureAwait(false);
        watch.Stop();
        var measured = meter.Stop(new Rate(records, records * recordBytes, watch.Elapsed));
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {records} records to {topic} were not delivered; first error: {firstError}");
        }
        return measured;
    }

    /// <summary>
    /// Reads every record of <paramref name="partitions"/> partitions of <paramref name="topic"/> from the beginning
    /// with an assigned consumer (values as byte[]), timed from Assign until the last record is returned.
    /// </summary>
    public static async Task<Measured> ConsumeAsync(OrlogClient client, ConsumerConfig config, string topic, int partitions, long records, int recordBytes, CpuMeter meter)
    {
        await using var consumer = await new ConsumerBuilder<Ignore, byte[]>(config).SetClient(client).BuildAsync().ConfigureAwait(false);
        long read = 0, bytes = 0;
        var timeout = TimeSpan.FromSeconds(30);
        meter.Start();
        var watch = Stopwatch.StartNew();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        while (read < records)
        {
            var result = consumer.Consume(timeout)
                ?? throw new InvalidOperationException($"No record of {topic} arrived within {timeout.TotalSeconds:F0} s after {read} of {records}.");
            bytes += result.Message!.Value.Length;
            read++;
        }
        watch.Stop();
        var measured = meter.Stop(new Rate(read, bytes, watch.Elapsed));
        if (bytes != records * recordBytes)
        {
            throw new InvalidOperationException($"Read {bytes} value bytes from {topic}, expected {records * recordBytes}.");
        }
        consumer.Close();
        return measured;
    }
}
