namespace Orlog.Log.Tests;

public sealed class AppendAndReadTests
{
    [Fact]
    public void OffsetsAreDenseAndIncreaseAsAppended()
    {
        using var fixture = new LogFixture();
        var log = fixture.Log;
        var first = log.AppendAsLeader(TestBatches.Make(10), leaderEpoch: 0);
        var second = log.AppendAsLeader(TestBatches.Make(5), leaderEpoch: 0);

        Assert.Equal((0, 9), (first.BaseOffset, first.LastOffset));
        Assert.Equal((10, 14), (second.BaseOffset, second.LastOffset));
        Assert.Equal(15, log.LogEndOffset);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), TestBatches.Offsets(log.Read(0, 1 << 20).Records));
    }

    [Fact]
    public void AppendSetsBaseOffsetAndLeaderEpochWithoutBreakingTheCrc()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(3), leaderEpoch: 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(3), leaderEpoch: 7);

        var headers = TestBatches.Headers(fixture.Log.Read(0, 1 << 20).Records);
        Assert.Equal([0L, 3L], headers.Select(h => h.BaseOffset));
        Assert.Equal([0, 7], headers.Select(h => h.PartitionLeaderEpoch));
        Assert.Equal([new EpochEntry(0, 0), new EpochEntry(7, 3)], fixture.Log.Epochs);
    }

    [Fact]
    public void SegmentFileHoldsBatchesBackToBackAsKafkaWritesThem()
    {
        using var fixture = new LogFixture();
        var a = TestBatches.Make(2);
        var b = TestBatches.Make(3);
        fixture.Log.AppendAsLeader(a, 0);
        fixture.Log.AppendAsLeader(b, 0);
        fixture.Log.Dispose();

        var file = File.ReadAllBytes(fixture.SegmentPath(0));
        Assert.Equal(a.Length + b.Length, file.Length);
        Assert.Equal(a, file[..a.Length]);
        Assert.Equal(b, file[a.Length..]);
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000000.index")));
        Assert.True(File.Exists(Path.Combine(fixture.Directory, "00000000000000000000.timeindex")));
    }

    [Fact]
    public void ReadReturnsAtLeastOneWholeBatchEvenWhenLargerThanMaxBytes()
    {
        using var fixture = new LogFixture();
        var big = TestBatches.Make(50, valueSize: 1000);
        fixture.Log.AppendAsLeader(big, 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(1), 0);

        var read = fixture.Log.Read(0, maxBytes: 100).Records;
        Assert.Equal(big.Length, read.Length);
    }

    [Fact]
    public void ReadStopsAtTheLastWholeBatchWithinMaxBytes()
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Make(4);
        for (var i = 0; i < 10; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(4), 0);
        }
        var read = fixture.Log.Read(0, maxBytes: (batch.Length * 3) + (batch.Length / 2)).Records;
        Assert.Equal(batch.Length * 3, read.Length);
        Assert.Equal(12, TestBatches.Offsets(read).Count);
    }

    [Fact]
    public void ReadIntoACallersBufferMatchesReadAndAsksForMoreWhenABatchDoesNotFit()
    {
        using var fixture = new LogFixture();
        for (var i = 0; i < 6; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(4, valueSize: 30 * (i + 1)), 0);
        }
        var expected = fixture.Log.Read(2, 700).Records;
        var buffer = new byte[700];
        var written = fixture.Log.ReadInto(2, buffer, out var required);
        Assert.Equal(0, required);
        Assert.Equal(expected, buffer[..written]);

        var tiny = new byte[10];
        Assert.Equal(0, fixture.Log.ReadInto(0, tiny, out required));
        Assert.Equal(TestBatches.Headers(fixture.Log.Read(0, 1).Records)[0].TotalSize, required);

        Assert.Equal(0, fixture.Log.ReadInto(24, buffer, out required));
        Assert.Equal(0, required);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.ReadInto(25, buffer, out _)).Code);
    }

    [Fact]
    public void ReadStartingInsideABatchReturnsThatWholeBatch()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);

        var read = fixture.Log.Read(13, 1 << 20).Records;
        Assert.Equal(10, TestBatches.Headers(read)[0].BaseOffset);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), TestBatches.Offsets(read));
    }

    [Fact]
    public void ReadNeverReturnsBatchesAtOrAboveMaxOffset()
    {
        using var fixture = new LogFixture();
        for (var i = 0; i < 5; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
        }
        var read = fixture.Log.Read(0, 1 << 20, maxOffset: 30).Records;
        Assert.Equal(29, TestBatches.Offsets(read).Max());
        Assert.Empty(fixture.Log.Read(30, 1 << 20, maxOffset: 30).Records);
    }

    [Fact]
    public void ReadAtTheLogEndIsEmptyAndPastItIsOutOfRange()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);

        Assert.Empty(fixture.Log.Read(3, 1024).Records);
        var error = Assert.Throws<KafkaException>(() => fixture.Log.Read(4, 1024));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Contains("0 to 3", error.Message);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.Read(-1, 1024)).Code);
    }

    [Fact]
    public void ReadsCrossSegmentBoundaries()
    {
        var batch = TestBatches.Make(5);
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = (batch.Length * 3) + 1 });
        for (var i = 0; i < 10; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
        }
        Assert.Equal([0L, 15L, 30L, 45L], fixture.Log.SegmentBaseOffsets);

        var offsets = new List<long>();
        var next = 0L;
        while (next < fixture.Log.LogEndOffset)
        {
            var read = TestBatches.Offsets(fixture.Log.Read(next, 1 << 20).Records);
            Assert.NotEmpty(read);
            offsets.AddRange(read);
            next = read[^1] + 1;
        }
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), offsets);
    }

    [Fact]
    public void SegmentRollsAfterSegmentMs()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentMs = 60_000 });
        fixture.Log.AppendAsLeader(TestBatches.Make(1), 0);
        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        fixture.Log.AppendAsLeader(TestBatches.Make(1), 0);
        Assert.Equal(1, fixture.Log.SegmentCount);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        fixture.Log.AppendAsLeader(TestBatches.Make(1), 0);
        Assert.Equal([0L, 2L], fixture.Log.SegmentBaseOffsets);
    }

    [Fact]
    public void EveryIndexBoundaryFindsTheRightBatch()
    {
        // A tiny index interval puts an entry after nearly every batch; every offset must still map to its batch.
        var batch = TestBatches.Make(3, valueSize: 10);
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = batch.Length, SegmentBytes = batch.Length * 20 });
        for (var i = 0; i < 60; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(3, valueSize: 10), 0);
        }
        for (var offset = 0L; offset < 180; offset++)
        {
            var first = TestBatches.Headers(fixture.Log.Read(offset, 1).Records)[0];
            Assert.Equal(offset - (offset % 3), first.BaseOffset);
        }
        fixture.Reopen();
        for (var offset = 0L; offset < 180; offset += 7)
        {
            Assert.Equal(offset - (offset % 3), TestBatches.Headers(fixture.Log.Read(offset, 1).Records)[0].BaseOffset);
        }
    }

    [Fact]
    public void IndexFileUsesKafkasEntryLayout()
    {
        var batch = TestBatches.Make(2, valueSize: 10);
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 1 });
        for (var i = 0; i < 4; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(2, valueSize: 10), 0);
        }
        fixture.Log.Dispose();
        var index = File.ReadAllBytes(Path.Combine(fixture.Directory, "00000000000000000000.index"));
        // Entries for batches 2..4 (the first batch starts the segment): relative last offset, position; big-endian int32s.
        Assert.Equal(3 * OffsetIndex.EntrySize, index.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 3, 0, 0, 0, (byte)batch.Length }, index[..8]);
        var timeIndex = File.ReadAllBytes(Path.Combine(fixture.Directory, "00000000000000000000.timeindex"));
        Assert.Equal(0, timeIndex.Length % TimeIndex.EntrySize);
        Assert.Equal(TestBatches.BaseTime + 1, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(timeIndex));
    }

    [Fact]
    public void OffsetForTimestampFindsTheFirstRecordAtOrAfterIt()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 1, SegmentBytes = 2000 });
        for (var i = 0; i < 20; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(5, timestamp: TestBatches.BaseTime + (i * 10)), 0);
        }
        // Batch i holds timestamps base+10i .. base+10i+4 at offsets 5i .. 5i+4.
        Assert.Equal((37L, TestBatches.BaseTime + 72), fixture.Log.OffsetForTimestamp(TestBatches.BaseTime + 72));
        Assert.Equal((40L, TestBatches.BaseTime + 80), fixture.Log.OffsetForTimestamp(TestBatches.BaseTime + 75));
        Assert.Equal((0L, TestBatches.BaseTime), fixture.Log.OffsetForTimestamp(0));
        Assert.Null(fixture.Log.OffsetForTimestamp(TestBatches.BaseTime + 1000));
    }

    [Fact]
    public void LogAppendTimeTopicsStampTheBrokersClockAndKeepTheCrcValid()
    {
        using var fixture = new LogFixture(new LogConfig { MessageTimestampType = TimestampType.LogAppendTime });
        fixture.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var result = fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);

        Assert.Equal(1_800_000_000_000, result.LogAppendTime);
        var header = TestBatches.Headers(fixture.Log.Read(0, 1 << 20).Records)[0];
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(1_800_000_000_000, header.MaxTimestamp);
        TestBatches.Offsets(fixture.Log.Read(0, 1 << 20).Records); // checks the CRC
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void CompressedBatchesAreStoredAsSent(CompressionType compression)
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Make(100, compression: compression);
        fixture.Log.AppendAsLeader(batch.ToArray(), 0);
        var read = fixture.Log.Read(0, 1 << 20).Records;
        Assert.Equal(batch.Length, read.Length);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), TestBatches.Offsets(read));
    }

    [Fact]
    public void TopicIdIsRecordedAndAnotherTopicsDirectoryIsRefused()
    {
        using var temp = new TempDirectory();
        var directory = temp.Partition();
        var id = Guid.NewGuid();
        PartitionLog.Open(directory, new LogConfig(), new PartitionLogOptions { TopicId = id }).Dispose();
        Assert.Contains("topic_id:", File.ReadAllText(Path.Combine(directory, "partition.metadata")));
        PartitionLog.Open(directory, new LogConfig(), new PartitionLogOptions { TopicId = id }).Dispose();

        var error = Assert.Throws<KafkaException>(() => PartitionLog.Open(directory, new LogConfig(), new PartitionLogOptions { TopicId = Guid.NewGuid() }));
        Assert.Equal(ErrorCode.InconsistentTopicId, error.Code);
    }
}
