using System.Globalization;

namespace Orlog.Benchmarks.Compare;

/// <summary>
/// The compare program's arguments: <c>[--quick] [--rounds N] [--out DIR] [--peers orlog,orlog-kafka,redis,nats,orleans,orleans-orlog,postgres]
/// [--workloads W1,W2,W3,W4]</c>, and the workloads they give (issue #6's sizes, or the quick ones).
/// </summary>
internal sealed class CompareOptions
{
    public static readonly string[] AllPeers = ["orlog", "orlog-kafka", "redis", "nats", "orleans", "orleans-orlog", "postgres"];

    public static readonly string[] AllWorkloads = ["W1", "W2", "W3", "W4"];

    public bool Quick { get; private init; }

    public int Rounds { get; private init; }

    /// <summary>Where the section and the chart go; null: docs/ of the repository (a full run only).</summary>
    public string? Out { get; private init; }

    public IReadOnlyList<string> Peers { get; private init; } = AllPeers;

    /// <summary>The workloads to run (ids as in <see cref="AllWorkloads"/>).</summary>
    public IReadOnlyList<string> Workloads { get; private init; } = AllWorkloads;

    public bool Runs(string workload) => Workloads.Contains(workload);

    /// <summary>W1: 100-byte records, one producer into one partition, then one consumer reads them all.</summary>
    public Workload W1 => new("W1", 1, 1, 1, Quick ? 20_000 : 1_000_000, 100, Keyed: false);

    /// <summary>Before the counted rounds each peer writes and reads this once, not counted: the JIT of this process and the peer's caches warm up for every peer alike.</summary>
    public Workload WarmUp => new("warm-up", 1, 1, 1, 20_000, 100, Keyed: false);

    /// <summary>W2: 10 keyed producers into 12 partitions, 3 consumers in one group.</summary>
    public Workload W2 => new("W2", 10, 3, 12, Quick ? 2_000 : 100_000, 100, Keyed: true);

    /// <summary>W3: 1 KiB records, one producer into one partition.</summary>
    public Workload W3 => new("W3", 1, 1, 1, Quick ? 5_000 : 200_000, 1024, Keyed: false);

    /// <summary>W4: records of 100 B at a steady rate, end-to-end latency.</summary>
    public int LatencyRate => Quick ? 5_000 : 50_000;

    public TimeSpan LatencyDuration => TimeSpan.FromSeconds(Quick ? 2 : 30);

    /// <summary>Whether this run may rewrite docs/benchmarks.md and docs/compare.png: a full run of every peer into the repository.</summary>
    public bool IsResult => !Quick && Out is null && Peers.Count == AllPeers.Length && Workloads.Count == AllWorkloads.Length;

    public string NotAResult => Quick ? " (quick run: not a result)" : Peers.Count != AllPeers.Length ? " (some peers only: not a result)"
        : Workloads.Count != AllWorkloads.Length ? " (some workloads only: not a result)" : "";

    public static CompareOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var peers = LoadArguments.String(args, "--peers")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Distinct().ToArray() ?? AllPeers;
        var unknown = peers.Except(AllPeers).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown peer(s) {string.Join(", ", unknown)}; the peers are {string.Join(",", AllPeers)}.");
        }
        var workloads = LoadArguments.String(args, "--workloads")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.ToUpperInvariant()).Distinct().ToArray() ?? AllWorkloads;
        var unknownWorkloads = workloads.Except(AllWorkloads).ToArray();
        if (unknownWorkloads.Length > 0)
        {
            throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknownWorkloads)}; the workloads are {string.Join(",", AllWorkloads)}.");
        }
        var rounds = LoadArguments.Int(args, "--rounds", quick ? 1 : 3);
        if (rounds < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--rounds takes 1 or more, not {rounds}."));
        }
        return new CompareOptions
        {
            Quick = quick,
            Rounds = rounds,
            Out = LoadArguments.String(args, "--out"),
            Peers = peers,
            Workloads = workloads,
        };
    }
}
