using System.Buffers;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=lz4: the records as one standard LZ4 frame (magic 04 22 4D 18), through K4os'
/// <see cref="LZ4Frame"/>. The frame is written as Kafka's Java client writes it: independent 64 KiB
/// blocks, no block or content checksum, no content size (Kafka's reader refuses dependent blocks).
/// </summary>
internal sealed class Lz4Codec : ICompressionCodec
{
    private static readonly LZ4EncoderSettings _encoderSettings = new()
    {
        ChainBlocks = false,
        BlockSize = 64 * 1024,
        BlockChecksum = false,
        ContentChecksum = false,
        ContentLength = null,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    public CompressionType Type => CompressionType.Lz4;

    public string Name => "lz4";

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var counting = new BoundedBufferWriter(destination, int.MaxValue, Name);
        LZ4Frame.Encode(source, counting, _encoderSettings);
        return counting.Written;
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.Length < 7)
        {
            throw CodecErrors.Corrupt(Name, $"{source.Length} bytes is shorter than an LZ4 frame header");
        }
        var bounded = new BoundedBufferWriter(destination, maxOutputBytes, Name);
        try
        {
            LZ4Frame.Decode(source, bounded);
        }
        catch (Exception exception) when (CodecErrors.IsLibraryFailure(exception))
        {
            throw CodecErrors.Corrupt(Name, exception.Message, exception);
        }
        return bounded.Written;
    }
}
