using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Orlog.Records;

namespace Orlog.Kafka.Protocol;

/// <summary>
/// Reads Kafka's wire types, big-endian, from one frame held in memory. Every read is bounds-checked: a frame
/// that ends inside a value, a negative length other than -1 (null), a length past the end of the frame or a
/// varint longer than 5 bytes throws <see cref="KafkaProtocolException"/> and nothing else.
/// </summary>
/// <remarks>
/// Bytes and records come back as slices of the frame, not copies: the produce path hands the record batch on
/// as it arrived. The frame must therefore stay unchanged while they are in use.
/// </remarks>
public ref struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _frame;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> frame)
    {
        _frame = frame;
        _span = frame.Span;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _span.Length - _position;

    public sbyte ReadInt8() => (sbyte)Take(1, "int8")[0];

    public bool ReadBool() => Take(1, "bool")[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2, "int16"));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "uint16"));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "int32"));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "int64"));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8, "float64"));

    /// <summary>A UUID: 16 bytes, most significant first, as Kafka writes it.</summary>
    public Guid ReadUuid() => new(Take(16, "uuid"), bigEndian: true);

    /// <summary>Kafka's unsigned varint (compact lengths, tagged fields): at most 5 bytes.</summary>
    public uint ReadUnsignedVarint()
    {
        var status = Varint.TryReadUnsigned(_span[_position..], out uint value, out var consumed);
        if (status == OperationStatus.Done)
        {
            _position += consumed;
            return value;
        }
        throw status == OperationStatus.NeedMoreData
            ? Malformed("the frame ends inside an unsigned varint")
            : Malformed("an unsigned varint is longer than 5 bytes or overflows 32 bits");
    }

    /// <summary>A string that may be null: int16 length (-1 null), or compact (varint length+1, 0 null).</summary>
    public string? ReadNullableString(bool compact)
    {
        var length = compact ? CompactLength("string") : ClassicLength(ReadInt16(), "string");
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length, "string"));
    }

    /// <summary>A string that must not be null; <paramref name="field"/> names it in the error.</summary>
    public string ReadString(bool compact, string field) => ReadNullableString(compact) ?? throw NullNotAllowed(field);

    /// <summary>Bytes that may be null, as a slice of the frame: int32 length (-1 null), or compact.</summary>
    public ReadOnlyMemory<byte>? ReadNullableBytes(bool compact)
    {
        var length = compact ? CompactLength("bytes") : ClassicLength(ReadInt32(), "bytes");
        if (length < 0)
        {
            return null;
        }
        Need(length, "bytes");
        var slice = _frame.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>Bytes that must not be null, as a slice of the frame.</summary>
    public ReadOnlyMemory<byte> ReadBytes(bool compact, string field) => ReadNullableBytes(compact) ?? throw NullNotAllowed(field);

    /// <summary>
    /// An array's element count, or -1 for null. A count larger than the bytes left is malformed: every
    /// element takes at least one byte, and the check keeps a forged count from allocating.
    /// </summary>
    public int ReadArrayLength(bool compact)
    {
        var count = compact ? CompactLength("array", "elements") : ClassicLength(ReadInt32(), "array", "elements");
        if (count > Remaining)
        {
            throw Malformed($"an array of {count} elements with {Remaining} bytes left");
        }
        return count;
    }

    /// <summary>The number of tagged fields that follow.</summary>
    public int ReadTaggedFieldCount()
    {
        var count = ReadUnsignedVarint();
        if (count > (uint)Remaining)
        {
            throw Malformed($"{count} tagged fields with {Remaining} bytes left");
        }
        return (int)count;
    }

    /// <summary>The size of the tagged field that follows.</summary>
    public int ReadTaggedFieldSize()
    {
        var size = ReadUnsignedVarint();
        if (size > (uint)Remaining)
        {
            throw Malformed($"a tagged field of {size} bytes with {Remaining} bytes left");
        }
        return (int)size;
    }

    /// <summary>Checks that a tagged field ended where its size said.</summary>
    public readonly void EndTaggedField(int end)
    {
        if (_position != end)
        {
            throw Malformed($"a tagged field's value ends at byte {_position}, not at byte {end} as its size said");
        }
    }

    /// <summary>Skips a tagged-field section whose tags this version does not know.</summary>
    public void SkipTaggedFields()
    {
        var count = ReadTaggedFieldCount();
        for (var i = 0; i < count; i++)
        {
            ReadUnsignedVarint();
            Skip(ReadTaggedFieldSize());
        }
    }

    public void Skip(int count)
    {
        Need(count, "skipped bytes");
        _position += count;
    }

    /// <summary>The error for a null where the field cannot be null.</summary>
    public readonly KafkaProtocolException NullNotAllowed(string field) => Malformed($"{field} is null, which it cannot be");

    private int CompactLength(string what, string unit = "bytes")
    {
        var encoded = ReadUnsignedVarint();
        if (encoded == 0)
        {
            return -1;
        }
        var length = encoded - 1;
        if (length > (uint)Remaining)
        {
            throw Malformed($"a compact {what} of {length} {unit} with {Remaining} bytes left");
        }
        return (int)length;
    }

    private readonly int ClassicLength(int length, string what, string unit = "bytes")
    {
        if (length < -1)
        {
            throw Malformed($"a {what} length of {length}; only -1 (null) may be negative");
        }
        if (length > Remaining)
        {
            throw Malformed($"a {what} of {length} {unit} with {Remaining} bytes left");
        }
        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count, string what)
    {
        Need(count, what);
        var taken = _span.Slice(_position, count);
        _position += count;
        return taken;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Need(int count, string what)
    {
        if ((uint)count > (uint)Remaining)
        {
            throw Malformed($"the frame ends inside a {what}: {count} bytes needed, {Remaining} left");
        }
    }

    private readonly KafkaProtocolException Malformed(string message) => new(message, _position);
}
