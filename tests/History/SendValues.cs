using System.Text;

namespace Orlog.Testing;

/// <summary>
/// Record values that carry their send id, so a record read back names the send that wrote it:
/// the id in UTF-8, a separator, then padding up to the size asked for.
/// </summary>
public static class SendValues
{
    private const byte Separator = (byte)'|';

    /// <summary>A value of at least <paramref name="size"/> bytes that begins with the send id.</summary>
    public static byte[] Encode(string sendId, int size = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(sendId);
        var id = Encoding.UTF8.GetByteCount(sendId);
        var value = new byte[Math.Max(size, id + 1)];
        Encoding.UTF8.GetBytes(sendId, value);
        value[id] = Separator;
        value.AsSpan(id + 1).Fill((byte)'.');
        return value;
    }

    /// <summary>The send id at the start of a value made by <see cref="Encode"/>; the whole value when it has no separator.</summary>
    public static string SendId(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf(Separator);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }
}
