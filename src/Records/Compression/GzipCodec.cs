using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=gzip: the records as one gzip stream (RFC 1952), through
/// <see cref="GZipStream"/>. Kafka's Java client writes the same with java.util.zip at the default level.
/// </summary>
internal sealed class GzipCodec : ICompressionCodec
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>A 10-byte header and an 8-byte trailer.</summary>
    private const int MinimumSize = 18;

    public CompressionType Type => CompressionType.Gzip;

    public string Name => "gzip";

    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var output = new BufferWriterStream(destination);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(source);
        }
        return checked((int)output.Written);
    }

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        // GZipStream reads from a stream only: the compressed bytes go through one pooled copy.
        var input = ArrayPool<byte>.Shared.Rent(Math.Max(source.Length, 1));
        try
        {
            source.CopyTo(input);
            using var gzip = new GZipStream(new MemoryStream(input, 0, source.Length, writable: false), CompressionMode.Decompress);
            var total = 0;
            while (true)
            {
                var span = destination.GetSpan(ChunkSize);
                var read = gzip.Read(span);
                if (read == 0)
                {
                    break;
                }
                if (read > maxOutputBytes - total)
                {
                    throw CodecErrors.TooLarge(Name, maxOutputBytes);
                }
                destination.Advance(read);
                total += read;
            }
            CheckComplete(source, total);
            return total;
        }
        catch (Exception exception) when (CodecErrors.IsLibraryFailure(exception))
        {
            throw CodecErrors.Corrupt(Name, exception.Message, exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    /// <summary>
    /// GZipStream reports a stream that ends early as a plain end of data, without error. zlib checks the
    /// trailer (CRC-32 and ISIZE, the length mod 2^32) of a stream that does reach its end, so a stream whose
    /// last four bytes are not the decompressed length was cut short. (A stream of several gzip members, which
    /// no Kafka client writes, carries only the last member's length there and is refused too.)
    /// </summary>
    private void CheckComplete(ReadOnlySpan<byte> source, int total)
    {
        if (source.Length < MinimumSize)
        {
            throw CodecErrors.Corrupt(Name, $"{source.Length} bytes is shorter than a gzip header and trailer");
        }
        var isize = BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]);
        if (isize != (uint)total)
        {
            throw CodecErrors.Corrupt(Name, $"the stream ends early: it decompressed to {total} bytes but its last four bytes, which end a whole stream with its length, say {isize}");
        }
    }
}
