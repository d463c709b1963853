namespace Orlog.Client.Admin;

/// <summary>Which offset <see cref="IAdminClient.ListOffsetsAsync(IEnumerable{TopicPartitionOffsetSpec}, ListOffsetsOptions?, CancellationToken)"/> looks up (Kafka's OffsetSpec).</summary>
public sealed class OffsetSpec
{
    private OffsetSpec(long timestamp)
    {
        Timestamp = timestamp;
    }

    /// <summary>The timestamp looked up, or Kafka's -2 (earliest), -1 (latest) or -3 (max timestamp).</summary>
    public long Timestamp { get; }

    /// <summary>The log start offset.</summary>
    public static OffsetSpec Earliest() => new(Grains.OffsetSpec.Earliest);

    /// <summary>The high watermark: the offset the next record gets.</summary>
    public static OffsetSpec Latest() => new(Grains.OffsetSpec.Latest);

    /// <summary>The record with the largest timestamp (KIP-734). Orlog does not index it yet: its result carries UNSUPPORTED_VERSION.</summary>
    public static OffsetSpec MaxTimestamp() => new(MaxTimestampValue);

    /// <summary>The first offset whose timestamp is at or after <paramref name="timestamp"/> (Unix milliseconds).</summary>
    public static OffsetSpec ForTimestamp(long timestamp) =>
        timestamp >= 0 ? new(timestamp) : throw new ArgumentOutOfRangeException(nameof(timestamp), "A timestamp is 0 or more.");

    internal const long MaxTimestampValue = -3;

    public override string ToString() => Timestamp switch
    {
        Grains.OffsetSpec.Earliest => "earliest",
        Grains.OffsetSpec.Latest => "latest",
        MaxTimestampValue => "max-timestamp",
        _ => $"timestamp {Timestamp}",
    };
}

/// <summary>A partition and the offset to look up in it.</summary>
public sealed class TopicPartitionOffsetSpec
{
    public TopicPartition TopicPartition { get; set; } = null!;
    public OffsetSpec OffsetSpec { get; set; } = OffsetSpec.Latest();
}

/// <summary>An offset found: the partition, the offset (-1 when no record is that new) and the record's timestamp (-1 for earliest/latest).</summary>
public sealed class ListOffsetsResultInfo
{
    public TopicPartitionOffsetError TopicPartitionOffsetError { get; init; } = null!;
    public long Timestamp { get; init; }

    public override string ToString() => $"{TopicPartitionOffsetError} ({Timestamp})";
}

/// <summary>What <see cref="IAdminClient.ListOffsetsAsync(IEnumerable{TopicPartitionOffsetSpec}, ListOffsetsOptions?, CancellationToken)"/> returns, in the order asked.</summary>
public sealed class ListOffsetsResult
{
    public List<ListOffsetsResultInfo> ResultInfos { get; init; } = [];

    public override string ToString() => string.Join(", ", ResultInfos);
}

/// <summary>Records deleted from a partition: its log start offset now.</summary>
public sealed class DeleteRecordsResult
{
    public string Topic { get; init; } = "";
    public Partition Partition { get; init; }
    public Offset Offset { get; init; }
}
