using Orlog.Records;

namespace Orlog.Log.Tests;

public sealed class RetentionTests
{
    private static readonly int _batchSize = TestBatches.Make(10).Length;

    private static LogFixture LogWithSegments(LogConfig config, int batches)
    {
        var fixture = new LogFixture(config with { SegmentBytes = (_batchSize * 2) + 1 });
        for (var i = 0; i < batches; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(10, timestamp: fixture.Time.GetUtcNow().ToUnixTimeMilliseconds()), 0);
            fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }
        return fixture;
    }

    [Fact]
    public void RetentionMsDeletesOldSegmentsAndAdvancesTheLogStart()
    {
        // Ten batches a minute apart, two per segment: segments at 0, 20, 40, 60, 80.
        using var fixture = LogWithSegments(new LogConfig { RetentionMs = (int)TimeSpan.FromMinutes(5.5).TotalMilliseconds }, 10);
        Assert.Equal([0L, 20L, 40L, 60L, 80L], fixture.Log.SegmentBaseOffsets);

        // Now is base+10 min; segments whose newest record is older than 5.5 minutes: 0 (1 min), 20 (3 min).
        Assert.Equal(2, fixture.Log.EnforceRetention());
        Assert.Equal(40, fixture.Log.LogStartOffset);
        Assert.Equal([40L, 60L, 80L], fixture.Log.SegmentBaseOffsets);
        Assert.False(File.Exists(fixture.SegmentPath(0)));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.Read(39, 1024)).Code);
        Assert.Equal(40, TestBatches.Headers(fixture.Log.Read(40, 1024).Records)[0].BaseOffset);

        fixture.Reopen();
        Assert.Equal(40, fixture.Log.LogStartOffset);
    }

    [Fact]
    public void BatchMaxTimestampIsTakenFromTheRecordsNotTrustedFromTheHeader()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = _batchSize + 1 });
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var lying = TestBatches.Make(10, timestamp: now);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(lying.AsSpan(RecordBatchHeader.MaxTimestampOffset), now - (long)TimeSpan.FromDays(30).TotalMilliseconds);
        RecordBatchHeader.WriteCrc(lying);
        fixture.Log.AppendAsLeader(lying, 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(10, timestamp: now), 0);
        Assert.Equal(2, fixture.Log.SegmentCount);

        Assert.Equal(0, fixture.Log.EnforceRetention());
        Assert.Equal((0L, now), fixture.Log.OffsetForTimestamp(now));
        Assert.Equal(now + 9, TestBatches.Headers(fixture.Log.Read(0, 1).Records)[0].MaxTimestamp);
    }

    [Fact]
    public void RetentionNeverDeletesTheActiveSegment()
    {
        using var fixture = LogWithSegments(new LogConfig { RetentionMs = 1 }, 5);
        fixture.Time.Advance(TimeSpan.FromDays(30));
        fixture.Log.EnforceRetention();
        Assert.Equal(1, fixture.Log.SegmentCount);
        Assert.Equal(40, fixture.Log.LogStartOffset);
        Assert.Equal(50, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void RetentionBytesKeepsTheNewestSegmentsWithinTheLimit()
    {
        using var fixture = LogWithSegments(new LogConfig { RetentionMs = -1, RetentionBytes = _batchSize * 5 }, 10);
        Assert.Equal(2, fixture.Log.EnforceRetention());
        Assert.Equal([40L, 60L, 80L], fixture.Log.SegmentBaseOffsets);
        Assert.True(fixture.Log.Size <= _batchSize * 6);
        Assert.Equal(0, fixture.Log.EnforceRetention());
    }

    [Fact]
    public void UnlimitedRetentionKeepsEverything()
    {
        using var fixture = LogWithSegments(new LogConfig { RetentionMs = -1, RetentionBytes = -1 }, 10);
        fixture.Time.Advance(TimeSpan.FromDays(3650));
        Assert.Equal(0, fixture.Log.EnforceRetention());
        Assert.Equal(0, fixture.Log.LogStartOffset);
    }

    [Fact]
    public async Task ReadersDuringRetentionSeeDataOrOutOfRangeNeverGarbage()
    {
        using var fixture = LogWithSegments(new LogConfig { RetentionMs = -1 }, 40);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var records = fixture.Log.Read(0, 1 << 20).Records;
                    Assert.Equal(0, TestBatches.Offsets(records)[0]);
                    reads++;
                }
                catch (KafkaException e) when (e.Code == ErrorCode.OffsetOutOfRange)
                {
                    return reads;
                }
            }
            return reads;
        });
        fixture.Log.Reconfigure(fixture.Config with { SegmentBytes = (_batchSize * 2) + 1, RetentionBytes = _batchSize * 4 });
        fixture.Log.EnforceRetention();
        stop.CancelAfter(TimeSpan.FromSeconds(5));
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.Read(0, 1024)).Code);
    }
}
