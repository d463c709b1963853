using System.Globalization;

namespace Orlog.Cli.Input;

/// <summary>
/// A position given on the command line (--offset, --end-offset): earliest (or beginning), latest (or end), an
/// offset, or a time: @ and epoch milliseconds, or an ISO 8601 date and time (UTC unless it names a zone).
/// </summary>
internal readonly record struct OffsetArgument(OffsetKind Kind, long Value)
{
    /// <exception cref="ArgumentException">None of those.</exception>
    public static OffsetArgument Parse(string text, string option)
    {
        switch (text)
        {
            case "earliest" or "beginning":
                return new(OffsetKind.Earliest, 0);
            case "latest" or "end":
                return new(OffsetKind.Latest, 0);
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return new(OffsetKind.Offset, offset);
        }
        if (text.StartsWith('@') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
        {
            return new(OffsetKind.Time, epochMs);
        }
        if (text.Length >= 10 && char.IsAsciiDigit(text[0])
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return new(OffsetKind.Time, time.ToUnixTimeMilliseconds());
        }
        throw new ArgumentException($"{option} {text}: use an offset, earliest, latest, @<epoch-ms> or an ISO 8601 time such as 2026-12-05T10:00:00Z.");
    }
}

internal enum OffsetKind
{
    Earliest,
    Latest,
    Offset,
    Time,
}
