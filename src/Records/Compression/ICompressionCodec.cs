using System.Buffers;

namespace Orlog.Records.Compression;

/// <summary>
/// One of Kafka's batch compression codecs, with Kafka's framing of the compressed records. Implementations
/// are thread-safe and stateless from the caller's view; get them from <see cref="CompressionCodecs"/>.
/// </summary>
public interface ICompressionCodec
{
    /// <summary>The codec's id in a batch's attributes.</summary>
    CompressionType Type { get; }

    /// <summary>Kafka's name of the codec (compression.type): none, gzip, snappy, lz4, zstd.</summary>
    string Name { get; }

    /// <summary>Compresses <paramref name="source"/> into one payload appended to <paramref name="destination"/>.</summary>
    /// <returns>The bytes appended.</returns>
    int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>Decompresses one whole payload, appending the result to <paramref name="destination"/>.</summary>
    /// <param name="source">The compressed payload, exactly.</param>
    /// <param name="destination">Receives the decompressed bytes.</param>
    /// <param name="maxOutputBytes">The most bytes the payload may decompress to (a guard against decompression bombs).</param>
    /// <returns>The bytes appended.</returns>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE when the payload is not valid for this codec (the message
    /// names the codec); MESSAGE_TOO_LARGE when it decompresses to more than <paramref name="maxOutputBytes"/>.</exception>
    int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes);
}
