using Orlog.Records;

namespace Orlog.Log.Tests;

/// <summary>Record batches for tests, built with the codec's builder.</summary>
internal static class TestBatches
{
    public const long BaseTime = 1_700_000_000_000;

    public static byte[] Make(int records, int valueSize = 100, long timestamp = BaseTime, CompressionType compression = CompressionType.None,
        long producerId = -1, short producerEpoch = -1, int baseSequence = -1, byte fill = 0x61)
    {
        using var builder = new RecordBatchBuilder(compression)
        {
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            BaseSequence = baseSequence,
        };
        var value = new byte[valueSize];
        Array.Fill(value, fill);
        for (var i = 0; i < records; i++)
        {
            if (valueSize > 1)
            {
                value[0] = (byte)i; // records differ; the last byte keeps the fill
            }
            builder.Append(timestamp + i, RecordBytes.Null, value);
        }
        return builder.ToArray();
    }

    /// <summary>Offsets of every record in a buffer of batches, checking each batch on the way.</summary>
    public static List<long> Offsets(byte[] batches)
    {
        var offsets = new List<long>();
        var at = 0;
        while (at < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches.AsSpan(at));
            var batch = batches.AsSpan(at, header.TotalSize);
            Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(batch));
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                offsets.Add(record.Offset);
            }
            at += header.TotalSize;
        }
        return offsets;
    }

    public static List<RecordBatchHeader> Headers(byte[] batches)
    {
        var headers = new List<RecordBatchHeader>();
        var at = 0;
        while (at < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches.AsSpan(at));
            headers.Add(header);
            at += header.TotalSize;
        }
        return headers;
    }
}
