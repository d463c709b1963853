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
                if (description.Partitions.Count > 0 && description.Partitions.All(p => p.LeaderId >= 0 && p.IsrIds.Count == p.ReplicaIds.Count))
                {
                    return watch.Elapsed;
                }
                last = string.Join("; ", description.Partitions.Select(p => $"p{p.Partition} leader {p.LeaderId} isr [{string.Join(',', p.IsrIds)}] of [{string.Join(',', p.ReplicaIds)}]"));
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

}
