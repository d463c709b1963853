using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Orlog.Records;

namespace Orlog.Kafka.Protocol;

/// <summary>
/// Writes Kafka's wire types, big-endian, to an <see cref="IBufferWriter{T}"/>. Strings and bytes take a
/// classic length (int16 / int32, -1 for null) or, in flexible versions, a compact one (unsigned varint of
/// length + 1, 0 for null).
/// </summary>
public sealed class KafkaWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly ArrayBufferWriter<byte>? _scratch;

    private readonly List<FileSplice>? _splices;

    public KafkaWriter(IBufferWriter<byte> output)
    {
        _output = output;
    }

    /// <summary>
    /// A writer that leaves the bytes of a <see cref="FileRegion"/> in their file: it writes their length and adds
    /// to <paramref name="splices"/> where in the output they go, for the connection to send them from the file.
    /// </summary>
    public KafkaWriter(IBufferWriter<byte> output, List<FileSplice> splices)
    {
        _output = output;
        _splices = splices;
    }

    private KafkaWriter(ArrayBufferWriter<byte> scratch)
    {
        _output = scratch;
        _scratch = scratch;
    }

    /// <summary>Bytes written through this writer.</summary>
    public long BytesWritten { get; private set; }

    public void WriteInt8(sbyte value)
    {
        _output.GetSpan(1)[0] = (byte)value;
        Advance(1);
    }

    public void WriteBool(bool value)
    {
        _output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        Advance(1);
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>A UUID: 16 bytes, most significant first.</summary>
    public void WriteUuid(Guid value)
    {
        value.TryWriteBytes(_output.GetSpan(16), bigEndian: true, out _);
        Advance(16);
    }

    /// <summary>Kafka's unsigned varint.</summary>
    public void WriteUnsignedVarint(uint value)
    {
        var span = _output.GetSpan(Varint.MaxVarintSize);
        var written = Varint.WriteUnsigned(span, value);
        Advance(written);
    }

    /// <summary>A string, or null (int16 -1, or compact 0).</summary>
    public void WriteString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, classicSize: 2);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        if (compact)
        {
            WriteUnsignedVarint((uint)length + 1);
        }
        else if (length > short.MaxValue)
        {
            throw new KafkaProtocolException($"A string of {length} bytes is longer than the 32767 bytes a classic (int16-length) string holds.");
        }
        else
        {
            WriteInt16((short)length);
        }
        var span = _output.GetSpan(length);
        Advance(Encoding.UTF8.GetBytes(value, span));
    }

    /// <summary>Bytes (or records) with their length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value, bool compact)
    {
        WriteBytesLength(value.Length, compact);
        WriteRaw(value);
    }

    private void WriteBytesLength(int length, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarint((uint)length + 1);
        }
        else
        {
            WriteInt32(length);
        }
    }

    /// <summary>Bytes (or records) that may be null (int32 -1, or compact 0).</summary>
    public void WriteNullableBytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is { } bytes)
        {
            if (_splices is not null && System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(bytes, out FileRegion? region, out var start, out var length))
            {
                WriteBytesLength(length, compact);
                _splices.Add(new FileSplice(BytesWritten, region, start, length));
                return;
            }
            WriteBytes(bytes.Span, compact);
        }
        else
        {
            WriteNullLength(compact, classicSize: 4);
        }
    }

    /// <summary>An array's element count (int32, or compact).</summary>
    public void WriteArrayLength(int count, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarint((uint)count + 1);
        }
        else
        {
            WriteInt32(count);
        }
    }

    /// <summary>A null array (int32 -1, or compact 0).</summary>
    public void WriteNullArray(bool compact) => WriteNullLength(compact, classicSize: 4);

    /// <summary>Bytes as they are, with no length.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>
    /// A writer for one tagged field's value, whose size has to precede it. Tagged fields are few and written
    /// only when not at their default, so the copy costs little.
    /// </summary>
    public KafkaWriter CreateScratch() => new(new ArrayBufferWriter<byte>(64));

    /// <summary>Writes a tagged field: its tag, the size of what <paramref name="scratch"/> holds, and that.</summary>
    public void WriteTaggedField(uint tag, KafkaWriter scratch)
    {
        var buffer = scratch._scratch
            ?? throw new InvalidOperationException("A tagged field's value is written to a writer from CreateScratch.");
        var value = buffer.WrittenSpan;
        WriteUnsignedVarint(tag);
        WriteUnsignedVarint((uint)value.Length);
        WriteRaw(value);
    }

    private void WriteNullLength(bool compact, int classicSize)
    {
        if (compact)
        {
            WriteUnsignedVarint(0);
        }
        else if (classicSize == 2)
        {
            WriteInt16(-1);
        }
        else
        {
            WriteInt32(-1);
        }
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        BytesWritten += count;
    }
}
