using Orlog.Records;

namespace Orlog.Log.Tests;

/// <summary>A follower's append of batches copied from its leader: the bytes kept as they are, bad copies refused whole.</summary>
public sealed class FollowerAppendTests
{
    [Fact]
    public void CopiedBatchesKeepTheLeadersOffsetsEpochsAndProducerState()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Log.AppendAsLeader(TestBatches.Make(3, producerId: 5, producerEpoch: 0, baseSequence: 0), 2);
        leader.Log.AppendAsLeader(TestBatches.Make(2, producerId: 5, producerEpoch: 0, baseSequence: 3), 4);
        var copied = leader.Log.Read(0, int.MaxValue).Records;

        Assert.Equal(5, follower.Log.AppendAsFollower(copied));

        Assert.Equal(copied, follower.Log.Read(0, int.MaxValue).Records);
        Assert.Equal(leader.Log.Epochs, follower.Log.Epochs);
        Assert.Equal(4, follower.Log.GetProducerState(5)!.LastSequence);
        // Led by the follower later, a retry of the producer's last batch is a duplicate.
        var retry = follower.Log.AppendAsLeader(TestBatches.Make(2, producerId: 5, producerEpoch: 0, baseSequence: 3), 6);
        Assert.True(retry.IsDuplicate);
        Assert.Equal(3, retry.BaseOffset);
    }

    [Fact]
    public void ADamagedCopyIsRefusedAndNothingFromItOnIsAppended()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Log.AppendAsLeader(TestBatches.Make(1), 0);
        leader.Log.AppendAsLeader(TestBatches.Make(1), 0);
        var copied = leader.Log.Read(0, int.MaxValue).Records;
        var second = RecordBatchHeader.Read(copied).TotalSize;
        copied[second + RecordBatchHeader.Size + 3] ^= 0xFF; // a flipped bit in the second batch's records

        var error = Assert.Throws<KafkaException>(() => follower.Log.AppendAsFollower(copied));

        Assert.Equal(ErrorCode.CorruptMessage, error.Code);
        Assert.Equal(1, follower.Log.LogEndOffset); // the first batch was good
        Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<KafkaException>(() => follower.Log.AppendAsFollower(copied.AsSpan(second, 10))).Code);
    }

    [Fact]
    public void ACopyBelowTheLogEndIsRefused()
    {
        using var leader = new LogFixture();
        using var follower = new LogFixture();
        leader.Log.AppendAsLeader(TestBatches.Make(1), 0);
        var copied = leader.Log.Read(0, int.MaxValue).Records;
        follower.Log.AppendAsFollower(copied);

        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => follower.Log.AppendAsFollower(copied)).Code);
        Assert.Equal(1, follower.Log.LogEndOffset);
    }
}
