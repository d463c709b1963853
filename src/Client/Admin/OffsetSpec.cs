namespace Orlog.Client;

/// <summary>Which offset <see cref="IAdminClient.ListOffsetsAsync"/> looks up (Kafka's OffsetSpec).</summary>
public sealed record OffsetSpec
{
    private OffsetSpec(long timestamp)
    {
        Timestamp = timestamp;
    }

    /// <summary>The timestamp looked up, or -2 (earliest) / -1 (latest).</summary>
    public long Timestamp { get; }

    /// <summary>The log start offset.</summary>
    public static OffsetSpec Earliest() => new(Grains.OffsetSpec.Earliest);

    /// <summary>The high watermark: the offset the next record gets.</summary>
    public static OffsetSpec Latest() => new(Grains.OffsetSpec.Latest);

    /// <summary>The first offset whose timestamp is at or after <paramref name="unixTimestampMs"/>.</summary>
    public static OffsetSpec ForTimestamp(long unixTimestampMs) =>
        unixTimestampMs >= 0 ? new(unixTimestampMs) : throw new ArgumentOutOfRangeException(nameof(unixTimestampMs), "A timestamp is 0 or more.");
}
