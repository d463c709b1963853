using System.Globalization;

namespace Orlog.Kafka.Generator.Schema;

/// <summary>Parses an integer default (decimal, or 0x hex as Kafka allows) within its type's range.</summary>
internal static class IntegerDefault
{
    public static bool TryParse(FieldKind kind, DefaultValue value, out long result)
    {
        result = 0;
        if (value.Kind != DefaultKind.Literal)
        {
            return false;
        }
        var text = value.Text;
        var negative = text.StartsWith("-", StringComparison.Ordinal);
        var digits = negative ? text.Substring(1) : text;
        ulong magnitude;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(digits.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
            {
                return false;
            }
        }
        else if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            return false;
        }
        if (magnitude > (ulong)long.MaxValue + 1 || (!negative && magnitude > long.MaxValue))
        {
            return false;
        }
        result = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        var (min, max) = kind switch
        {
            FieldKind.Int8 => ((long)sbyte.MinValue, (long)sbyte.MaxValue),
            FieldKind.Int16 => (short.MinValue, short.MaxValue),
            FieldKind.Int32 => (int.MinValue, int.MaxValue),
            FieldKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
            FieldKind.Int64 => (long.MinValue, long.MaxValue),
            _ => (1L, 0L),
        };
        return result >= min && result <= max;
    }
}
