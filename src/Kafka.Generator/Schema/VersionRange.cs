using System.Globalization;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>
/// A range of API versions as a schema writes it: <c>3+</c>, <c>3-7</c>, <c>5</c> or <c>none</c>.
/// An open range ends at <see cref="Open"/>.
/// </summary>
internal readonly struct VersionRange : IEquatable<VersionRange>
{
    public const short Open = short.MaxValue;

    public static readonly VersionRange None = new(1, 0);

    public VersionRange(short min, short max)
    {
        Min = min;
        Max = max;
    }

    public short Min { get; }

    public short Max { get; }

    public bool IsEmpty => Max < Min;

    public bool IsOpenEnded => !IsEmpty && Max == Open;

    public bool Contains(short version) => version >= Min && version <= Max;

    /// <summary>True when every version of <paramref name="other"/> is in this range.</summary>
    public bool Covers(VersionRange other) => other.IsEmpty || (!IsEmpty && Min <= other.Min && other.Max <= Max);

    public VersionRange Intersect(VersionRange other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return None;
        }
        var min = Math.Max(Min, other.Min);
        var max = Math.Min(Max, other.Max);
        return max < min ? None : new VersionRange((short)min, (short)max);
    }

    /// <summary>This range less an open-ended range <paramref name="tail"/> (the tagged versions of a field).</summary>
    public VersionRange Before(VersionRange tail)
    {
        if (tail.IsEmpty)
        {
            return this;
        }
        return Intersect(new VersionRange(0, (short)(tail.Min - 1)));
    }

    public static bool TryParse(string text, out VersionRange range)
    {
        range = None;
        if (text == "none")
        {
            return true;
        }
        if (text.EndsWith("+", StringComparison.Ordinal))
        {
            if (!TryParseVersion(text.Substring(0, text.Length - 1), out var from))
            {
                return false;
            }
            range = new VersionRange(from, Open);
            return true;
        }
        var dash = text.IndexOf('-');
        if (dash > 0)
        {
            if (!TryParseVersion(text.Substring(0, dash), out var from)
                || !TryParseVersion(text.Substring(dash + 1), out var to)
                || to < from)
            {
                return false;
            }
            range = new VersionRange(from, to);
            return true;
        }
        if (!TryParseVersion(text, out var only))
        {
            return false;
        }
        range = new VersionRange(only, only);
        return true;
    }

    private static bool TryParseVersion(string text, out short version)
    {
        version = 0;
        if (text.Length == 0 || text.Length > 5)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > Open - 1)
        {
            return false;
        }
        version = (short)value;
        return true;
    }

    public bool Equals(VersionRange other) => (IsEmpty && other.IsEmpty) || (Min == other.Min && Max == other.Max);

    public override bool Equals(object? obj) => obj is VersionRange other && Equals(other);

    public override int GetHashCode() => IsEmpty ? -1 : (Min << 16) ^ Max;

    public override string ToString()
    {
        if (IsEmpty)
        {
            return "none";
        }
        if (IsOpenEnded)
        {
            return Min.ToString(CultureInfo.InvariantCulture) + "+";
        }
        return Min == Max
            ? Min.ToString(CultureInfo.InvariantCulture)
            : Min.ToString(CultureInfo.InvariantCulture) + "-" + Max.ToString(CultureInfo.InvariantCulture);
    }
}
