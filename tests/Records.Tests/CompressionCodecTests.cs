using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4.Streams;
using Orlog.Records.Compression;
using Snappier;
using ZstdSharp;

namespace Orlog.Records.Tests;

public sealed class CompressionCodecTests
{
    private static readonly byte[] _text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog; ", 3000)));

    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void CompressedBytesDecompressToTheInput(CompressionType type)
    {
        var codec = CompressionCodecs.Get(type);
        Assert.Equal(type, codec.Type);
        foreach (var input in new[] { _text, Random(200_000), new byte[1], new byte[300_000] })
        {
            Assert.Equal(input, RoundTrip(codec, input));
        }
    }

    [Fact]
    public void GzipOutputIsAGzipStream()
    {
        var compressed = Compress(CompressionCodecs.Gzip, _text);
        Assert.Equal(new byte[] { 0x1F, 0x8B, 0x08 }, compressed[..3]);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(_text, plain.ToArray());
    }

    [Fact]
    public void SnappyOutputIsXerialFramedAsTheJavaClientWritesIt()
    {
        var input = Random(100_000);
        var compressed = Compress(CompressionCodecs.Snappy, input);
        Assert.Equal(new byte[] { 0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0 }, compressed[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(12)));

        // Then blocks of at most 32 KiB of input, each a big-endian length and one raw snappy block.
        var position = 16;
        var decoded = new List<byte>();
        var blocks = 0;
        while (position < compressed.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(position));
            var block = Snappy.DecompressToArray(compressed.AsSpan(position + 4, length));
            Assert.True(block.Length <= 32 * 1024);
            decoded.AddRange(block);
            position += 4 + length;
            blocks++;
        }
        Assert.Equal(4, blocks);
        Assert.Equal(input, decoded.ToArray());
    }

    [Fact]
    public void PlainRawSnappyBlockIsAlsoRead()
    {
        var raw = Snappy.CompressToArray(_text);
        Assert.Equal(_text, Decompress(CompressionCodecs.Snappy, raw));
    }

    [Fact]
    public void XerialStreamWithOtherVersionFieldsAndManyBlocksIsRead()
    {
        var first = Snappy.CompressToArray(_text.AsSpan(0, 1000));
        var second = Snappy.CompressToArray(_text.AsSpan(1000));
        var stream = new List<byte> { 0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1 };
        foreach (var block in new[] { first, second })
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            stream.AddRange(length);
            stream.AddRange(block);
        }
        Assert.Equal(_text, Decompress(CompressionCodecs.Snappy, [.. stream]));
    }

    [Fact]
    public void Lz4OutputIsAStandardFrameWithIndependentBlocksAsKafkaReads()
    {
        var compressed = Compress(CompressionCodecs.Lz4, _text);
        Assert.Equal(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, compressed[..4]);
        // FLG: version 01, independent blocks, no block checksum, no content size or checksum.
        Assert.Equal(0x60, compressed[4]);
        // BD: 64 KiB blocks.
        Assert.Equal(0x40, compressed[5]);
        using var decoder = LZ4Stream.Decode(new MemoryStream(compressed));
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        Assert.Equal(_text, plain.ToArray());
    }

    [Fact]
    public void ZstdOutputIsAStandardFrame()
    {
        var compressed = Compress(CompressionCodecs.Zstd, _text);
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, compressed[..4]);
        using var decompressor = new Decompressor();
        Assert.Equal(_text, decompressor.Unwrap(compressed).ToArray());
    }

    [Fact]
    public void GzipStreamOutputDecodes()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(_text);
        }
        Assert.Equal(_text, Decompress(CompressionCodecs.Gzip, compressed.ToArray()));
    }

    [Fact]
    public void Lz4StreamOutputDecodesWithChainedBlocksAndChecksums()
    {
        using var compressed = new MemoryStream();
        var settings = new LZ4EncoderSettings { ChainBlocks = true, BlockChecksum = true, ContentChecksum = true };
        using (var encoder = LZ4Stream.Encode(compressed, settings, leaveOpen: true))
        {
            encoder.Write(_text);
        }
        Assert.Equal(_text, Decompress(CompressionCodecs.Lz4, compressed.ToArray()));
    }

    [Fact]
    public void ZstdStreamingFramesWithoutContentSizeDecode()
    {
        using var compressed = new MemoryStream();
        using (var encoder = new CompressionStream(compressed, 3, leaveOpen: true))
        {
            // Written in pieces, so the frame carries no content size (as Kafka's Java client writes it).
            for (var i = 0; i < _text.Length; i += 1000)
            {
                encoder.Write(_text, i, Math.Min(1000, _text.Length - i));
            }
        }
        Assert.Equal(_text, Decompress(CompressionCodecs.Zstd, compressed.ToArray()));
    }

    [Fact]
    public void ConcatenatedZstdFramesDecode()
    {
        using var compressor = new Compressor(3);
        var first = compressor.Wrap(_text.AsSpan(0, 500)).ToArray();
        var second = compressor.Wrap(_text.AsSpan(500)).ToArray();
        Assert.Equal(_text, Decompress(CompressionCodecs.Zstd, [.. first, .. second]));
    }

    public static TheoryData<string, byte[]> OtherClientPayloads => new()
    {
        // The record payloads of sarama's (the Go client's) test batches: one 21-byte record, compressed by Go libraries.
        { "gzip", [31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 0, 21, 0, 234, 255, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 3, 0, 173, 201, 88, 103, 21, 0, 0, 0] },
        { "snappy", [21, 80, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12] },
        { "lz4", [4, 34, 77, 24, 100, 112, 185, 21, 0, 0, 128, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 0, 0, 0, 0, 12, 59, 239, 146] },
    };

    [Theory]
    [MemberData(nameof(OtherClientPayloads))]
    public void PayloadsCompressedByAnotherClientDecode(string codec, byte[] payload)
    {
        byte[] record = [40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12];
        Assert.Equal(record, Decompress(CompressionCodecs.Get(codec), payload));
    }

    public static TheoryData<CompressionType, byte[]> Garbage => new()
    {
        { CompressionType.Gzip, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
        { CompressionType.Gzip, [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { CompressionType.Snappy, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { CompressionType.Snappy, [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0] },
        { CompressionType.Snappy, [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0x10, 0, 1, 2] },
        { CompressionType.Lz4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
        { CompressionType.Lz4, [0x04, 0x22, 0x4D, 0x18, 0xFF, 0xFF, 0xFF, 0xFF] },
        { CompressionType.Zstd, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
        { CompressionType.Zstd, [0x28, 0xB5, 0x2F, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void GarbageIsACorruptMessageNamingTheCodec(CompressionType type, byte[] payload)
    {
        var codec = CompressionCodecs.Get(type);
        var exception = Assert.Throws<KafkaException>(() => Decompress(codec, payload));
        Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
        Assert.Contains(codec.Name, exception.Message);
    }

    [Theory]
    [MemberData(nameof(TestBatches.CompressedCodecs), MemberType = typeof(TestBatches))]
    public void TruncatedPayloadIsACorruptMessageNamingTheCodec(CompressionType type)
    {
        var codec = CompressionCodecs.Get(type);
        var compressed = Compress(codec, Random(50_000));
        foreach (var length in new[] { compressed.Length / 2, compressed.Length - 1 })
        {
            var exception = Assert.Throws<KafkaException>(() => Decompress(codec, compressed[..length]));
            Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
            Assert.Contains(codec.Name, exception.Message);
        }
    }

    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void DecompressionPastTheLimitIsRefused(CompressionType type)
    {
        var codec = CompressionCodecs.Get(type);
        var bomb = Compress(codec, new byte[1_000_000]);
        var output = new ArrayBufferWriter<byte>();
        var exception = Assert.Throws<KafkaException>(() => codec.Decompress(bomb, output, 100_000));
        Assert.Equal(ErrorCode.MessageTooLarge, exception.Code);
        Assert.True(output.WrittenCount <= 100_000, $"{output.WrittenCount} bytes written past the limit");
        Assert.Equal(1_000_000, codec.Decompress(bomb, new ArrayBufferWriter<byte>(), 1_000_000));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void UnknownCodecIdIsUnsupported(int id)
    {
        var exception = Assert.Throws<KafkaException>(() => CompressionCodecs.Get((CompressionType)id));
        Assert.Equal(ErrorCode.UnsupportedCompressionType, exception.Code);
        Assert.StartsWith("UNSUPPORTED_COMPRESSION_TYPE", exception.Message);
        Assert.Throws<KafkaException>(() => new RecordBatchBuilder((CompressionType)id));
    }

    [Theory]
    [InlineData("none", CompressionType.None)]
    [InlineData("gzip", CompressionType.Gzip)]
    [InlineData("SNAPPY", CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Lz4)]
    [InlineData("zstd", CompressionType.Zstd)]
    public void CodecsAreFoundByKafkasNames(string name, CompressionType type)
    {
        Assert.Equal(type, CompressionCodecs.Get(name).Type);
        Assert.Equal(name.ToLowerInvariant(), CompressionCodecs.Get(type).Name);
    }

    [Fact]
    public void UnknownCodecNameIsUnsupported()
    {
        Assert.Equal(ErrorCode.UnsupportedCompressionType, Assert.Throws<KafkaException>(() => CompressionCodecs.Get("brotli")).Code);
    }

    private static byte[] RoundTrip(ICompressionCodec codec, byte[] input) => Decompress(codec, Compress(codec, input));

    private static byte[] Compress(ICompressionCodec codec, byte[] input)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = codec.Compress(input, output);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Decompress(ICompressionCodec codec, byte[] input)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = codec.Decompress(input, output, int.MaxValue);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
