using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;
using Orlog.Client.Admin;

namespace Orlog.Cli.Commands;

/// <summary>What the reassignment commands print: plans, the progress of running reassignments, and the wait for them.</summary>
internal static class ReassignmentOutput
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _reportInterval = TimeSpan.FromSeconds(5);

    /// <summary>A drain's or a rebalance's reassignments: TOPIC PARTITION REPLICAS TARGET (and RUNNING for one that ran before).</summary>
    public static void WriteMoves(OutputMode mode, IReadOnlyList<ReplicaMove> moves)
    {
        var rows = moves.Select(m => new[]
        {
            m.Topic, Number(m.Partition), Ids(m.Replicas), Ids(m.TargetReplicas), m.AlreadyRunning ? "yes" : "no",
        }).ToList<string?[]>();
        var json = moves.Select(m => new Dictionary<string, object?>
        {
            ["topic"] = m.Topic,
            ["partition"] = m.Partition,
            ["replicas"] = m.Replicas,
            ["targetReplicas"] = m.TargetReplicas,
            ["alreadyRunning"] = m.AlreadyRunning,
        }).ToList();
        Listing.Write(mode, ["TOPIC", "PARTITION", "REPLICAS", "TARGET", "ALREADY-RUNNING"], rows, json);
    }

    /// <summary>
    /// The running reassignments: TOPIC PARTITION LEADER REPLICAS TARGET ADDING REMOVING ISR OFFSETS-BEHIND
    /// BYTES-BEHIND, the last two one value per adding replica, in ADDING's order (- where unknown).
    /// </summary>
    public static void WriteStatus(OutputMode mode, IReadOnlyList<PartitionReassignment> running)
    {
        var rows = running.Select(r => new[]
        {
            r.Topic,
            Number(r.Partition),
            r.Leader < 0 ? null : Number(r.Leader),
            Ids(r.Replicas),
            Ids(r.TargetReplicas),
            Ids(r.AddingReplicas),
            Ids(r.RemovingReplicas),
            Ids(r.Isr),
            string.Join(',', r.Progress.Select(p => p.OffsetsBehind < 0 ? "-" : Number(p.OffsetsBehind))),
            string.Join(',', r.Progress.Select(p => p.BytesBehind < 0 ? "-" : Number(p.BytesBehind))),
        }).ToList<string?[]>();
        var json = running.Select(r => new Dictionary<string, object?>
        {
            ["topic"] = r.Topic,
            ["partition"] = r.Partition,
            ["leader"] = r.Leader,
            ["replicas"] = r.Replicas,
            ["targetReplicas"] = r.TargetReplicas,
            ["addingReplicas"] = r.AddingReplicas,
            ["removingReplicas"] = r.RemovingReplicas,
            ["isr"] = r.Isr,
            ["leaderLogEndOffset"] = r.LeaderLogEndOffset,
            ["adding"] = r.Progress.Select(p => new Dictionary<string, object?>
            {
                ["broker"] = p.BrokerId,
                ["inSync"] = p.InSync,
                ["logEndOffset"] = p.LogEndOffset,
                ["offsetsBehind"] = p.OffsetsBehind,
                ["sizeBytes"] = p.SizeBytes,
                ["bytesBehind"] = p.BytesBehind,
            }).ToList(),
        }).ToList();
        Listing.Write(mode, ["TOPIC", "PARTITION", "LEADER", "REPLICAS", "TARGET", "ADDING", "REMOVING", "ISR", "OFFSETS-BEHIND", "BYTES-BEHIND"], rows, json);
    }

    /// <summary>Waits until none of <paramref name="partitions"/> is being reassigned, saying on stderr what is left every few seconds.</summary>
    public static async Task WaitAsync(IAdminClient admin, IReadOnlyCollection<(string Topic, int Partition)> partitions, CancellationToken cancellation)
    {
        var waited = partitions.ToHashSet();
        var lastReport = DateTimeOffset.MinValue;
        while (true)
        {
            var left = (await admin.ListPartitionReassignmentsAsync(cancellationToken: cancellation)).Where(r => waited.Contains((r.Topic, r.Partition))).ToList();
            if (left.Count == 0)
            {
                Console.Error.WriteLine($"{waited.Count} reassignment(s) complete.");
                return;
            }
            if (DateTimeOffset.UtcNow - lastReport >= _reportInterval)
            {
                lastReport = DateTimeOffset.UtcNow;
                var behind = left.SelectMany(r => r.Progress.Where(p => !p.InSync).Select(p => p.BytesBehind)).Where(b => b > 0).Sum();
                Console.Error.WriteLine($"Waiting for {left.Count} of {waited.Count} reassignment(s) ({string.Join(", ", left.Take(5).Select(r => $"{r.Topic}-{r.Partition}"))}" +
                    $"{(left.Count > 5 ? ", ..." : "")}): new replicas {Number(behind)} bytes behind.");
            }
            await Task.Delay(_pollInterval, cancellation);
        }
    }

    private static string Ids(IEnumerable<int> brokers) => string.Join(',', brokers);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
