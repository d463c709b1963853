using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Partitions;
using Orlog.Grains.Replication;
using Orlog.Log;

namespace Orlog.Grains.Tests.Partitions;

/// <summary>
/// A leader's replica while its partition is reassigned: the adding follower is throttled until it is in sync,
/// the ISR's followers never are, and a replica the reassignment removed is forgotten.
/// </summary>
public sealed class ReassignedReplicaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orlog-reassigned-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();
    private readonly PartitionLog _log;
    private readonly Partition _leader;

    public ReassignedReplicaTests()
    {
        var topicId = Guid.NewGuid();
        _log = PartitionLog.Open(_directory, new LogConfig(), new PartitionLogOptions { TopicId = topicId, Time = _time });
        _leader = new Partition(new TopicPartition("t", 0), 1, topicId, _log, _time);
    }

    // [1, 2] moving to [1, 3]: replicas [1, 3, 2], broker 3 adding, ISR [1, 2].
    private static PartitionMetadata Moving { get; } = new(0, 1, 1, [1, 3, 2], [1, 2], 2) { AddingReplicas = [3], RemovingReplicas = [2] };

    [Fact]
    public async Task TheAddingFollowerIsThrottledAndTheInSyncFollowerIsNot()
    {
        Assert.True(_leader.ApplyMetadata(Moving));
        for (var i = 0; i < 10; i++)
        {
            await _leader.ProduceAsync(Batches.Of("record-" + i), 1);
        }
        var batch = (int)(_log.Size / 10);
        var throttle = new ReplicationThrottle(batch * 3 / 2, _time);

        // The follower in the ISR gets everything, and the throttle is not touched.
        Assert.Equal(10, Batches.Read(_leader.ReadForFollower(2, 1, 1, 0, 1 << 20, throttle).Records).Count);
        Assert.Equal(batch * 3 / 2, throttle.Allowance(int.MaxValue));

        // The adding follower gets what the bucket holds (one and a half batches: one whole), then a second
        // whole batch on the half left, then nothing until the debt is paid back.
        var first = _leader.ReadForFollower(3, 1, 1, 0, 1 << 20, throttle);
        Assert.Equal((ErrorCode.None, 1), (first.Error, Batches.Read(first.Records).Count));
        Assert.Single(Batches.Read(_leader.ReadForFollower(3, 1, 1, 1, 1 << 20, throttle).Records));
        var throttled = _leader.ReadForFollower(3, 1, 1, 2, 1 << 20, throttle);
        Assert.Equal((ErrorCode.None, 0, 10L), (throttled.Error, throttled.Records.Length, throttled.LogEndOffset));
        Assert.True(throttle.UntilAvailable() > TimeSpan.Zero);

        _time.Advance(throttle.UntilAvailable() + TimeSpan.FromMilliseconds(1));
        Assert.Single(Batches.Read(_leader.ReadForFollower(3, 1, 1, 2, 1 << 20, throttle).Records));

        // Once in the ISR it is not throttled any more.
        Assert.True(_leader.ApplyMetadata(Moving with { Isr = [1, 2, 3], PartitionEpoch = 3 }));
        Assert.Equal(7, Batches.Read(_leader.ReadForFollower(3, 1, 1, 3, 1 << 20, throttle).Records).Count);
    }

    [Fact]
    public async Task AReplicaTheReassignmentRemovedIsRefusedAndNoLongerHoldsTheHighWatermark()
    {
        Assert.True(_leader.ApplyMetadata(new PartitionMetadata(0, 1, 1, [1, 2, 3], [1, 2, 3], 1)));
        await _leader.ProduceAsync(Batches.Of("a"), 1);
        _leader.ReadForFollower(2, 1, 1, 0, 1 << 20);
        Assert.Equal(ErrorCode.None, _leader.ReadForFollower(3, 1, 1, 0, 1 << 20).Error);

        Assert.True(_leader.ApplyMetadata(new PartitionMetadata(0, 1, 1, [1, 2], [1, 2], 2)));
        _leader.ReadForFollower(2, 1, 1, 1, 1 << 20);

        Assert.Equal(ErrorCode.NotLeaderOrFollower, _leader.ReadForFollower(3, 1, 1, 1, 1 << 20).Error);
        Assert.Equal(1, _leader.HighWatermark);
    }

    [Fact]
    public async Task ALeaderMovedOffItsBrokerAnswersItsWaitingProduceAndTakesNoMore()
    {
        Assert.True(_leader.ApplyMetadata(new PartitionMetadata(0, 1, 1, [1, 2], [1, 2], 1)));
        var waiting = _leader.ProduceAsync(Batches.Of("a"), -1).AsTask();
        Assert.False(waiting.IsCompleted);

        Assert.True(_leader.ApplyMetadata(new PartitionMetadata(0, 2, 2, [2, 3], [2, 3], 2)));

        Assert.Equal(ReplicaRole.None, _leader.Role);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await Assert.ThrowsAsync<KafkaException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)))).Code);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await Assert.ThrowsAsync<KafkaException>(() => _leader.ProduceAsync(Batches.Of("b"), 1).AsTask())).Code);
    }

    public void Dispose()
    {
        _log.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
