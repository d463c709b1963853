using System.Buffers;

namespace Orlog.Records.Tests;

public sealed class RecordBatchBuilderTests
{
    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void WriteToAndToArrayGiveTheSameBytes(CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression);
        for (var i = 0; i < 100; i++)
        {
            builder.Append(i, BitConverter.GetBytes(i), new byte[i]);
        }
        var array = builder.ToArray();
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 9, 9 });
        var written = builder.WriteTo(writer);
        Assert.Equal(array.Length, written);
        Assert.Equal(array, writer.WrittenSpan[2..].ToArray());
    }

    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void BuildGivesTheBatchInPlaceAndAgainAfterReset(CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 100 + round; i++)
            {
                builder.Append(i, BitConverter.GetBytes(i), new byte[i]);
            }
            var built = builder.Build();
            Assert.Equal(builder.ToArray(), built.ToArray());
            var info = RecordBatchValidator.Validate(built.ToArray(), int.MaxValue);
            Assert.Equal(100 + round, info.Header.RecordCount);
            if (compression == CompressionType.None)
            {
                Assert.Equal(builder.EstimatedSize, built.Length);
            }
            builder.Reset();
        }
    }

    [Fact]
    public void EstimatedSizeIsExactWithoutCompression()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Equal(RecordBatchHeader.Size, builder.EstimatedSize);
        for (var i = 0; i < 50; i++)
        {
            builder.Append(i * 1000L, new byte[i], new byte[100], [new RecordHeader("trace", new byte[i % 3])]);
            Assert.Equal(builder.ToArray().Length, builder.EstimatedSize);
        }
    }

    [Theory]
    [MemberData(nameof(TestBatches.CompressedCodecs), MemberType = typeof(TestBatches))]
    public void EstimatedSizeBoundsCompressibleBatches(CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression);
        for (var i = 0; i < 100; i++)
        {
            builder.Append(i, "key"u8, new byte[100]);
        }
        Assert.True(builder.ToArray().Length <= builder.EstimatedSize);
    }

    [Fact]
    public void EstimateRecordSizeIsAnUpperBoundOfWhatARecordAdds()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(0, "k"u8, "v"u8);
        RecordHeader[] headers = [new("a", [1, 2, 3]), new("é", null)];
        var before = builder.EstimatedSize;
        builder.Append(long.MaxValue / 2, new byte[300], RecordBytes.Null, headers);
        var added = builder.EstimatedSize - before;
        var estimate = RecordBatchBuilder.EstimateRecordSize(300, -1, headers);
        Assert.InRange(added, estimate - 12, estimate);
    }

    [Fact]
    public void HasRoomForStopsAtTheBatchSizeButTakesAnOversizedFirstRecord()
    {
        using var builder = new RecordBatchBuilder();
        Assert.True(builder.HasRoomFor(10, 100_000, [], maxBatchSize: 16_384));
        builder.Append(0, new byte[10], new byte[100]);
        var appended = 1;
        while (builder.HasRoomFor(10, 100, [], 16_384))
        {
            builder.Append(appended, new byte[10], new byte[100]);
            appended++;
        }
        Assert.True(builder.EstimatedSize <= 16_384);
        Assert.True(builder.EstimatedSize + RecordBatchBuilder.EstimateRecordSize(10, 100, []) > 16_384);
        Assert.Equal(appended, builder.RecordCount);
    }

    [Fact]
    public void ResetStartsANewBatchWithTheSameSettings()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Zstd) { ProducerId = 7, ProducerEpoch = 1, BaseSequence = 10 };
        builder.Append(5, "a"u8, "b"u8);
        builder.Append(6, "a"u8, "b"u8);
        builder.ToArray();
        builder.Reset();
        Assert.Equal(0, builder.RecordCount);
        Assert.Equal(-1, builder.BaseTimestamp);
        builder.BaseSequence = 12;
        builder.Append(100, "c"u8, "d"u8);
        var batch = builder.ToArray();

        var info = RecordBatchValidator.Validate(batch, 1 << 20);
        Assert.Equal(1, info.RecordCount);
        Assert.Equal(100, info.Header.BaseTimestamp);
        Assert.Equal(7, info.Header.ProducerId);
        Assert.Equal(12, info.Header.BaseSequence);
        Assert.Equal(CompressionType.Zstd, info.Compression);
    }

    [Fact]
    public void EmptyBatchCannotBeWritten()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.ToArray());
        Assert.Throws<InvalidOperationException>(() => builder.WriteTo(new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void BaseTimestampIsTheFirstRecordsAndMaxTheLargest()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(500, "a"u8, "a"u8);
        builder.Append(900, "a"u8, "a"u8);
        builder.Append(100, "a"u8, "a"u8);
        Assert.Equal(500, builder.BaseTimestamp);
        Assert.Equal(900, builder.MaxTimestamp);
        var header = RecordBatchHeader.Read(builder.ToArray());
        Assert.Equal(500, header.BaseTimestamp);
        Assert.Equal(900, header.MaxTimestamp);
        Assert.Equal(2, header.LastOffsetDelta);
    }

    [Fact]
    public void NullAndEmptyKeysAndValuesStayDistinct()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(0, null, null);
        builder.Append(0, Array.Empty<byte>(), Array.Empty<byte>());
        builder.Append(0, RecordBytes.Null, ReadOnlySpan<byte>.Empty);
        builder.Append(0, RecordBytes.FromMemory(null), RecordBytes.FromMemory(new byte[] { 1 }));
        using var reader = new RecordBatchReader(builder.ToArray());
        var seen = new List<(bool, bool)>();
        foreach (var record in reader)
        {
            seen.Add((record.IsKeyNull, record.IsValueNull));
            Assert.Equal(record.IsKeyNull, record.KeyToArray() is null);
        }
        Assert.Equal([(true, true), (false, false), (true, false), (true, false)], seen);
    }

    [Fact]
    public void AppendingAllocatesNothingOnceTheBufferHasGrown()
    {
        using var builder = new RecordBatchBuilder();
        var key = new byte[16];
        var value = new byte[100];
        RecordHeader[] headers = [new("h", new byte[4])];
        for (var i = 0; i < 1000; i++)
        {
            builder.Append(i, key, value, headers);
        }
        builder.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            builder.Append(i, key, value, headers);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void HeaderKeysAreUtf8()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(0, "k"u8, "v"u8, [new RecordHeader("clé", [1]), RecordHeader.FromUtf8Key("raw"u8.ToArray(), null)]);
        using var reader = new RecordBatchReader(builder.ToArray());
        foreach (var record in reader)
        {
            var keys = new List<string>();
            foreach (var header in record.Headers)
            {
                keys.Add(header.KeyString);
            }
            Assert.Equal(["clé", "raw"], keys);
        }
    }
}
