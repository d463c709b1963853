using Orlog.Records.Compression;

namespace Orlog.Records;

/// <summary>Decompresses a batch's records once into a pooled buffer (the caller disposes it).</summary>
internal static class RecordBatchPayload
{
    public static PooledBufferWriter Decompress(CompressionType compression, ReadOnlySpan<byte> payload, int maxUncompressedBytes)
    {
        var codec = CompressionCodecs.Get(compression);
        var initial = (int)Math.Min(Math.Max(payload.Length * 4L, 4096), Math.Max(maxUncompressedBytes, 1));
        var buffer = new PooledBufferWriter(initial);
        try
        {
            codec.Decompress(payload, buffer, maxUncompressedBytes);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
