namespace Orlog.Kafka.Protocol;

/// <summary>Versions from <see cref="Lowest"/> to <see cref="Highest"/> inclusive; an open range ends at 32767.</summary>
public readonly record struct KafkaVersionRange(short Lowest, short Highest)
{
    /// <summary>No version.</summary>
    public static readonly KafkaVersionRange None = new(1, 0);

    public bool IsEmpty => Highest < Lowest;

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    public override string ToString() =>
        IsEmpty ? "none" : Highest == short.MaxValue ? $"{Lowest}+" : Lowest == Highest ? $"{Lowest}" : $"{Lowest}-{Highest}";
}
