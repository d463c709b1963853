using System.Buffers;
using System.Runtime.CompilerServices;

namespace Orlog.Records;

/// <summary>
/// Kafka's variable-length integers, as protobuf's: 7 bits a byte, least significant group first, the high
/// bit set on every byte but the last; signed values are zig-zag encoded first (0, -1, 1, -2 … become
/// 0, 1, 2, 3 …), so small magnitudes of either sign take one byte. A varint takes at most 5 bytes, a
/// varlong at most 10.
/// </summary>
/// <remarks>
/// Reads are strict: an encoding longer than 5 (10) bytes, or whose last byte carries bits beyond 32
/// (64), is <see cref="OperationStatus.InvalidData"/>; input that ends inside a value is
/// <see cref="OperationStatus.NeedMoreData"/>. Nothing is thrown from the Try methods.
/// </remarks>
public static class Varint
{
    /// <summary>The most bytes a 32-bit varint takes.</summary>
    public const int MaxVarintSize = 5;

    /// <summary>The most bytes a 64-bit varlong takes.</summary>
    public const int MaxVarlongSize = 10;

    public static uint ZigZagEncode(int value) => (uint)((value << 1) ^ (value >> 31));

    public static ulong ZigZagEncode(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int ZigZagDecode(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    public static long ZigZagDecode(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Bytes that <see cref="WriteVarint"/> takes for <paramref name="value"/> (1 to 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfVarint(int value) => SizeOfUnsigned(ZigZagEncode(value));

    /// <summary>Bytes that <see cref="WriteVarlong"/> takes for <paramref name="value"/> (1 to 10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfVarlong(long value) => SizeOfUnsigned(ZigZagEncode(value));

    /// <summary>Bytes of an unsigned (not zig-zag) varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfUnsigned(uint value) => ((31 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;

    /// <summary>Bytes of an unsigned (not zig-zag) varlong.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfUnsigned(ulong value) => ((63 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;

    /// <summary>Writes a zig-zag varint and returns the bytes written; the destination must have room (<see cref="SizeOfVarint"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZagEncode(value));

    /// <summary>Writes a zig-zag varlong and returns the bytes written; the destination must have room (<see cref="SizeOfVarlong"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarlong(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZagEncode(value));

    /// <summary>Writes an unsigned (not zig-zag) varint and returns the bytes written.</summary>
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes an unsigned (not zig-zag) varlong and returns the bytes written.</summary>
    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a zig-zag varint from the start of <paramref name="source"/>.</summary>
    /// <returns><see cref="OperationStatus.Done"/>, <see cref="OperationStatus.NeedMoreData"/> when the input ends
    /// inside the value, or <see cref="OperationStatus.InvalidData"/> when the encoding is longer than 5 bytes or
    /// overflows 32 bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus TryReadVarint(ReadOnlySpan<byte> source, out int value, out int bytesConsumed)
    {
        // One-byte values (lengths under 64, small deltas) are the common case.
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = ZigZagDecode((uint)source[0]);
            bytesConsumed = 1;
            return OperationStatus.Done;
        }
        var status = TryReadUnsigned(source, out uint raw, out bytesConsumed);
        value = ZigZagDecode(raw);
        return status;
    }

    /// <summary>Reads a zig-zag varlong from the start of <paramref name="source"/>; see <see cref="TryReadVarint"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus TryReadVarlong(ReadOnlySpan<byte> source, out long value, out int bytesConsumed)
    {
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = ZigZagDecode((ulong)source[0]);
            bytesConsumed = 1;
            return OperationStatus.Done;
        }
        var status = TryReadUnsigned(source, out ulong raw, out bytesConsumed);
        value = ZigZagDecode(raw);
        return status;
    }

    /// <summary>Reads an unsigned (not zig-zag) varint of at most 5 bytes.</summary>
    public static OperationStatus TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int bytesConsumed)
    {
        uint result = 0;
        for (var i = 0; i < MaxVarintSize; i++)
        {
            if (i == source.Length)
            {
                return Fail(OperationStatus.NeedMoreData, out value, out bytesConsumed);
            }
            uint b = source[i];
            if (i == MaxVarintSize - 1 && b > 0x0F)
            {
                // The fifth byte holds bits 28-31 only: anything more is too long or overflows.
                return Fail(OperationStatus.InvalidData, out value, out bytesConsumed);
            }
            result |= (b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                value = result;
                bytesConsumed = i + 1;
                return OperationStatus.Done;
            }
        }
        return Fail(OperationStatus.InvalidData, out value, out bytesConsumed);
    }

    /// <summary>Reads an unsigned (not zig-zag) varlong of at most 10 bytes.</summary>
    public static OperationStatus TryReadUnsigned(ReadOnlySpan<byte> source, out ulong value, out int bytesConsumed)
    {
        ulong result = 0;
        for (var i = 0; i < MaxVarlongSize; i++)
        {
            if (i == source.Length)
            {
                return Fail(OperationStatus.NeedMoreData, out value, out bytesConsumed);
            }
            ulong b = source[i];
            if (i == MaxVarlongSize - 1 && b > 0x01)
            {
                // The tenth byte holds bit 63 only.
                return Fail(OperationStatus.InvalidData, out value, out bytesConsumed);
            }
            result |= (b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                value = result;
                bytesConsumed = i + 1;
                return OperationStatus.Done;
            }
        }
        return Fail(OperationStatus.InvalidData, out value, out bytesConsumed);
    }

    /// <summary>Reads a zig-zag varint or throws <see cref="KafkaException"/> (CORRUPT_MESSAGE) naming what is wrong.</summary>
    public static int ReadVarint(ReadOnlySpan<byte> source, out int bytesConsumed)
    {
        var status = TryReadVarint(source, out var value, out bytesConsumed);
        if (status != OperationStatus.Done)
        {
            throw Malformed(status, "varint");
        }
        return value;
    }

    /// <summary>Reads a zig-zag varlong or throws <see cref="KafkaException"/> (CORRUPT_MESSAGE) naming what is wrong.</summary>
    public static long ReadVarlong(ReadOnlySpan<byte> source, out int bytesConsumed)
    {
        var status = TryReadVarlong(source, out var value, out bytesConsumed);
        if (status != OperationStatus.Done)
        {
            throw Malformed(status, "varlong");
        }
        return value;
    }

    private static OperationStatus Fail<T>(OperationStatus status, out T value, out int bytesConsumed)
        where T : struct
    {
        value = default;
        bytesConsumed = 0;
        return status;
    }

    private static KafkaException Malformed(OperationStatus status, string what) => new(
        ErrorCode.CorruptMessage,
        status == OperationStatus.NeedMoreData
            ? $"the input ends inside a {what}"
            : $"malformed {what}: longer than {(what == "varint" ? MaxVarintSize : MaxVarlongSize)} bytes or out of range");
}
