using System.Buffers;
using ZstdSharp;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=zstd: the records as standard zstd frames (magic 28 B5 2F FD), through ZstdSharp.
/// Written as one frame at level 3 (Kafka's default); read with the streaming decoder, so frames without a
/// content size (as Kafka's Java client writes them) and concatenated frames decode too. Each thread keeps
/// one compression and one decompression context, which are costly to create.
/// </summary>
internal sealed class ZstdCodec : ICompressionCodec
{
    /// <summary>Kafka's default zstd level (compression.zstd.level).</summary>
    public const int DefaultLevel = 3;

    private const int ChunkSize = 64 * 1024;

    [ThreadStatic]
    private static Compressor? _threadCompressor;

    [ThreadStatic]
    private static Decompressor? _threadDecompressor;

    public CompressionType Type => CompressionType.Zstd;

    public string Name => "zstd";

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var compressor = _threadCompressor ??= new Compressor(DefaultLevel);
        var span = destination.GetSpan(Compressor.GetCompressBound(source.Length));
        var written = compressor.Wrap(source, span);
        destination.Advance(written);
        return written;
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        var decompressor = _threadDecompressor ??= new Decompressor();
        try
        {
            decompressor.ResetStream();
            var total = 0;
            while (true)
            {
                var span = destination.GetSpan(ChunkSize);
                var status = decompressor.UnwrapStream(source, span, out var consumed, out var written);
                source = source[consumed..];
                if (written > maxOutputBytes - total)
                {
                    throw CodecErrors.TooLarge(Name, maxOutputBytes);
                }
                destination.Advance(written);
                total += written;
                if (status == OperationStatus.Done && source.IsEmpty)
                {
                    return total;
                }
                if (status == OperationStatus.InvalidData)
                {
                    throw CodecErrors.Corrupt(Name, "the data is not a valid zstd frame");
                }
                if (status == OperationStatus.NeedMoreData && source.IsEmpty && written == 0)
                {
                    throw CodecErrors.Corrupt(Name, "the frame is truncated");
                }
                if (consumed == 0 && written == 0 && status != OperationStatus.DestinationTooSmall)
                {
                    throw CodecErrors.Corrupt(Name, $"the decoder made no progress ({status})");
                }
            }
        }
        catch (Exception exception) when (CodecErrors.IsLibraryFailure(exception))
        {
            // A failed context may hold state from the bad frame: drop it.
            _threadDecompressor = null;
            decompressor.Dispose();
            throw CodecErrors.Corrupt(Name, exception.Message, exception);
        }
    }
}
