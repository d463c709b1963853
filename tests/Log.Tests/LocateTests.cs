using Orlog.Records;

namespace Orlog.Log.Tests;

/// <summary>Where batches lie in their segment file (for zero-copy sends): the same bytes a read returns.</summary>
public sealed class LocateTests
{
    private static readonly int _batchSize = TestBatches.Make(10).Length;

    private static byte[] BytesAt(LogFileRange range)
    {
        using var file = File.OpenHandle(range.Path!);
        var bytes = new byte[range.Length];
        Assert.Equal(range.Length, RandomAccess.Read(file, bytes, range.Position));
        return bytes;
    }

    [Theory]
    [InlineData(0, 1)] // less than a batch: still the first whole batch
    [InlineData(0, 10_000)]
    [InlineData(25, 10_000)] // inside a batch of the second segment
    [InlineData(35, 1)]
    public void The_range_holds_the_bytes_a_read_returns(long offset, int maxBytes)
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = (_batchSize * 2) + 1 });
        for (var i = 0; i < 5; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
        }

        var range = fixture.Log.Locate(offset, maxBytes);
        var read = fixture.Log.Read(offset, maxBytes);

        Assert.Equal(read.Records, BytesAt(range));
        Assert.Equal((0L, 50L), (range.LogStartOffset, range.LogEndOffset));
        // The next offset is the one after the range's last batch, as the bytes' own headers say.
        Assert.Equal(RecordBatchHeader.NextOffsetAfter(read.Records, -1), range.NextOffset);
        Assert.True(range.NextOffset > offset && range.NextOffset % 10 == 0, $"next offset {range.NextOffset}");
        Assert.Equal(fixture.SegmentPath(offset < 20 ? 0 : 20), range.Path);
    }

    [Fact]
    public void Nothing_at_the_end_or_at_the_high_watermark_and_out_of_range_outside_the_log()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);

        Assert.Equal((null, 0, 20L), (fixture.Log.Locate(20, 1000).Path, fixture.Log.Locate(20, 1000).Length, fixture.Log.Locate(20, 1000).NextOffset));
        var belowWatermark = fixture.Log.Locate(0, 100_000, maxOffset: 10);
        Assert.Equal(_batchSize, belowWatermark.Length); // only the batch that ends below offset 10
        Assert.Equal(10, belowWatermark.NextOffset);
        Assert.Equal(20, fixture.Log.Locate(0, 100_000).NextOffset);
        Assert.Equal(0, fixture.Log.Locate(10, 100_000, maxOffset: 10).Length);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.Locate(21, 1000)).Code);
    }
}
