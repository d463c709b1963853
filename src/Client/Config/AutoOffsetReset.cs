namespace Orlog.Client;

/// <summary>Where a consumer starts when it has no offset, or its offset is out of range (auto.offset.reset).</summary>
public enum AutoOffsetReset
{
    /// <summary>latest: the end of the partition (only new records).</summary>
    Latest,

    /// <summary>earliest: the log start offset.</summary>
    Earliest,

    /// <summary>none: fail with OFFSET_OUT_OF_RANGE (a <see cref="ConsumeException"/>).</summary>
    Error,
}
