namespace Orlog.Client;

/// <summary>The producer's settings.</summary>
internal static partial class ClientSettings
{
    private const string NoTransactions =
        "Orlog has no transactions yet. Produce with enable.idempotence=true (the default): each partition gets every record once, in order.";

    public static readonly ClientSetting Acks = new()
    {
        Name = "acks",
        Aliases = ["request.required.acks"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Choice,
        Choices = ["all", "-1", "0", "1"],
        Default = "all",
        Description = "When a write counts as done: all (or -1) once every in-sync replica has it, 1 once the leader has it, 0 when it is sent.",
    };

    public static readonly ClientSetting EnableIdempotence = new()
    {
        Name = "enable.idempotence",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Bool,
        Default = "true",
        Description = "Each record is written once and in order per partition, even when sends are retried (needs acks=all); acks 0 or 1 given alone turns it off.",
    };

    public static readonly ClientSetting LingerMs = new()
    {
        Name = "linger.ms",
        Aliases = ["queue.buffering.max.ms"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Double,
        Default = "5",
        Min = 0,
        Max = 900_000,
        Description = "How long a batch waits for more records before it is sent (fractions round up to a whole millisecond).",
    };

    public static readonly ClientSetting BatchSize = new()
    {
        Name = "batch.size",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Int,
        Default = "16384",
        Min = 1,
        Description = "The bytes of records a batch holds before it is sent without waiting for linger.ms.",
    };

    public static readonly ClientSetting CompressionType = new()
    {
        Name = "compression.type",
        Aliases = ["compression.codec"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Choice,
        Choices = ["none", "gzip", "snappy", "lz4", "zstd"],
        Default = "none",
        Description = "How batches are compressed before they are sent.",
    };

    public static readonly ClientSetting MaxInFlight = new()
    {
        Name = "max.in.flight.requests.per.connection",
        Aliases = ["max.in.flight"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Int,
        Default = "5",
        Min = 1,
        Description = "Batches sent to one partition and not yet answered (at most 5 with enable.idempotence).",
    };

    public static readonly ClientSetting Retries = new()
    {
        Name = "retries",
        Aliases = ["message.send.max.retries"],
        Scope = SettingScope.Producer | SettingScope.Admin,
        Kind = SettingKind.Int,
        Default = "2147483647",
        Min = 0,
        Description = "How often a failed batch is sent again (within delivery.timeout.ms); the admin client takes it with no effect.",
    };

    public static readonly ClientSetting DeliveryTimeoutMs = new()
    {
        Name = "delivery.timeout.ms",
        Aliases = ["message.timeout.ms"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Int,
        Default = "120000",
        Min = 1,
        Description = "How long a record may take from Produce to its acknowledgement, retries included, before it fails.",
    };

    public static readonly ClientSetting BufferMemory = new()
    {
        Name = "buffer.memory",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Long,
        Default = "33554432",
        Min = 1,
        Max = int.MaxValue,
        Description = "The bytes of records waiting to be sent; Produce waits for room (up to max.block.ms) when they are full.",
    };

    public static readonly ClientSetting QueueBufferingMaxKbytes = new()
    {
        Name = "queue.buffering.max.kbytes",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Int,
        Min = 1,
        Max = int.MaxValue / 1024,
        Description = "librdkafka's name for buffer.memory, in KiB; buffer.memory wins when both are given.",
    };

    public static readonly ClientSetting MaxBlockMs = new()
    {
        Name = "max.block.ms",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Long,
        Default = "60000",
        Min = 0,
        Max = int.MaxValue,
        Description = "How long a send may wait for topic metadata or for room in buffer.memory before it fails.",
    };

    public static readonly ClientSetting MaxRequestSize = new()
    {
        Name = "max.request.size",
        Aliases = ["message.max.bytes"],
        Scope = SettingScope.Producer,
        Kind = SettingKind.Int,
        Default = "1048576",
        Min = 1,
        Description = "The largest record (with its batch header) the producer sends; a larger one fails at once with MESSAGE_TOO_LARGE.",
    };

    public static readonly ClientSetting Partitioner = new()
    {
        Name = "partitioner",
        Scope = SettingScope.Producer,
        Kind = SettingKind.Choice,
        Choices = ["murmur2_random", "murmur2", "consistent_random", "consistent", "random", "fnv1a", "fnv1a_random"],
        Default = "murmur2_random",
        Refuse = value => value.StartsWith("murmur2", StringComparison.Ordinal) ? null
            : "Orlog partitions keyed records by the key's murmur2 hash, as Kafka's Java client does. Use partitioner=murmur2_random, or give each record its partition.",
        Description = "Keyed records go to the murmur2 hash of the key, as in Kafka's Java client; records without a key stick to one partition per batch.",
    };

    private static IEnumerable<ClientSetting> Producer()
    {
        yield return Acks;
        yield return EnableIdempotence;
        yield return LingerMs;
        yield return BatchSize;
        yield return CompressionType;
        yield return MaxInFlight;
        yield return Retries;
        yield return DeliveryTimeoutMs;
        yield return BufferMemory;
        yield return QueueBufferingMaxKbytes;
        yield return MaxBlockMs;
        yield return MaxRequestSize;
        yield return Partitioner;
        yield return Refused("transactional.id", SettingScope.Producer, SettingKind.Text, "The producer's transactional id.", NoTransactions);
        yield return NoEffect("transaction.timeout.ms", SettingScope.Producer, SettingKind.Int, "How long a transaction may stay open.", NoTransactions);
        yield return new ClientSetting
        {
            Name = "transaction.two.phase.commit.enable",
            Scope = SettingScope.Producer,
            Kind = SettingKind.Bool,
            Default = "false",
            Effect = SettingEffect.NoEffect,
            Why = NoTransactions,
            Refuse = value => value == "true" ? NoTransactions : null,
            Description = "Two-phase commit of transactions (KIP-939).",
        };
        yield return new ClientSetting
        {
            Name = "queuing.strategy",
            Scope = SettingScope.Producer,
            Kind = SettingKind.Choice,
            Choices = ["fifo", "lifo"],
            Default = "fifo",
            Effect = SettingEffect.NoEffect,
            Why = "Records are always sent in the order they were produced.",
            Refuse = value => value == "fifo" ? null : "Records are always sent in the order they were produced (fifo).",
            Description = "The order of records waiting to be sent.",
        };
        yield return Refused("partitioner.class", SettingScope.Producer, SettingKind.Text, "A Java partitioner class.",
            "A Java class cannot run in Orlog's client. Records are partitioned by the key's murmur2 hash; give a record its partition (a TopicPartition) to choose one.");
        foreach (var setting in NoEffect(SettingScope.Producer, "Orlog bounds batches and the buffer by bytes only: batch.size and buffer.memory.",
            ("batch.num.messages", SettingKind.Int, "librdkafka's largest number of records in a batch."),
            ("queue.buffering.max.messages", SettingKind.Int, "librdkafka's largest number of records waiting to be sent."),
            ("queue.buffering.backpressure.threshold", SettingKind.Int, "librdkafka's batching backpressure.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Producer, "Orlog compresses with each codec's default level.",
            ("compression.level", SettingKind.Int, "librdkafka's compression level."),
            ("compression.gzip.level", SettingKind.Int, "The Java client's gzip level."),
            ("compression.lz4.level", SettingKind.Int, "The Java client's lz4 level."),
            ("compression.zstd.level", SettingKind.Int, "The Java client's zstd level.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Producer,
            "Records without a key stick to one partition until its batch is sent; there is no adaptive balancing by broker load.",
            ("sticky.partitioning.linger.ms", SettingKind.Int, "librdkafka's sticky partition period."),
            ("partitioner.adaptive.partitioning.enable", SettingKind.Bool, "The Java client's load-aware partitioning."),
            ("partitioner.availability.timeout.ms", SettingKind.Long, "The Java client's unavailable-broker partitioning."),
            ("partitioner.ignore.keys", SettingKind.Bool, "The Java client ignores keys when partitioning.")))
        {
            yield return setting;
        }
        foreach (var setting in NoEffect(SettingScope.Producer, CApiWhy,
            ("dr_cb", SettingKind.Text, "librdkafka's delivery report callback (Orlog: the Produce handler)."),
            ("dr_msg_cb", SettingKind.Text, "librdkafka's per-record delivery callback (Orlog: the Produce handler)."),
            ("partitioner_cb", SettingKind.Text, "librdkafka's partitioner callback."),
            ("msg_order_cmp", SettingKind.Text, "librdkafka's record order comparator."),
            ("key.serializer", SettingKind.Text, "The Java key serializer class (Orlog: SetKeySerializer)."),
            ("value.serializer", SettingKind.Text, "The Java value serializer class (Orlog: SetValueSerializer).")))
        {
            yield return setting;
        }
        yield return NoEffect("delivery.report.only.error", SettingScope.Producer, SettingKind.Bool, "Report only failed deliveries.",
            "Every record's delivery is reported to its task or handler.");
        yield return NoEffect("produce.offset.report", SettingScope.Producer, SettingKind.Bool, "Report each record's offset (deprecated).",
            "Every delivery report carries the record's offset.");
        yield return NoEffect("enable.gapless.guarantee", SettingScope.Producer, SettingKind.Bool, "Fail the producer on a gap in an idempotent sequence.",
            "An idempotent producer's records are written in order per partition; a batch that cannot be written fails the records after it too.");
        foreach (var setting in NoEffect(SettingScope.Producer, "A Confluent.Kafka setting of its .NET wrapper; Orlog's producer always reports deliveries as it does by default.",
            ("dotnet.producer.enable.background.poll", SettingKind.Bool, "Confluent.Kafka polls for delivery reports on a thread of its own."),
            ("dotnet.producer.enable.delivery.reports", SettingKind.Bool, "Confluent.Kafka reports deliveries."),
            ("dotnet.producer.delivery.report.fields", SettingKind.List, "The fields a Confluent.Kafka delivery report carries.")))
        {
            yield return setting;
        }
    }
}
