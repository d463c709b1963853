namespace Orlog.Client;

/// <summary>
/// A record's timestamp: epoch milliseconds and what they mean (the producer's CreateTime, or the broker's
/// LogAppendTime). <see cref="Default"/> (also <c>default</c>) asks the producer to use the current time.
/// </summary>
public readonly struct Timestamp : IEquatable<Timestamp>
{
    private readonly bool _isSet;

    /// <summary>A timestamp of <paramref name="unixTimestampMs"/> epoch milliseconds.</summary>
    public Timestamp(long unixTimestampMs, TimestampType type = TimestampType.CreateTime)
    {
        UnixTimestampMs = unixTimestampMs;
        Type = type;
        _isSet = true;
    }

    /// <summary>A timestamp of the given time (CreateTime).</summary>
    public Timestamp(DateTimeOffset time)
        : this(time.ToUnixTimeMilliseconds())
    {
    }

    /// <summary>No timestamp: the producer stamps the current time.</summary>
    public static Timestamp Default => default;

    /// <summary>Epoch milliseconds.</summary>
    public long UnixTimestampMs { get; }

    /// <summary>CreateTime or LogAppendTime.</summary>
    public TimestampType Type { get; }

    /// <summary>False for <see cref="Default"/>.</summary>
    public bool IsSet => _isSet;

    /// <summary>The time in UTC.</summary>
    public DateTime UtcDateTime => DateTimeOffset.FromUnixTimeMilliseconds(UnixTimestampMs).UtcDateTime;

    /// <inheritdoc/>
    public bool Equals(Timestamp other) => _isSet == other._isSet && UnixTimestampMs == other.UnixTimestampMs && Type == other.Type;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Timestamp other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_isSet, UnixTimestampMs, Type);

    /// <inheritdoc/>
    public override string ToString() => _isSet ? $"{UnixTimestampMs} ({Type})" : "Default";

    public static bool operator ==(Timestamp left, Timestamp right) => left.Equals(right);

    public static bool operator !=(Timestamp left, Timestamp right) => !left.Equals(right);
}
