using System.Buffers;
using ZstdSharp;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=zstd: the records as standard zstd frames (magic 28 B5 2F FD), through ZstdSharp.
/// Written as one frame at level 3 (Kafka's default); read in one pass, so frames without a content size (as
/// Kafka's Java client writes them) and concatenated frames decode too. Each thread keeps one compression
/// and one decompression context, which are costly to create.
/// </summary>
internal sealed class ZstdCodec : ICompressionCodec
{
    /// <summary>Kafka's default zstd level (compression.zstd.level).</summary>
    public const int DefaultLevel = 3;

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
        if (source.IsEmpty)
        {
            throw CodecErrors.Corrupt(Name, "the payload is empty");
        }
        var decompressor = _threadDecompressor ??= new Decompressor();
        try
        {
            // One pass into a buffer of the frames' decompressed-size bound (exact when a frame records its
            // content size, within a block otherwise), capped at the limit. Unlike the streaming decoder, a
            // single pass needs no window buffer, so a frame declaring a huge window costs no memory.
            var bound = Decompressor.GetDecompressedSize(source);
            var capacity = (int)Math.Max(Math.Min(bound, (ulong)maxOutputBytes), 1);
            var span = destination.GetSpan(capacity)[..capacity];
            if (!decompressor.TryUnwrap(source, span, out var written))
            {
                throw bound > (ulong)maxOutputBytes
                    ? CodecErrors.TooLarge(Name, maxOutputBytes)
                    : CodecErrors.Corrupt(Name, $"the frames decompress to more than the {bound} bytes their headers allow");
            }
            destination.Advance(written);
            return written;
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
