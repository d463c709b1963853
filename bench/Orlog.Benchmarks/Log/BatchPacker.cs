using Orlog.Records;

namespace Orlog.Benchmarks.Log;

/// <summary>Packs fixed-size records into batches of at most a given size, as a producer would.</summary>
internal static class BatchPacker
{
    public static List<byte[]> Pack(long totalBytes, int recordBytes, int batchBytes, CompressionType compression = CompressionType.None)
    {
        var batches = new List<byte[]>((int)(totalBytes / batchBytes) + 1);
        var value = new byte[recordBytes];
        new Random(42).NextBytes(value);
        using var builder = new RecordBatchBuilder(compression);
        var recordEstimate = RecordBatchBuilder.EstimateRecordSize(-1, recordBytes, default);
        long packed = 0;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (packed < totalBytes)
        {
            if (builder.RecordCount > 0 && builder.EstimatedSize + recordEstimate > batchBytes)
            {
                var batch = builder.ToArray();
                batches.Add(batch);
                packed += batch.Length;
                builder.Reset();
            }
            value[0] = (byte)builder.RecordCount;
            builder.Append(timestamp, RecordBytes.Null, value);
        }
        return batches;
    }
}
