using System.Diagnostics;
using Orlog.Client;

namespace Orlog.Benchmarks.Cluster;

/// <summary>
/// One move of a partition's only replica to another broker: the bytes its log held on disk, seconds from the
/// request until the new replica joined the ISR and until the reassignment completed (the old replica removed),
/// and until the old replica's directory was gone from its broker's data directory.
/// </summary>
internal sealed record ReassignMove(int From, int To, long Bytes, double JoinSeconds, double CompleteSeconds, double DeletedSeconds, TimeSpan BrokerCpu)
{
    /// <summary>CPU of the three brokers together (user + system) over the move, in cores.</summary>
    public double BrokerCores => BrokerCpu.TotalSeconds / CompleteSeconds;

    /// <summary>Megabytes (10^6 bytes) per second, from the request to the completion.</summary>
    public double MegabytesPerSecond => Bytes / 1e6 / CompleteSeconds;

    /// <summary>
    /// Moves <paramref name="topic"/>'s partition 0 (one replica) from the broker holding it to the next broker
    /// (1 → 2 → 3 → 1) with the admin client, as `orlog partitions reassign TOPIC --partition 0 --replicas TO` does,
    /// and watches it through ListPartitionReassignments every 100 ms.
    /// </summary>
    public static async Task<ReassignMove> RunAsync(IAdminClient admin, LocalCluster cluster, string topic, int brokers, TimeSpan timeout)
    {
        var pids = (await cluster.StatusAsync()).Select(b => int.Parse(b.Pid, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var partition = (await admin.DescribeTopicAsync(topic)).Partitions.Single(p => p.Partition == 0);
        var from = partition.ReplicaIds.Single();
        var to = (from % brokers) + 1;
        var directory = Path.Combine(cluster.Directory, $"broker-{from}", $"{topic}-0");
        var bytes = LogBytes(directory);
        if (bytes == 0)
        {
            throw new InvalidOperationException($"{directory} holds no log: the benchmark cannot tell what the move copies");
        }

        var cpuBefore = LocalCluster.CpuTime(pids);
        var watch = Stopwatch.StartNew();
        await admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [new TopicPartition(topic, 0)] = [to] });
        double join = double.NaN;
        while (true)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"moving {topic}-0 from broker {from} to {to} did not complete within {timeout.TotalSeconds:F0} s");
            }
            var running = await admin.ListPartitionReassignmentsAsync(topic);
            if (running.Count == 0)
            {
                break;
            }
            if (double.IsNaN(join) && running[0].Isr.Contains(to))
            {
                join = watch.Elapsed.TotalSeconds;
            }
            await Task.Delay(100);
        }
        var complete = watch.Elapsed.TotalSeconds;
        var cpu = LocalCluster.CpuTime(pids) - cpuBefore;
        if (double.IsNaN(join))
        {
            join = complete; // it joined and completed between two polls
        }
        while (Directory.Exists(directory))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{directory} was still there {timeout.TotalSeconds:F0} s after the move to broker {to} began");
            }
            await Task.Delay(100);
        }
        return new ReassignMove(from, to, bytes, join, complete, watch.Elapsed.TotalSeconds, cpu);
    }

    /// <summary>The size of a replica's segment files (*.log), what a new replica copies.</summary>
    private static long LogBytes(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*.log").Sum(file => new FileInfo(file).Length) : 0;
}
