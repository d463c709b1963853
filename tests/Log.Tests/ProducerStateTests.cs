namespace Orlog.Log.Tests;

public sealed class ProducerStateTests
{
    private const long ProducerId = 4000;

    private static byte[] Batch(int sequence, int records = 5, short epoch = 0) =>
        TestBatches.Make(records, producerId: ProducerId, producerEpoch: epoch, baseSequence: sequence);

    [Fact]
    public void RetriedBatchIsWrittenOnceAndAnsweredWithItsOriginalOffsets()
    {
        using var fixture = new LogFixture();
        var first = fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Log.AppendAsLeader(Batch(5), 0);
        var retry = fixture.Log.AppendAsLeader(Batch(0), 0);

        Assert.True(retry.IsDuplicate);
        Assert.Equal((first.BaseOffset, first.LastOffset), (retry.BaseOffset, retry.LastOffset));
        Assert.Equal(10, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void AnyOfTheLastFiveBatchesIsRecognisedAndAnOlderOneIsADuplicateWithoutOffsets()
    {
        using var fixture = new LogFixture();
        for (var i = 0; i < 7; i++)
        {
            fixture.Log.AppendAsLeader(Batch(i * 5), 0);
        }
        Assert.True(fixture.Log.AppendAsLeader(Batch(10), 0).IsDuplicate);
        Assert.True(fixture.Log.AppendAsLeader(Batch(30), 0).IsDuplicate);
        // Older than the batches kept: sequences are dense, so it was written before; it is not written again.
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(Batch(5), 0));
        Assert.Equal(ErrorCode.DuplicateSequenceNumber, error.Code);
        Assert.Equal(35, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void SequenceGapIsRefusedWithOutOfOrderSequenceAndTheLogIsUnchanged()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(Batch(0), 0);
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(Batch(6), 0));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, error.Code);
        Assert.Contains("expected 5", error.Message);
        Assert.Equal(5, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void OlderEpochIsFencedAndNewEpochMustStartAtZero()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(Batch(0, epoch: 1), 0);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(Batch(5, epoch: 0), 0)).Code);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(Batch(5, epoch: 2), 0)).Code);
        fixture.Log.AppendAsLeader(Batch(0, epoch: 2), 0);
        Assert.Equal(2, fixture.Log.GetProducerState(ProducerId)!.ProducerEpoch);
    }

    [Fact]
    public void SequencesWrapAfterIntMaxValue()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(Batch(int.MaxValue - 4, records: 5), 0);
        fixture.Log.AppendAsLeader(Batch(0, records: 5), 0);
        Assert.Equal(4, fixture.Log.GetProducerState(ProducerId)!.LastSequence);
    }

    [Fact]
    public void DuplicateIsRecognisedAfterACleanRestart()
    {
        using var fixture = new LogFixture();
        var first = fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Reopen();
        var retry = fixture.Log.AppendAsLeader(Batch(0), 0);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.BaseOffset, retry.BaseOffset);
        Assert.Contains(Path.Combine(fixture.Directory, "00000000000000000005.snapshot"), Directory.GetFiles(fixture.Directory, "*.snapshot"));
    }

    [Fact]
    public void DuplicateIsRecognisedAfterACrashWithoutSnapshot()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(Batch(0), 0);
        var second = fixture.Log.AppendAsLeader(Batch(5), 0);
        // Without any snapshot the state is rebuilt from the batches in the log.
        fixture.ReopenAfterCrash(() => Array.ForEach(Directory.GetFiles(fixture.Directory, "*.snapshot"), File.Delete));
        Assert.Equal(second.BaseOffset, fixture.Log.AppendAsLeader(Batch(5), 0).BaseOffset);
        Assert.Equal(10, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void ProducerStateSurvivesRetentionOfTheSegmentsThatHeldItsBatches()
    {
        var size = Batch(0).Length;
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = (size * 2) + 1, RetentionBytes = 1 });
        var first = fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Log.AppendAsLeader(Batch(5), 0);
        // Another producer fills the following segments.
        for (var i = 0; i < 4; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
        }
        fixture.Log.Flush();
        Assert.True(fixture.Log.EnforceRetention() > 0);
        Assert.True(fixture.Log.LogStartOffset > first.LastOffset);

        fixture.ReopenAfterCrash();
        var retry = fixture.Log.AppendAsLeader(Batch(5), 0);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(5, retry.BaseOffset);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(Batch(20), 0)).Code);
        fixture.Log.AppendAsLeader(Batch(10), 0);
    }

    [Fact]
    public void RetentionBeforeTheRollIsFlushedKeepsIdempotenceAcrossACrash()
    {
        var size = Batch(0).Length;
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = size + 1, RetentionBytes = 0, FlushMs = long.MaxValue });
        LogFixture.PauseFlusher(fixture.Log);
        var first = fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 0); // rolls; the snapshot at 5 is still pending
        Assert.Equal(1, fixture.Log.EnforceRetention());
        fixture.Log.Flush();
        fixture.ReopenAfterCrash();
        var retry = fixture.Log.AppendAsLeader(Batch(0), 0);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(first.BaseOffset, retry.BaseOffset);
    }

    [Fact]
    public void TruncationForgetsTheBatchesItRemoved()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Log.AppendAsLeader(Batch(5), 0);
        fixture.Log.TruncateTo(5);
        Assert.Equal(4, fixture.Log.GetProducerState(ProducerId)!.LastSequence);
        var rewritten = fixture.Log.AppendAsLeader(Batch(5), 1);
        Assert.False(rewritten.IsDuplicate);
        Assert.Equal(5, rewritten.BaseOffset);
    }

    [Fact]
    public void IdleProducersExpire()
    {
        using var fixture = new LogFixture(new LogConfig { ProducerIdExpirationMs = 60_000 });
        fixture.Log.AppendAsLeader(Batch(0), 0);
        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        fixture.Log.EnforceRetention();
        Assert.Null(fixture.Log.GetProducerState(ProducerId));
    }

    [Fact]
    public void NonIdempotentBatchesAreNeverDeduplicated()
    {
        using var fixture = new LogFixture();
        var batch = TestBatches.Make(3);
        fixture.Log.AppendAsLeader(batch.ToArray(), 0);
        Assert.False(fixture.Log.AppendAsLeader(batch.ToArray(), 0).IsDuplicate);
        Assert.Equal(6, fixture.Log.LogEndOffset);
    }
}
