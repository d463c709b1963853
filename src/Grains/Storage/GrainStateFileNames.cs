using System.Security.Cryptography;
using System.Text;

namespace Orlog.Grains.Storage;

/// <summary>
/// Turns state names and grain ids into safe file names: ASCII letters, digits, '-' and '_' stay, a '.'
/// stays unless it leads the name, and every other UTF-8 byte becomes <c>%XX</c> (upper-case hex), so
/// <c>topic/orders</c> is <c>topic%2Forders</c>. A name whose escaped form is longer than
/// <see cref="MaxLength"/> is cut and ends in <c>~</c> and a SHA-256 prefix of the original; the file's
/// envelope still names the grain, so a read can tell a collision from a match.
/// </summary>
internal static class GrainStateFileNames
{
    public const string Extension = ".json";

    /// <summary>The longest escaped name, leaving room for the extension and the temp suffix under 255 bytes.</summary>
    public const int MaxLength = 200;

    private const int KeptPrefixLength = 160;

    public static string Escape(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "%";
        }
        var bytes = Encoding.UTF8.GetBytes(name);
        var builder = new StringBuilder(bytes.Length + 8);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (IsSafe(b) && !(b == (byte)'.' && i == 0))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (builder.Length <= MaxLength)
        {
            return builder.ToString();
        }
        var hash = Convert.ToHexString(SHA256.HashData(bytes), 0, 16);
        return string.Concat(builder.ToString(0, KeptPrefixLength), "~", hash);
    }

    private static bool IsSafe(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.';
}
