namespace Orlog.Grains.Tests.Partitions;

/// <summary>
/// A leader and its followers as plain objects with a fake clock: the high watermark, ISR proposals, acks=all,
/// and truncation by leader epoch (KIP-101's two scenarios and KIP-279's double leader change).
/// </summary>
public sealed class ReplicationTests : IDisposable
{
    private readonly ReplicaSet _set = new(1, 2, 3);

    [Fact]
    public async Task TheHighWatermarkIsTheLowestLogEndInTheIsr()
    {
        _set.Elect(1, [1, 2, 3]);
        await _set.Leader.ProduceAsync(Batches.Of("a", "b"), 1);
        Assert.Equal(0, _set.Leader.HighWatermark);

        _set.Replicate(2);
        _set.Replicate(2); // the second fetch tells the leader how far the first one got
        Assert.Equal(0, _set.Leader.HighWatermark); // broker 3 has not fetched yet
        _set.Replicate(3);
        _set.Replicate(3);
        Assert.Equal(2, _set.Leader.HighWatermark);
        Assert.Equal(0, _set[2].HighWatermark); // followers learn it from their next fetch
        _set.Replicate(2);
        Assert.Equal(2, _set[2].HighWatermark);
    }

    [Fact]
    public async Task ConsumersReadOnlyBelowTheHighWatermarkAndAnOffsetBetweenItAndTheLogEndIsNoError()
    {
        _set.Elect(1, [1, 2]);
        await _set.Leader.ProduceAsync(Batches.Of("a"), 1);
        await _set.Leader.ProduceAsync(Batches.Of("b"), 1);
        Assert.Empty((await _set.Leader.FetchAsync(0, 1 << 20, 0)).Read.Records);

        _set.Replicate(2);
        _set.Replicate(2);
        var (read, highWatermark) = await _set.Leader.FetchAsync(0, 1 << 20, 0);
        Assert.Equal(2, highWatermark);
        Assert.Equal(["a", "b"], Batches.Read(read.Records).Select(r => r.Value));

        // A new leader whose high watermark lags its log end: a consumer at an offset in between gets nothing, no error.
        await _set.Leader.ProduceAsync(Batches.Of("c", "d"), 1);
        _set.Replicate(2);
        _set.Elect(2, [2, 1]);
        Assert.Equal(2, _set[2].HighWatermark);
        Assert.Equal(4, _set[2].Log.LogEndOffset);
        var between = await _set[2].FetchAsync(3, 1 << 20, 0);
        Assert.Empty(between.Read.Records);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => _set[2].FetchAsync(5, 1 << 20, 0).AsTask().GetAwaiter().GetResult()).Code);
    }

    [Fact]
    public async Task DeleteRecordsMovesTheLeadersLogStartUpToTheHighWatermarkAndFollowersFollow()
    {
        _set.Elect(1, [1, 2]);
        await _set.Leader.ProduceAsync(Batches.Of("a", "b", "c"), 1);
        await _set.Leader.ProduceAsync(Batches.Of("d"), 1);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => _set.Leader.DeleteRecordsBefore(1)).Code); // nothing committed yet
        _set.Replicate(2);
        _set.Replicate(2);
        Assert.Equal(4, _set.Leader.HighWatermark);

        Assert.Equal(2, _set.Leader.DeleteRecordsBefore(2));
        Assert.Equal(2, _set.Leader.ListOffset(OffsetSpec.Earliest).Offset);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => _set.Leader.FetchAsync(1, 1 << 20, 0).AsTask().GetAwaiter().GetResult()).Code);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<KafkaException>(() => _set.Leader.DeleteRecordsBefore(5)).Code);
        Assert.Equal(0, _set[2].Log.LogStartOffset); // the follower has not fetched since

        _set.Replicate(2);
        Assert.Equal(2, _set[2].Log.LogStartOffset);
        Assert.Equal(4, _set.Leader.DeleteRecordsBefore(-1)); // -1: up to the high watermark
        Assert.Equal(ErrorCode.NotLeaderOrFollower, Assert.Throws<KafkaException>(() => _set[2].DeleteRecordsBefore(4)).Code);
        _set.Replicate(2);
        Assert.Equal(4, _set[2].Log.LogStartOffset);
    }

    [Fact]
    public async Task AcksAllWaitsUntilEveryInSyncReplicaHasTheBatch()
    {
        _set.Elect(1, [1, 2, 3]);
        var produce = _set.Leader.ProduceAsync(Batches.Of("a"), -1).AsTask();
        _set.Replicate(2);
        _set.Replicate(2);
        Assert.False(produce.IsCompleted);
        _set.Replicate(3);
        Assert.False(produce.IsCompleted);
        _set.Replicate(3);
        Assert.Equal(0, (await produce.WaitAsync(TimeSpan.FromSeconds(10))).BaseOffset);

        // acks=1 answers after the leader's append alone.
        Assert.Equal(1, (await _set.Leader.ProduceAsync(Batches.Of("b"), 1)).BaseOffset);
    }

    [Fact]
    public async Task AcksAllTimesOutWhenAFollowerDoesNotCopy()
    {
        _set.Elect(1, [1, 2]);
        var produce = _set.Leader.ProduceAsync(Batches.Of("a"), -1, timeoutMs: 1_000).AsTask();
        _set.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(produce.IsCompleted);
        _set.Time.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<KafkaException>(() => produce.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorCode.RequestTimedOut, error.Code);
    }

    [Fact]
    public async Task AcksAllIsRefusedBeforeTheAppendWhenTheIsrIsSmallerThanMinInsyncReplicas()
    {
        _set.MinInsyncReplicas = 2;
        _set.Elect(1, [1]);
        var error = await Assert.ThrowsAsync<KafkaException>(() => _set.Leader.ProduceAsync(Batches.Of("a"), -1).AsTask());
        Assert.Equal(ErrorCode.NotEnoughReplicas, error.Code);
        Assert.Equal(0, _set.Leader.Log.LogEndOffset); // nothing written

        // acks=1 does not look at the ISR.
        await _set.Leader.ProduceAsync(Batches.Of("a"), 1);
        Assert.Equal(1, _set.Leader.Log.LogEndOffset);
    }

    [Fact]
    public async Task ALaggingFollowerLeavesTheIsrOnlyOnceTheControllerConfirmsAndAcksAllThenAnswersNotEnoughReplicasAfterAppend()
    {
        _set.MinInsyncReplicas = 2;
        _set.Elect(1, [1, 2]);
        var produce = _set.Leader.ProduceAsync(Batches.Of("a"), -1, timeoutMs: 60_000).AsTask();

        // Broker 2 stops fetching; after replica.lag.time.max.ms the leader proposes to drop it.
        _set.Time.Advance(TimeSpan.FromMilliseconds(ReplicaSet.LagMs - 1));
        _set[1].CheckLaggingFollowers();
        Assert.Null(_set.Leader.ProposedIsr);
        _set.Time.Advance(TimeSpan.FromMilliseconds(2));
        _set[1].CheckLaggingFollowers();
        Assert.Equal([1], _set.Leader.ProposedIsr!);

        // Proposed but not confirmed: the high watermark still waits for broker 2.
        Assert.Equal(0, _set.Leader.HighWatermark);
        Assert.False(produce.IsCompleted);

        var result = Assert.Single(_set.Confirm());
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal([1], _set.Leader.Isr);
        Assert.Equal(1, _set.Leader.HighWatermark);
        var error = await Assert.ThrowsAsync<KafkaException>(() => produce.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorCode.NotEnoughReplicasAfterAppend, error.Code);
        Assert.Equal(1, _set.Leader.Log.LogEndOffset); // written, and visible now: the client must treat it as unknown
    }

    [Fact]
    public async Task AFollowerThatCatchesUpIsProposedBackIntoTheIsr()
    {
        _set.Elect(1, [1]);
        await _set.Leader.ProduceAsync(Batches.Of("a", "b"), 1);
        Assert.Equal(2, _set.Leader.HighWatermark); // alone in the ISR

        _set.Replicate(2); // fetches at 0: behind the high watermark
        Assert.Null(_set.Leader.ProposedIsr);
        _set.Replicate(2); // fetches at 2: caught up
        Assert.Equal([1, 2], _set.Leader.ProposedIsr!);

        // Counted for the high watermark at once, so an append now waits for it.
        await _set.Leader.ProduceAsync(Batches.Of("c"), 1);
        Assert.Equal(2, _set.Leader.HighWatermark);
        _set.Confirm();
        Assert.Equal([1, 2], _set.Leader.Isr);
        _set.Replicate(2);
        _set.Replicate(2);
        Assert.Equal(3, _set.Leader.HighWatermark);
    }

    [Fact]
    public void AFollowerIsProposedWithTheBrokerEpochOfTheRunThatFetchedAndNeverWithoutOne()
    {
        _set.Elect(1, [1]);
        // A broker that has not registered yet (no broker epoch) is not proposed, however caught up.
        _set[1].ReadForFollower(2, -1, _set[1].LeaderEpoch, 0, 1 << 20);
        Assert.Null(_set.Leader.ProposedIsr);

        _set.Replicate(2);
        Assert.Equal(_set.BrokerEpochOf(2), _set[1].TakeProposal()!.BrokerEpochOf(2));

        // Broker 2 restarts before the controller answers: the proposal counted its earlier run, and is refused.
        _set.Crash(2);
        _set.Start(2);
        var refused = Assert.Single(_set.Confirm());
        Assert.Equal(ErrorCode.IneligibleReplica, refused.Error);
        Assert.Equal([1], _set[1].Isr);

        // Its new run's fetch proposes it again, with the new epoch, and that is accepted.
        _set.Tell(2);
        _set.Replicate(2);
        Assert.Equal(ErrorCode.None, Assert.Single(_set.Confirm()).Error);
        Assert.Equal([1, 2], _set[1].Isr);
    }

    [Fact]
    public void AProposalMadeAtAnOlderEpochIsRefusedAndDropped()
    {
        _set.Elect(1, [1]);
        _set.Replicate(2);
        Assert.Equal([1, 2], _set.Leader.ProposedIsr!);

        // The controller changed the partition meanwhile (a newer partition epoch the leader has not seen).
        var stale = _set[1].TakeProposal()!;
        _set[1].CompleteProposal(stale, new AlterPartitionResult("t", 0, ErrorCode.InvalidUpdateVersion, "changed", null));
        Assert.Null(_set[1].ProposedIsr);
        Assert.Equal([1], _set[1].Isr);

        // The next fetch proposes again.
        _set.Replicate(2);
        Assert.Equal([1, 2], _set.Leader.ProposedIsr!);
    }

    [Fact]
    public async Task AStaleLeaderIsFencedByItsFollowersAndItsHighWatermarkStops()
    {
        _set.Elect(1, [1, 2, 3]);
        await _set[1].ProduceAsync(Batches.Of("a"), 1);
        _set.ReplicateAll();
        Assert.Equal(1, _set[1].HighWatermark);

        // Broker 1 is cut off: the controller elects 2 and tells 2 and 3, not 1.
        _set.Elect(2, [2, 3], 2, 3);
        var produce = _set[1].ProduceAsync(Batches.Of("lost"), -1, timeoutMs: 5_000).AsTask();
        var fetch = _set[1].ReadForFollower(3, _set.BrokerEpochOf(3), _set[3].LeaderEpoch, 1, 1 << 20);
        Assert.Equal(ErrorCode.UnknownLeaderEpoch, fetch.Error); // a follower at a newer epoch does not count for it
        Assert.Equal(1, _set[1].HighWatermark);
        _set.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ErrorCode.RequestTimedOut, (await Assert.ThrowsAsync<KafkaException>(() => produce.WaitAsync(TimeSpan.FromSeconds(10)))).Code);

        // Told at last, it follows broker 2 and its unacknowledged append is cut away.
        _set.Tell(1);
        _set.Replicate(1);
        Assert.Equal(["a"], ReplicaSet.ValuesOf(_set[1]));
        Assert.Equal(ReplicaSet.BatchesOf(_set[2]), ReplicaSet.BatchesOf(_set[1]));
    }

    // KIP-101, scenario 1: a follower that restarts and truncates to its own high watermark loses a record the
    // cluster acknowledged, if it then becomes leader. Truncating by epoch keeps it.
    [Fact]
    public async Task Kip101Scenario1_ARestartedFollowerKeepsWhatLiesAboveItsHighWatermark()
    {
        using var set = new ReplicaSet(1, 2);
        set.Elect(1, [1, 2]);
        var produce = set[1].ProduceAsync(Batches.Of("m1", "m2"), -1).AsTask();
        set.Replicate(2);
        // The follower's next fetch tells the leader it has both records, but it crashes before the answer
        // (which carries the new high watermark) arrives.
        set[1].ReadForFollower(2, set.BrokerEpochOf(2), set[2].LeaderEpoch, 2, 1 << 20);
        await produce.WaitAsync(TimeSpan.FromSeconds(10)); // acknowledged: both replicas have it
        Assert.Equal(0, set[2].HighWatermark);

        set.Crash(2);
        set.Start(2);
        set.Tell(2);
        set.Replicate(2); // truncation by epoch, then a fetch
        set.Crash(1);
        set.Elect(2, [2]);

        Assert.Equal(["m1", "m2"], ReplicaSet.ValuesOf(set[2]));
        Assert.Equal(2, set[2].HighWatermark);
    }

    // KIP-101, scenario 2: both replicas had m1 and m2 (high watermark 2), but broker 2 lost m2 in a power
    // failure before flushing it. It comes back first, leads, and writes m3 at offset 1. Broker 1, cut off
    // meanwhile, still has m2 there and a high watermark of 2: truncating to it would keep m2, and the two
    // logs would differ at offset 1 for good. Truncating by epoch cuts m2.
    [Fact]
    public async Task Kip101Scenario2_ReplicasThatDivergedAfterACrashConverge()
    {
        using var set = new ReplicaSet(1, 2);
        set.Elect(1, [1, 2]);
        await set[1].ProduceAsync(Batches.Of("m1"), 1);
        await set[1].ProduceAsync(Batches.Of("m2"), 1);
        set.Replicate(2);
        set.Replicate(2);
        Assert.Equal(2, set[1].HighWatermark);

        set[2].Log.TruncateTo(1); // the unflushed m2 is gone with the power
        set.Crash(2);
        set.Start(2);
        set.Elect(2, [2], 2);
        await set[2].ProduceAsync(Batches.Of("m3"), 1);

        set.Tell(1);
        Assert.Equal(2, set[1].HighWatermark);
        set.Replicate(1);
        set.Replicate(1);

        Assert.Equal(["m1", "m3"], ReplicaSet.ValuesOf(set[1]));
        Assert.Equal(ReplicaSet.BatchesOf(set[2]), ReplicaSet.BatchesOf(set[1]));
    }

    // KIP-279: after leaders changed twice while a follower was away, the epoch the leader answers with may be one
    // the follower never had; one round finds no common point, a second one does.
    [Fact]
    public async Task Kip279_AFollowerAwayDuringTwoLeaderChangesTruncatesInSeveralRounds()
    {
        // Epoch 0: broker 1 leads; x0 reaches 2 and 3, x1 only 2.
        _set.Elect(1, [1, 2, 3]);
        await _set[1].ProduceAsync(Batches.Of("x0"), 1);
        _set.Replicate(2);
        _set.Replicate(3);
        await _set[1].ProduceAsync(Batches.Of("x1"), 1);
        _set.Replicate(2);

        // Epoch 1: broker 3 leads, told alone; writes y1, y2, which nobody copies.
        _set.Elect(3, [3], 3);
        await _set[3].ProduceAsync(Batches.Of("y1"), 1);
        await _set[3].ProduceAsync(Batches.Of("y2"), 1);

        // Epoch 2: broker 2 leads, told alone; writes z2, z3.
        _set.Elect(2, [2], 2);
        await _set[2].ProduceAsync(Batches.Of("z2"), 1);
        await _set[2].ProduceAsync(Batches.Of("z3"), 1);
        Assert.Equal(["x0", "x1", "z2", "z3"], ReplicaSet.ValuesOf(_set[2]));

        // Epoch 3: broker 3 leads again and writes w3; broker 2 follows it.
        _set.Elect(3, [3], 3);
        await _set[3].ProduceAsync(Batches.Of("w3"), 1);
        _set.Tell(2);
        Assert.Equal(2, _set[2].EpochToTruncateBy());
        var answer = _set[3].EndOffsetForEpoch(_set[2].LeaderEpoch, 2);
        Assert.Equal((1, 3L), (answer.Epoch, answer.EndOffset)); // broker 3 never had epoch 2
        Assert.False(_set[2].ApplyEpochEndOffset(_set[2].LeaderEpoch, answer)); // a first round is not enough
        Assert.Equal(2, _set[2].Log.LogEndOffset);

        _set.Replicate(2);
        _set.Replicate(2);
        Assert.Equal(["x0", "y1", "y2", "w3"], ReplicaSet.ValuesOf(_set[2]));
        Assert.Equal(ReplicaSet.BatchesOf(_set[3]), ReplicaSet.BatchesOf(_set[2]));
    }

    [Fact]
    public async Task ANewLeaderRefusesAnIdempotentProducersRetriedBatch()
    {
        _set.Elect(1, [1, 2, 3]);
        var batch = Batches.Idempotent(7, 0, 0, (null, "once"));
        var first = await _set[1].ProduceAsync((byte[])batch.Clone(), 1);
        _set.ReplicateAll();

        // The ack was lost; the leader died; the producer retries at the new leader.
        _set.Crash(1);
        _set.Elect(2, [2, 3]);
        var retried = await _set[2].ProduceAsync((byte[])batch.Clone(), 1);
        Assert.True(retried.IsDuplicate);
        Assert.Equal(first.BaseOffset, retried.BaseOffset);
        Assert.Equal(["once"], ReplicaSet.ValuesOf(_set[2]));
    }

    [Fact]
    public void AFollowerFetchingAtAnOlderEpochIsFencedAndANewerOneIsUnknown()
    {
        _set.Elect(1, [1, 2, 3]);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, _set[1].ReadForFollower(2, 1, _set[1].LeaderEpoch - 1, 0, 1024).Error);
        Assert.Equal(ErrorCode.UnknownLeaderEpoch, _set[1].ReadForFollower(2, 1, _set[1].LeaderEpoch + 1, 0, 1024).Error);
        Assert.Equal(ErrorCode.OffsetOutOfRange, _set[1].ReadForFollower(2, 1, _set[1].LeaderEpoch, 5, 1024).Error);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, _set[2].ReadForFollower(3, 1, _set[2].LeaderEpoch, 0, 1024).Error);
    }

    public void Dispose() => _set.Dispose();
}
