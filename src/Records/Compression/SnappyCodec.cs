using System.Buffers;
using System.Buffers.Binary;
using Snappier;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=snappy: raw snappy blocks (through Snappier) inside the xerial snappy-java framing that
/// Kafka's Java client writes: the 8-byte magic <c>82 'S' 'N' 'A' 'P' 'P' 'Y' 00</c>, a big-endian int32
/// version (1) and minimum compatible version (1), then blocks of up to 32 KiB of input, each a big-endian
/// int32 length followed by one raw snappy block. On read a payload without the magic is taken as one plain
/// raw snappy block, as librdkafka also accepts.
/// </summary>
internal sealed class SnappyCodec : ICompressionCodec
{
    /// <summary>snappy-java's default block size, which Kafka's producer uses.</summary>
    public const int XerialBlockSize = 32 * 1024;

    public const int XerialHeaderSize = 16;

    /// <summary>Snappy's densest element, a 3-byte copy, yields 64 bytes: no block expands more than this.</summary>
    private const int MaxExpansion = 22;

    private const int XerialVersion = 1;
    private const int XerialCompatibleVersion = 1;

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    public CompressionType Type => CompressionType.Snappy;

    public string Name => "snappy";

    /// <summary>True when the payload starts with the xerial snappy-java magic.</summary>
    public static bool IsXerialFramed(ReadOnlySpan<byte> payload) => payload.StartsWith(XerialMagic);

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var header = destination.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], XerialVersion);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], XerialCompatibleVersion);
        destination.Advance(XerialHeaderSize);
        var total = XerialHeaderSize;
        while (source.Length > 0)
        {
            var chunk = source[..Math.Min(source.Length, XerialBlockSize)];
            source = source[chunk.Length..];
            var span = destination.GetSpan(4 + Snappy.GetMaxCompressedLength(chunk.Length));
            var length = Snappy.Compress(chunk, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, length);
            destination.Advance(4 + length);
            total += 4 + length;
        }
        return total;
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (!IsXerialFramed(source))
        {
            return DecompressBlock(source, destination, maxOutputBytes, maxOutputBytes, "the raw snappy block");
        }
        if (source.Length < XerialHeaderSize)
        {
            throw CodecErrors.Corrupt(Name, $"the xerial header is truncated at {source.Length} bytes");
        }
        var position = XerialHeaderSize;
        var total = 0;
        var block = 0;
        while (position < source.Length)
        {
            if (source.Length - position < 4)
            {
                throw CodecErrors.Corrupt(Name, $"xerial block {block} length is truncated at byte {position}");
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(source[position..]);
            position += 4;
            if (length < 0 || length > source.Length - position)
            {
                throw CodecErrors.Corrupt(Name, $"xerial block {block} declares {length} bytes but {source.Length - position} remain");
            }
            total += DecompressBlock(source.Slice(position, length), destination, maxOutputBytes - total, maxOutputBytes, $"xerial block {block}");
            position += length;
            block++;
        }
        return total;
    }

    private int DecompressBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, int remaining, int maxOutputBytes, string what)
    {
        int length;
        try
        {
            length = Snappy.GetUncompressedLength(block);
        }
        catch (Exception exception) when (CodecErrors.IsLibraryFailure(exception))
        {
            throw CodecErrors.Corrupt(Name, $"{what} has no valid length preamble ({exception.Message})", exception);
        }
        if (length > (long)block.Length * MaxExpansion)
        {
            throw CodecErrors.Corrupt(Name, $"{what} declares {length} bytes, more than {block.Length} compressed bytes can hold");
        }
        if (length > remaining)
        {
            throw CodecErrors.TooLarge(Name, maxOutputBytes);
        }
        if (length == 0)
        {
            return 0;
        }
        var span = destination.GetSpan(length);
        int written;
        try
        {
            written = Snappy.Decompress(block, span[..length]);
        }
        catch (Exception exception) when (CodecErrors.IsLibraryFailure(exception))
        {
            throw CodecErrors.Corrupt(Name, $"{what}: {exception.Message}", exception);
        }
        if (written != length)
        {
            throw CodecErrors.Corrupt(Name, $"{what} declares {length} bytes but decompressed to {written}");
        }
        destination.Advance(written);
        return written;
    }
}
