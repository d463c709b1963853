using System.Globalization;

namespace Orlog.Client;

/// <summary>
/// An offset in a partition, or one of the special values Confluent.Kafka users know:
/// <see cref="Beginning"/>, <see cref="End"/>, <see cref="Unset"/>.
/// </summary>
/// <param name="Value">The offset; negative for the special values.</param>
public readonly record struct Offset(long Value) : IComparable<Offset>
{
    /// <summary>The log start offset of the partition (earliest).</summary>
    public static readonly Offset Beginning = new(-2);

    /// <summary>The end of the partition: the next record written (latest).</summary>
    public static readonly Offset End = new(-1);

    /// <summary>No offset: auto.offset.reset decides; also the offset of a record sent with acks=0.</summary>
    public static readonly Offset Unset = new(-1001);

    /// <summary>True for <see cref="Beginning"/>, <see cref="End"/>, <see cref="Unset"/> (any negative value).</summary>
    public bool IsSpecial => Value < 0;

    /// <summary>An offset from its number.</summary>
    public static implicit operator Offset(long value) => new(value);

    /// <summary>The offset's number.</summary>
    public static implicit operator long(Offset offset) => offset.Value;

    /// <inheritdoc/>
    public int CompareTo(Offset other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public override string ToString() => Value switch
    {
        -2 => "Beginning",
        -1 => "End",
        -1001 => "Unset",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };

    public static bool operator <(Offset left, Offset right) => left.Value < right.Value;

    public static bool operator >(Offset left, Offset right) => left.Value > right.Value;

    public static bool operator <=(Offset left, Offset right) => left.Value <= right.Value;

    public static bool operator >=(Offset left, Offset right) => left.Value >= right.Value;
}
