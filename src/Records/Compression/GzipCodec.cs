using System.Buffers;
using System.IO.Compression;

namespace Orlog.Records.Compression;

/// <summary>
/// compression.type=gzip: the records as one gzip stream (RFC 1952), through
/// <see cref="GZipStream"/>. Kafka's Java client writes the same with java.util.zip at the default level.
/// </summary>
internal sealed class GzipCodec : ICompressionCodec
{
    private const int ChunkSize = 16 * 1024;

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
}
