using System.Buffers.Binary;

namespace Orlog.Records;

/// <summary>
/// Encodes one v2 record:
/// <code>
/// length varint (of what follows)   attributes int8 (0)   timestampDelta varlong   offsetDelta varint
/// keyLength varint (-1 null)  key   valueLength varint (-1 null)  value
/// headerCount varint  [headerKeyLength varint  headerKey (UTF-8)  headerValueLength varint (-1 null)  headerValue]
/// </code>
/// </summary>
internal static class RecordWriter
{
    /// <summary>Bytes of the record after its length prefix.</summary>
    public static int BodySize(long timestampDelta, int offsetDelta, int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers)
    {
        long size = 1
            + Varint.SizeOfVarlong(timestampDelta)
            + Varint.SizeOfVarint(offsetDelta)
            + Varint.SizeOfVarint(keyLength) + Math.Max(keyLength, 0)
            + Varint.SizeOfVarint(valueLength) + Math.Max(valueLength, 0)
            + Varint.SizeOfVarint(headers.Length);
        foreach (ref readonly var header in headers)
        {
            var keyBytes = header.KeyByteCount;
            var valueLength2 = header.IsValueNull ? -1 : header.Value.Length;
            size += Varint.SizeOfVarint(keyBytes) + keyBytes + Varint.SizeOfVarint(valueLength2) + Math.Max(valueLength2, 0);
        }
        return size <= int.MaxValue - Varint.MaxVarintSize
            ? (int)size
            : throw new ArgumentException($"A record of {size} bytes is larger than a batch can hold.");
    }

    /// <summary>Writes the record (length prefix included); the destination holds at least
    /// <c>SizeOfVarint(bodySize) + bodySize</c> bytes. Returns the bytes written.</summary>
    public static int Write(Span<byte> destination, int bodySize, long timestampDelta, int offsetDelta, RecordBytes key, RecordBytes value, ReadOnlySpan<RecordHeader> headers)
    {
        var p = Varint.WriteVarint(destination, bodySize);
        destination[p++] = 0;
        p += Varint.WriteVarlong(destination[p..], timestampDelta);
        p += Varint.WriteVarint(destination[p..], offsetDelta);
        p += WriteBytes(destination[p..], key);
        p += WriteBytes(destination[p..], value);
        p += Varint.WriteVarint(destination[p..], headers.Length);
        foreach (ref readonly var header in headers)
        {
            p += Varint.WriteVarint(destination[p..], header.KeyByteCount);
            p += header.WriteKey(destination[p..]);
            if (header.IsValueNull)
            {
                p += Varint.WriteVarint(destination[p..], -1);
            }
            else
            {
                p += Varint.WriteVarint(destination[p..], header.Value.Length);
                header.Value.Span.CopyTo(destination[p..]);
                p += header.Value.Length;
            }
        }
        return p;
    }

    private static int WriteBytes(Span<byte> destination, RecordBytes bytes)
    {
        if (bytes.IsNull)
        {
            return Varint.WriteVarint(destination, -1);
        }
        var p = Varint.WriteVarint(destination, bytes.Span.Length);
        bytes.Span.CopyTo(destination[p..]);
        return p + bytes.Span.Length;
    }

    /// <summary>Writes a complete v2 batch: header fields, CRC, then the (possibly compressed) records payload.</summary>
    public static void WriteBatch(Span<byte> destination, in RecordBatchHeader header, ReadOnlySpan<byte> payload)
    {
        header.WriteWithoutCrc(destination);
        payload.CopyTo(destination[RecordBatchHeader.Size..]);
        var batch = destination[..(RecordBatchHeader.Size + payload.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], RecordBatchHeader.ComputeCrc(batch));
    }
}
