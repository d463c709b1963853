using System.Buffers;

namespace Orlog.Records.Compression;

/// <summary>compression.type=none: the payload is the records themselves.</summary>
internal sealed class NoCompressionCodec : ICompressionCodec
{
    public CompressionType Type => CompressionType.None;

    public string Name => "none";

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        destination.Write(source);
        return source.Length;
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.Length > maxOutputBytes)
        {
            throw CodecErrors.TooLarge(Name, maxOutputBytes);
        }
        destination.Write(source);
        return source.Length;
    }
}
