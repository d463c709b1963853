using System.Buffers.Binary;
using System.Text;

namespace Orlog.Grains.Groups.Classic;

/// <summary>
/// Reads Kafka's non-flexible primitives (big-endian ints, int16-prefixed strings, int32-prefixed bytes and
/// arrays) from a consumer protocol payload. Every shortfall becomes a KafkaException naming the message,
/// the field and the byte offset, never an index error.
/// </summary>
internal ref struct ConsumerProtocolReader
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly string _message;
    private int _position;

    public ConsumerProtocolReader(ReadOnlySpan<byte> bytes, string message)
    {
        _bytes = bytes;
        _message = message;
    }

    public readonly int Remaining => _bytes.Length - _position;

    public short ReadInt16(string field) => BinaryPrimitives.ReadInt16BigEndian(Take(2, field));

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32BigEndian(Take(4, field));

    public string ReadString(string field)
    {
        var start = _position;
        return ReadNullableString(field) ?? throw Malformed($"{field} at byte {start} is null, which the consumer protocol does not allow");
    }

    public string? ReadNullableString(string field)
    {
        var start = _position;
        var length = ReadInt16(field);
        if (length == -1)
        {
            return null;
        }
        if (length < -1)
        {
            throw Malformed($"{field} at byte {start} has length {length}");
        }
        var bytes = Take(length, field);
        try
        {
            return _strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"{field} at byte {start} is not valid UTF-8");
        }
    }

    public byte[]? ReadNullableBytes(string field)
    {
        var start = _position;
        var length = ReadInt32(field);
        if (length == -1)
        {
            return null;
        }
        if (length < -1)
        {
            throw Malformed($"{field} at byte {start} has length {length}");
        }
        return Take(length, field).ToArray();
    }

    /// <summary>An array's element count, checked against the bytes left so a lying count cannot make us allocate.</summary>
    public int ReadArrayCount(string field, int minElementSize)
    {
        var start = _position;
        var count = ReadInt32(field);
        if (count < 0)
        {
            throw Malformed(count == -1
                ? $"{field} at byte {start} is null, which the consumer protocol does not allow"
                : $"{field} at byte {start} has count {count}");
        }
        if ((long)count * minElementSize > Remaining)
        {
            throw Malformed($"{field} at byte {start} claims {count} elements but only {Remaining} bytes follow");
        }
        return count;
    }

    public readonly KafkaException Malformed(string detail) =>
        new(ErrorCode.InconsistentGroupProtocol, $"malformed {_message}: {detail}");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw Malformed($"truncated at byte {_position} reading {field} (needs {count} bytes, {Remaining} left)");
        }
        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }
}
