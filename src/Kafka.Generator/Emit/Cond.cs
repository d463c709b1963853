using System.Globalization;
using Orlog.Kafka.Generator.Schema;

namespace Orlog.Kafka.Generator.Emit;

/// <summary>
/// "Is <c>version</c> in this range?" as C#, simplified against the API's versions: always (no test
/// emitted), never (no code emitted), or an expression such as <c>version &gt;= 4</c>.
/// </summary>
internal readonly struct Cond
{
    private Cond(bool always, bool never, string text)
    {
        IsAlways = always;
        IsNever = never;
        Text = text;
    }

    public bool IsAlways { get; }

    public bool IsNever { get; }

    /// <summary>The test as an expression: <c>true</c>, <c>false</c> or a comparison.</summary>
    public string Text { get; }

    public static Cond For(VersionRange range, VersionRange apiVersions)
    {
        var within = range.Intersect(apiVersions);
        if (within.IsEmpty)
        {
            return new Cond(false, true, "false");
        }
        var parts = new List<string>();
        if (within.Min > apiVersions.Min)
        {
            parts.Add("version >= " + within.Min.ToString(CultureInfo.InvariantCulture));
        }
        if (within.Max < apiVersions.Max)
        {
            parts.Add(within.Min == within.Max && parts.Count == 1
                ? "version == " + within.Min.ToString(CultureInfo.InvariantCulture)
                : "version <= " + within.Max.ToString(CultureInfo.InvariantCulture));
            if (within.Min == within.Max && parts.Count == 2)
            {
                parts.RemoveAt(0);
            }
        }
        return parts.Count == 0 ? new Cond(true, false, "true") : new Cond(false, false, string.Join(" && ", parts));
    }

    /// <summary>The negation, parenthesised when needed.</summary>
    public string Not() => IsAlways ? "false" : IsNever ? "true" : "!(" + Text + ")";

    /// <summary><c>this &amp;&amp; other</c>, with the constant cases folded.</summary>
    public string And(string other) => IsAlways ? other : IsNever ? "false" : Text + " && " + other;
}
