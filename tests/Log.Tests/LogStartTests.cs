namespace Orlog.Log.Tests;

/// <summary>DeleteRecords in the log: the log start moved to any offset, kept across restarts and crashes.</summary>
public sealed class LogStartTests
{
    private static readonly int _batchSize = TestBatches.Make(10).Length;

    // Ten batches of ten records, two per segment: segments at 0, 20, 40, 60, 80; the log ends at 100.
    private static LogFixture TenBatches()
    {
        var fixture = new LogFixture(new LogConfig { SegmentBytes = (_batchSize * 2) + 1 });
        for (var i = 0; i < 10; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
        }
        return fixture;
    }

    [Fact]
    public void TheStartMovesInsideASegmentAndTheSegmentsBelowItGo()
    {
        using var fixture = TenBatches();

        Assert.Equal(45, fixture.Log.AdvanceLogStartOffset(45));

        Assert.Equal(45, fixture.Log.LogStartOffset);
        Assert.Equal([40L, 60L, 80L], fixture.Log.SegmentBaseOffsets);
        Assert.False(File.Exists(fixture.SegmentPath(20)));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.Read(44, 1024)).Code);
        // As Kafka: the batch holding the start is returned whole; the consumer skips the records below its offset.
        Assert.Equal(40, TestBatches.Headers(fixture.Log.Read(45, 1024).Records)[0].BaseOffset);
        Assert.Equal(100, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void TheStartNeverMovesDownAndNeverPastTheEnd()
    {
        using var fixture = TenBatches();
        fixture.Log.AdvanceLogStartOffset(30);

        Assert.Equal(30, fixture.Log.AdvanceLogStartOffset(10));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => fixture.Log.AdvanceLogStartOffset(101)).Code);
        Assert.Equal(100, fixture.Log.AdvanceLogStartOffset(100));
        Assert.Equal([80L], fixture.Log.SegmentBaseOffsets); // the active segment stays, empty of readable records
        Assert.Empty(fixture.Log.Read(100, 1024).Records);
    }

    [Fact]
    public void TheStartIsKeptAcrossACleanRestartAndACrash()
    {
        using var fixture = TenBatches();
        fixture.Log.AdvanceLogStartOffset(45);

        fixture.Reopen();
        Assert.Equal(45, fixture.Log.LogStartOffset);
        fixture.ReopenAfterCrash();
        Assert.Equal(45, fixture.Log.LogStartOffset);
        Assert.Equal(100, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void AppendsGoOnAfterTheStartMoved()
    {
        using var fixture = TenBatches();
        fixture.Log.AdvanceLogStartOffset(100);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);

        Assert.Equal((100L, 105L), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
        Assert.Equal(100, TestBatches.Headers(fixture.Log.Read(100, 1024).Records)[0].BaseOffset);
        fixture.Reopen();
        Assert.Equal((100L, 105L), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
    }

    [Fact]
    public void ATruncationBelowTheStartLowersItForGood()
    {
        using var fixture = TenBatches();
        fixture.Log.AdvanceLogStartOffset(45);

        // A follower told to start over below (an unclean leader) truncates everything and restarts there.
        fixture.Log.TruncateFullyAndStartAt(30);
        var copied = TestBatches.Make(10);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(copied, 30); // the base offset, outside the CRC
        fixture.Log.AppendAsFollower(copied);
        fixture.Reopen();

        Assert.Equal((30L, 40L), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
    }
}
