using System.Buffers.Binary;

namespace Orlog.Records.Tests;

/// <summary>Builds and tampers with batches for tests.</summary>
internal static class TestBatches
{
    public static readonly CompressionType[] AllCodecs =
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    public static TheoryData<CompressionType> Codecs => new(AllCodecs);

    public static TheoryData<CompressionType> CompressedCodecs =>
        new(CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd);

    /// <summary>A batch of <paramref name="count"/> records "key-i" / "value-i" at timestamps 1000 + i.</summary>
    public static byte[] Build(int count, CompressionType compression = CompressionType.None, int valueSize = 0)
    {
        using var builder = new RecordBatchBuilder(compression);
        var value = new byte[valueSize];
        for (var i = 0; i < count; i++)
        {
            var key = System.Text.Encoding.UTF8.GetBytes($"key-{i}");
            if (valueSize > 0)
            {
                Random.Shared.NextBytes(value);
                builder.Append(1000 + i, key, value);
            }
            else
            {
                builder.Append(1000 + i, key, System.Text.Encoding.UTF8.GetBytes($"value-{i}"));
            }
        }
        return builder.ToArray();
    }

    /// <summary>Wraps encoded records in a v2 header with a correct CRC, so that a check reaches the records.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> payload, int recordCount, int? lastOffsetDelta = null, CompressionType compression = CompressionType.None, long baseTimestamp = 1000, long maxTimestamp = 1000)
    {
        var batch = new byte[RecordBatchHeader.Size + payload.Length];
        new RecordBatchHeader
        {
            BatchLength = batch.Length - RecordBatchHeader.LogOverhead,
            PartitionLeaderEpoch = -1,
            Magic = 2,
            Attributes = (short)compression,
            LastOffsetDelta = lastOffsetDelta ?? recordCount - 1,
            BaseTimestamp = baseTimestamp,
            MaxTimestamp = maxTimestamp,
            ProducerId = -1,
            ProducerEpoch = -1,
            BaseSequence = -1,
            RecordCount = recordCount,
        }.WriteWithoutCrc(batch);
        payload.CopyTo(batch.AsSpan(RecordBatchHeader.Size));
        RecordBatchHeader.WriteCrc(batch);
        return batch;
    }

    /// <summary>Encodes one record by hand from its fields (each a varint unless said otherwise).</summary>
    public static byte[] Record(int offsetDelta, byte[]? key = null, byte[]? value = null, long timestampDelta = 0, int? lengthAdjust = null)
    {
        var body = new List<byte> { 0 };
        body.AddRange(Varint(timestampDelta));
        body.AddRange(Varint(offsetDelta));
        body.AddRange(Varint(key?.Length ?? -1));
        body.AddRange(key ?? []);
        body.AddRange(Varint(value?.Length ?? -1));
        body.AddRange(value ?? []);
        body.AddRange(Varint(0));
        var record = new List<byte>(Varint(body.Count + (lengthAdjust ?? 0)));
        record.AddRange(body);
        return [.. record];
    }

    public static byte[] Varint(long value)
    {
        var buffer = new byte[10];
        var n = Orlog.Records.Varint.WriteVarlong(buffer, value);
        return buffer[..n];
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Recomputes the CRC after a test changed bytes under it.</summary>
    public static byte[] Recrc(byte[] batch)
    {
        RecordBatchHeader.WriteCrc(batch);
        return batch;
    }

    public static byte[] WithInt16(byte[] batch, int offset, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(offset), value);
        return batch;
    }

    public static byte[] WithInt32(byte[] batch, int offset, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(offset), value);
        return batch;
    }
}
