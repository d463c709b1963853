using System.Globalization;
using Orlog.Client;

namespace Orlog.Benchmarks.Groups;

/// <summary>The options of the groups load program.</summary>
internal sealed class GroupsOptions
{
    public bool Quick { get; private init; }

    public string? Out { get; private init; }

    public int Runs { get; private init; }

    /// <summary>Members of the group before one joins.</summary>
    public int Members { get; private init; }

    /// <summary>Joins and leaves per run and mode.</summary>
    public int Cycles { get; private init; }

    /// <summary>Partitions of the rebalance runs' topic.</summary>
    public int RebalancePartitions { get; private init; }

    public int SessionTimeoutMs { get; private init; }

    public int HeartbeatIntervalMs { get; private init; }

    public int RebalanceTimeoutMs { get; private init; }

    public long Records { get; private init; }

    /// <summary>Partitions of the throughput topic, and consumers in the group reading it.</summary>
    public int Partitions { get; private init; }

    /// <summary>Consumers in the group that reads the throughput topic.</summary>
    public int Consumers { get; private init; }

    public int MaxPartitionFetchBytes { get; private init; }

    /// <summary>session.timeout.ms of the throughput group's consumers (Kafka's smallest by default: heartbeats every 2 s).</summary>
    public int ThroughputSessionTimeoutMs => 6000;

    public string ProducerSettings => "acks=1, linger.ms=5, batch.size=262144, compression.type=none";

    public string ConsumerSettings => string.Create(CultureInfo.InvariantCulture, $"max.partition.fetch.bytes={MaxPartitionFetchBytes}, values as byte[]");

    public string GroupConsumerSettings => string.Create(CultureInfo.InvariantCulture,
        $"auto.offset.reset=earliest, session.timeout.ms={ThroughputSessionTimeoutMs}, enable.auto.commit=true (every 5 s, the default)");

    public ProducerConfig Producer() => new() { Acks = Acks.Leader, LingerMs = 5, BatchSize = 262_144, ClientId = "bench-groups-producer" };

    public ConsumerConfig AssignConsumer() => new() { MaxPartitionFetchBytes = MaxPartitionFetchBytes, ClientId = "bench-assign" };

    public ConsumerConfig GroupConsumer(string groupId, int index) => new()
    {
        GroupId = groupId,
        ClientId = $"bench-group-{index}",
        MaxPartitionFetchBytes = MaxPartitionFetchBytes,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = ThroughputSessionTimeoutMs,
    };

    /// <summary>Parts left out (--skip rebalance,sdk,throughput): for trying one part, never a result.</summary>
    public string[] Skipped { get; private init; } = [];

    public string[] SiloArguments { get; private init; } = [];

    public bool Skips(string part) => Skipped.Contains(part);

    /// <summary>Whether this run may rewrite docs/benchmarks.md: a full run of every part.</summary>
    public bool IsResult => !Quick && Skipped.Length == 0;

    public string NotAResult => Quick ? " (quick run: not a result)" : Skipped.Length > 0 ? $" (partial run, --skip {string.Join(',', Skipped)}: not a result)" : "";

    public GroupSettings Settings => new(SessionTimeoutMs, HeartbeatIntervalMs, RebalanceTimeoutMs);

    /// <summary>
    /// The broker settings the silo gets: sessions shorter than Kafka's 6 s minimum, so heartbeats come every second
    /// instead of every few, and no initial delay for a classic group's first rebalance.
    /// </summary>
    public string[] GroupBrokerSettings => [$"group.min.session.timeout.ms={Math.Min(1000, SessionTimeoutMs)}", "group.initial.rebalance.delay.ms=0"];

    public static GroupsOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var session = LoadArguments.Int(args, "--session-timeout-ms", quick ? 1500 : 3000);
        return new GroupsOptions
        {
            Quick = quick,
            Out = LoadArguments.String(args, "--out"),
            Runs = LoadArguments.Int(args, "--runs", quick ? 1 : 5),
            Members = LoadArguments.Int(args, "--members", 8),
            Cycles = LoadArguments.Int(args, "--cycles", quick ? 1 : 3),
            RebalancePartitions = LoadArguments.Int(args, "--rebalance-partitions", 64),
            SessionTimeoutMs = session,
            HeartbeatIntervalMs = LoadArguments.Int(args, "--heartbeat-interval-ms", session / 3),
            RebalanceTimeoutMs = LoadArguments.Int(args, "--rebalance-timeout-ms", 30_000),
            Records = LoadArguments.Int(args, "--records", quick ? 200_000 : 10_000_000),
            Partitions = LoadArguments.Int(args, "--partitions", 4),
            Consumers = LoadArguments.Int(args, "--consumers", 4),
            MaxPartitionFetchBytes = LoadArguments.Int(args, "--max-partition-fetch-bytes", 1_048_576),
            Skipped = LoadArguments.String(args, "--skip")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            SiloArguments = [.. args.Where(a => a.StartsWith("--silo:", StringComparison.Ordinal)).Select(a => "--" + a["--silo:".Length..])],
        };
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Runs} runs; rebalance: {Members} members + 1, {Cycles} joins and leaves a run, {RebalancePartitions} partitions, session.timeout.ms={SessionTimeoutMs}, heartbeat every {HeartbeatIntervalMs} ms; " +
        $"throughput: {Records:N0} records of 100 B, {Partitions} partitions, {Consumers} consumers");
}
