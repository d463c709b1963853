using Orlog.Records;

namespace Orlog.Log;

/// <summary>
/// The settings of one partition's log, under Kafka's topic config names. A topic's overrides are
/// laid over the broker's defaults with <see cref="With"/>; <see cref="Validate"/> refuses a value out
/// of range with INVALID_CONFIG naming the setting.
/// </summary>
public sealed record LogConfig
{
    public const string SegmentBytesName = "segment.bytes";
    public const string SegmentMsName = "segment.ms";
    public const string RetentionMsName = "retention.ms";
    public const string RetentionBytesName = "retention.bytes";
    public const string IndexIntervalBytesName = "index.interval.bytes";
    public const string SegmentIndexBytesName = "segment.index.bytes";
    public const string MaxMessageBytesName = "max.message.bytes";
    public const string FlushMessagesName = "flush.messages";
    public const string FlushMsName = "flush.ms";
    public const string MessageTimestampTypeName = "message.timestamp.type";
    public const string ProducerIdExpirationMsName = "producer.id.expiration.ms";

    /// <summary>The names <see cref="With"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        SegmentBytesName, SegmentMsName, RetentionMsName, RetentionBytesName, IndexIntervalBytesName, SegmentIndexBytesName,
        MaxMessageBytesName, FlushMessagesName, FlushMsName, MessageTimestampTypeName, ProducerIdExpirationMsName,
    ];

    /// <summary>segment.bytes: a segment rolls before it would grow past this size.</summary>
    /// <value>1 GiB.</value>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>segment.ms: a segment rolls once its first batch is this old, even if not full.</summary>
    /// <value>7 days.</value>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>retention.ms: segments whose newest record is older than this are deleted; -1 keeps them forever.</summary>
    /// <value>7 days.</value>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>retention.bytes: the oldest segments are deleted while the log is larger than this; -1 for no limit.</summary>
    /// <value>-1.</value>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>index.interval.bytes: one offset index entry per this many bytes of batches.</summary>
    /// <value>4096.</value>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>segment.index.bytes: the largest offset index of a segment; a full index rolls the segment.</summary>
    /// <value>10 MiB.</value>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>max.message.bytes: the largest batch the log accepts (after compression).</summary>
    /// <value>1048588, Kafka's default.</value>
    public int MaxMessageBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary>
    /// flush.messages: fsync once this many records are unflushed. 1 means every append is on disk before it
    /// is acknowledged (appends waiting together share one fsync).
    /// </summary>
    /// <value>long.MaxValue (flush by time only).</value>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary>flush.ms: the longest an appended record waits for its fsync. long.MaxValue means never (rely on replication).</summary>
    /// <value>1000 (Orlog's default; Kafka's is never).</value>
    public long FlushMs { get; init; } = 1000;

    /// <summary>message.timestamp.type: CreateTime keeps the producer's timestamps, LogAppendTime stamps the broker's clock.</summary>
    /// <value>CreateTime.</value>
    public TimestampType MessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary>producer.id.expiration.ms: a producer's idempotence state is forgotten after this long without writes.</summary>
    /// <value>1 day.</value>
    public long ProducerIdExpirationMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>True when every append waits for its fsync.</summary>
    public bool FlushesEveryAppend => FlushMessages == 1;

    /// <summary>A setting's value as Kafka writes it (long.MaxValue as such, the timestamp type by name); null for an unknown name.</summary>
    public string? ValueOf(string name) => name switch
    {
        SegmentBytesName => Invariant(SegmentBytes),
        SegmentMsName => Invariant(SegmentMs),
        RetentionMsName => Invariant(RetentionMs),
        RetentionBytesName => Invariant(RetentionBytes),
        IndexIntervalBytesName => Invariant(IndexIntervalBytes),
        SegmentIndexBytesName => Invariant(SegmentIndexBytes),
        MaxMessageBytesName => Invariant(MaxMessageBytes),
        FlushMessagesName => Invariant(FlushMessages),
        FlushMsName => Invariant(FlushMs),
        MessageTimestampTypeName => MessageTimestampType.ToString(),
        ProducerIdExpirationMsName => Invariant(ProducerIdExpirationMs),
        _ => null,
    };

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Lays Kafka-named settings over this config. Unknown names and unparsable values give INVALID_CONFIG.</summary>
    public LogConfig With(IEnumerable<KeyValuePair<string, string>> settings)
    {
        var config = this;
        foreach (var (name, value) in settings)
        {
            config = name switch
            {
                SegmentBytesName => config with { SegmentBytes = ParseInt(name, value) },
                SegmentMsName => config with { SegmentMs = ParseLong(name, value) },
                RetentionMsName => config with { RetentionMs = ParseLong(name, value) },
                RetentionBytesName => config with { RetentionBytes = ParseLong(name, value) },
                IndexIntervalBytesName => config with { IndexIntervalBytes = ParseInt(name, value) },
                SegmentIndexBytesName => config with { SegmentIndexBytes = ParseInt(name, value) },
                MaxMessageBytesName => config with { MaxMessageBytes = ParseInt(name, value) },
                FlushMessagesName => config with { FlushMessages = ParseLong(name, value) },
                FlushMsName => config with { FlushMs = ParseLong(name, value) },
                MessageTimestampTypeName => config with { MessageTimestampType = ParseTimestampType(value) },
                ProducerIdExpirationMsName => config with { ProducerIdExpirationMs = ParseLong(name, value) },
                _ => throw new KafkaException(ErrorCode.InvalidConfig, $"Unknown log config '{name}'. Known: {string.Join(", ", Names)}."),
            };
        }
        return config.Validate();
    }

    /// <summary>Checks every setting's range; returns this config or throws INVALID_CONFIG naming the setting.</summary>
    public LogConfig Validate()
    {
        Require(SegmentBytes >= RecordBatchHeader.Size, SegmentBytesName, SegmentBytes, $"at least {RecordBatchHeader.Size}");
        Require(SegmentMs >= 1, SegmentMsName, SegmentMs, "at least 1");
        Require(RetentionMs >= -1, RetentionMsName, RetentionMs, "-1 (unlimited) or more");
        Require(RetentionBytes >= -1, RetentionBytesName, RetentionBytes, "-1 (unlimited) or more");
        Require(IndexIntervalBytes >= 0, IndexIntervalBytesName, IndexIntervalBytes, "0 or more");
        Require(SegmentIndexBytes >= OffsetIndex.EntrySize, SegmentIndexBytesName, SegmentIndexBytes, $"at least {OffsetIndex.EntrySize}");
        Require(MaxMessageBytes >= RecordBatchHeader.Size, MaxMessageBytesName, MaxMessageBytes, $"at least {RecordBatchHeader.Size}");
        Require(FlushMessages >= 1, FlushMessagesName, FlushMessages, "at least 1");
        Require(FlushMs >= 0, FlushMsName, FlushMs, "0 or more");
        Require(ProducerIdExpirationMs >= 1, ProducerIdExpirationMsName, ProducerIdExpirationMs, "at least 1");
        return this;
    }

    private static void Require(bool condition, string name, long value, string expected)
    {
        if (!condition)
        {
            throw new KafkaException(ErrorCode.InvalidConfig, $"{name}={value} is out of range: it must be {expected}.");
        }
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new KafkaException(ErrorCode.InvalidConfig, $"{name}='{value}' is not a 32-bit integer.");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new KafkaException(ErrorCode.InvalidConfig, $"{name}='{value}' is not a 64-bit integer.");

    private static TimestampType ParseTimestampType(string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw new KafkaException(ErrorCode.InvalidConfig, $"{MessageTimestampTypeName}='{value}' must be CreateTime or LogAppendTime."),
    };
}
