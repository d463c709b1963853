namespace Orlog.Grains;

/// <summary>Kafka's ListOffsets special timestamps.</summary>
public static class OffsetSpec
{
    /// <summary>The log end offset (the high watermark for consumers).</summary>
    public const long Latest = -1;

    /// <summary>The log start offset.</summary>
    public const long Earliest = -2;
}

/// <summary>The offset for a timestamp (or <see cref="OffsetSpec"/>): -1 offset when no record is that new.</summary>
[GenerateSerializer, Immutable, Alias("orlog.list-offsets-result")]
public sealed record ListOffsetsResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] long Offset,
    [property: Id(5)] long Timestamp);
