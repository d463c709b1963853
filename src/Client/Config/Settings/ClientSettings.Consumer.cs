namespace Orlog.Client;

/// <summary>The consumer's settings.</summary>
internal static partial class ClientSettings
{
    private const string ServerSideGroups =
        "under group.protocol=consumer (KIP-848, the default) the coordinator assigns partitions (group.remote.assignor) and sets the heartbeat interval.";

    private const string ClassicGroups = "under group.protocol=classic the group's leader member assigns partitions (partition.assignment.strategy).";

    // The client-side assignors Orlog's classic member offers, by the names librdkafka and the Java client use.
    private static readonly Dictionary<string, string> _assignorNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["range"] = "range",
        ["roundrobin"] = "roundrobin",
        ["org.apache.kafka.clients.consumer.RangeAssignor"] = "range",
        ["org.apache.kafka.clients.consumer.RoundRobinAssignor"] = "roundrobin",
    };

    // Assignors Kafka knows and Orlog's classic member does not offer (it rebalances eagerly).
    private static readonly HashSet<string> _assignorsNotOffered = new(StringComparer.OrdinalIgnoreCase)
    {
        "cooperative-sticky",
        "sticky",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        "org.apache.kafka.clients.consumer.StickyAssignor",
    };

    public static readonly ClientSetting GroupId = new()
    {
        Name = "group.id",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Text,
        Description = "The consumer group: needed to Subscribe and to commit offsets.",
    };

    public static readonly ClientSetting GroupInstanceId = new()
    {
        Name = "group.instance.id",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Text,
        Check = NotEmpty,
        Description = "Makes the member static: it keeps its partitions through a restart shorter than session.timeout.ms.",
    };

    public static readonly ClientSetting AutoOffsetReset = new()
    {
        Name = "auto.offset.reset",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Choice,
        Choices = ["latest", "earliest", "none", "error", "smallest", "largest", "beginning", "end"],
        Default = "latest",
        Description = "Where a partition without a committed offset (or with one out of range) starts: earliest (smallest, beginning), latest (largest, end), or none (error): Consume throws.",
    };

    public static readonly ClientSetting FetchMinBytes = new()
    {
        Name = "fetch.min.bytes",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "1",
        Min = 0,
        Description = "The bytes a fetch waits for (up to fetch.max.wait.ms) before the broker answers.",
    };

    public static readonly ClientSetting FetchMaxWaitMs = new()
    {
        Name = "fetch.max.wait.ms",
        Aliases = ["fetch.wait.max.ms"],
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "500",
        Min = 0,
        Description = "How long a fetch waits at the end of the log for fetch.min.bytes.",
    };

    public static readonly ClientSetting MaxPartitionFetchBytes = new()
    {
        Name = "max.partition.fetch.bytes",
        Aliases = ["fetch.message.max.bytes"],
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "1048576",
        Min = 1,
        Description = "The most bytes one fetch returns of one partition (the first batch comes whole even if larger).",
    };

    public static readonly ClientSetting FetchMaxBytes = new()
    {
        Name = "fetch.max.bytes",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "52428800",
        Min = 1,
        Description = "The most bytes one fetch returns.",
    };

    public static readonly ClientSetting EnablePartitionEof = new()
    {
        Name = "enable.partition.eof",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Bool,
        Default = "false",
        Description = "Consume returns a result with IsPartitionEOF when it reaches the end of a partition.",
    };

    public static readonly ClientSetting CheckCrcs = new()
    {
        Name = "check.crcs",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Bool,
        Default = "true",
        Description = "Check each fetched batch's CRC before its records are returned.",
    };

    public static readonly ClientSetting QueuedMaxMessagesKbytes = new()
    {
        Name = "queued.max.messages.kbytes",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "65536",
        Min = 1,
        Max = 2_097_151,
        Description = "The KiB of fetched records waiting for Consume; fetching pauses while they are full.",
    };

    public static readonly ClientSetting SessionTimeoutMs = new()
    {
        Name = "session.timeout.ms",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "45000",
        Min = 1,
        Description = "A member not heard from for this long is removed from the group and its partitions go to others.",
    };

    public static readonly ClientSetting MaxPollIntervalMs = new()
    {
        Name = "max.poll.interval.ms",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "300000",
        Min = 1,
        Description = "A member that does not call Consume for this long leaves the group; the next Consume joins again.",
    };

    public static readonly ClientSetting EnableAutoCommit = new()
    {
        Name = "enable.auto.commit",
        Aliases = ["auto.commit.enable"],
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Bool,
        Default = "true",
        Description = "Commit the stored offsets in the background every auto.commit.interval.ms, on revocation and at Close.",
    };

    public static readonly ClientSetting AutoCommitIntervalMs = new()
    {
        Name = "auto.commit.interval.ms",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "5000",
        Min = 0,
        Description = "How often enable.auto.commit commits.",
    };

    public static readonly ClientSetting EnableAutoOffsetStore = new()
    {
        Name = "enable.auto.offset.store",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Bool,
        Default = "true",
        Description = "Consume stores each returned record's next offset for the next commit; false: only StoreOffset does.",
    };

    public static readonly ClientSetting GroupProtocol = new()
    {
        Name = "group.protocol",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Choice,
        Choices = ["consumer", "classic"],
        Default = "consumer",
        Description = "How the consumer joins its group: consumer, the server-side protocol of KIP-848 (the coordinator assigns, incrementally); "
            + "classic, JoinGroup and SyncGroup (the leader member assigns with partition.assignment.strategy, eagerly), as Kafka clients before 4.0 and librdkafka's default do.",
    };

    public static readonly ClientSetting GroupRemoteAssignor = new()
    {
        Name = "group.remote.assignor",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Choice,
        Choices = ["uniform", "range"],
        IgnoreWhen = (_, config) => config.Value(GroupProtocol) == "classic" ? ClassicGroups : null,
        Description = "The coordinator's assignor for this group under group.protocol=consumer: uniform or range (unset: the broker's default).",
    };

    public static readonly ClientSetting HeartbeatIntervalMs = new()
    {
        Name = "heartbeat.interval.ms",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.Int,
        Default = "3000",
        Min = 1,
        Max = 3_600_000,
        IgnoreWhen = (_, config) => config.Value(GroupProtocol) == "consumer" ? ServerSideGroups : null,
        Description = "How often a classic member heartbeats (group.protocol=classic); keep it well under session.timeout.ms.",
    };

    public static readonly ClientSetting PartitionAssignmentStrategy = new()
    {
        Name = "partition.assignment.strategy",
        Scope = SettingScope.Consumer,
        Kind = SettingKind.List,
        Default = "range,roundrobin",
        Check = CheckAssignors,
        Ignore = value => AssignorsNotOffered(value) is not { Count: > 0 } ignored ? null
            : OfferedAssignors(value) is [_] && AssignorList(value).All(_assignorsNotOffered.Contains)
                ? $"Orlog's classic member rebalances eagerly and does not offer {string.Join(", ", ignored)}; it offers range instead, which members of "
                    + "other clients offering only cooperative assignors do not share (group.protocol=consumer rebalances incrementally)."
                : $"Orlog's classic member rebalances eagerly and does not offer {string.Join(", ", ignored)}; the others in the list are offered.",
        IgnoreWhen = (_, config) => config.Value(GroupProtocol) == "consumer" ? ServerSideGroups : null,
        Description = "The client-side assignors a classic member offers, in order of preference: range, roundrobin (or the Java client's class names).",
    };

    /// <summary>The assignors of a partition.assignment.strategy value that Orlog offers, by their protocol names, in order (range when it offers none of them).</summary>
    public static IReadOnlyList<string> OfferedAssignors(string value)
    {
        var offered = new List<string>();
        foreach (var name in AssignorList(value))
        {
            if (_assignorNames.TryGetValue(name, out var protocol) && !offered.Contains(protocol))
            {
                offered.Add(protocol);
            }
        }
        return offered.Count > 0 ? offered : ["range"];
    }

    private static string? CheckAssignors(string value)
    {
        foreach (var name in AssignorList(value))
        {
            if (!_assignorNames.ContainsKey(name) && !_assignorsNotOffered.Contains(name))
            {
                return $"names an unknown assignor '{name}' (known: range, roundrobin, cooperative-sticky, sticky)";
            }
        }
        return AssignorList(value).Any() ? null : "must name at least one assignor";
    }

    private static List<string> AssignorsNotOffered(string value) => [.. AssignorList(value).Where(_assignorsNotOffered.Contains)];

    private static IEnumerable<string> AssignorList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<ClientSetting> Consumer()
    {
        yield return GroupId;
        yield return GroupInstanceId;
        yield return AutoOffsetReset;
        yield return FetchMinBytes;
        yield return FetchMaxWaitMs;
        yield return MaxPartitionFetchBytes;
        yield return FetchMaxBytes;
        yield return EnablePartitionEof;
        yield return CheckCrcs;
        yield return QueuedMaxMessagesKbytes;
        yield return SessionTimeoutMs;
        yield return MaxPollIntervalMs;
        yield return EnableAutoCommit;
        yield return AutoCommitIntervalMs;
        yield return EnableAutoOffsetStore;
        yield return GroupRemoteAssignor;
        yield return GroupProtocol;
        yield return HeartbeatIntervalMs;
        yield return PartitionAssignmentStrategy;
        yield return NoEffect("group.protocol.type", SettingScope.Consumer, SettingKind.Text, "The classic protocol's type.",
            "A classic member joins with protocol type consumer, as Kafka's consumers do.");
        yield return NoEffect("coordinator.query.interval.ms", SettingScope.Consumer, SettingKind.Int, "How often librdkafka looks the coordinator up.",
            "Orleans routes every call to the group's coordinator grain; there is no coordinator to look up.");
        yield return NoEffect("max.poll.records", SettingScope.Consumer, SettingKind.Int, "The most records one poll returns.",
            "Consume returns one record at a time, as Confluent.Kafka's does; records are fetched ahead up to queued.max.messages.kbytes.");
        yield return NoEffect("isolation.level", SettingScope.Consumer, SettingKind.Choice, "Whether records of open transactions are read.",
            "Orlog has no transactions, so every record is committed: read_committed and read_uncommitted read the same records.");
        yield return NoEffect("queued.min.messages", SettingScope.Consumer, SettingKind.Int, "librdkafka prefetches this many records per partition.",
            "Fetching ahead is bounded by bytes: queued.max.messages.kbytes.");
        foreach (var setting in NoEffect(SettingScope.Consumer, "A failed fetch is retried after retry.backoff.ms.",
            ("fetch.error.backoff.ms", SettingKind.Int, "librdkafka's wait after a fetch error."),
            ("fetch.queue.backoff.ms", SettingKind.Int, "librdkafka's wait when its fetch queue is full.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Consumer, "Offsets are committed to the group's coordinator, as with offset.store.method=broker.",
            ("offset.store.method", SettingKind.Choice, "Where librdkafka stored offsets (deprecated)."),
            ("offset.store.path", SettingKind.Text, "The file of offset.store.method=file (deprecated)."),
            ("offset.store.sync.interval.ms", SettingKind.Int, "How often that file was synced (deprecated).")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Consumer, CApiWhy,
            ("consume_cb", SettingKind.Text, "librdkafka's consume callback."),
            ("consume.callback.max.messages", SettingKind.Int, "Records per consume callback call."),
            ("rebalance_cb", SettingKind.Text, "librdkafka's rebalance callback (Orlog: the partitions assigned, revoked and lost handlers)."),
            ("offset_commit_cb", SettingKind.Text, "librdkafka's commit callback (Orlog: SetOffsetsCommittedHandler)."),
            ("key.deserializer", SettingKind.Text, "The Java key deserializer class (Orlog: SetKeyDeserializer)."),
            ("value.deserializer", SettingKind.Text, "The Java value deserializer class (Orlog: SetValueDeserializer).")))
        {
            yield return setting;
        }
        yield return NoEffect("share.acknowledgement.mode", SettingScope.Consumer, SettingKind.Text, "How a share group consumer acknowledges records (KIP-932).",
            "Orlog has no share groups; a consumer group member commits offsets.");
        yield return NoEffect("exclude.internal.topics", SettingScope.Consumer, SettingKind.Bool, "Keep internal topics out of pattern subscriptions.",
            "Orlog has no internal topics: group offsets and metadata live in the cluster's grains.");
        yield return NoEffect("default.api.timeout.ms", SettingScope.Consumer | SettingScope.Admin, SettingKind.Int, "The timeout of blocking calls without one.",
            "Orlog's blocking calls take a timeout of their own, or request.timeout.ms.");
        foreach (var setting in NoEffect(SettingScope.Consumer, "An internal setting of the Java client.",
            ("internal.leave.group.on.close", SettingKind.Bool, "Whether the Java consumer leaves its group at close."),
            ("internal.throw.on.fetch.stable.offset.unsupported", SettingKind.Bool, "A Java consumer compatibility switch.")))
        {
            yield return setting;
        }
        yield return NoEffect("dotnet.consumer.consume.result.fields", SettingScope.Consumer, SettingKind.List, "The fields a Confluent.Kafka consume result carries.",
            "Orlog's consume results always carry every field.");
    }

    private static IEnumerable<ClientSetting> Admin()
    {
        yield return Refused("bootstrap.controllers", SettingScope.Admin, SettingKind.List, "The Java admin client's controller endpoints (KIP-919).",
            "Orlog's admin client talks to any silo's gateway: use bootstrap.servers.");
    }
}
