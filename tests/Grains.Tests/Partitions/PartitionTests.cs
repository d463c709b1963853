using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Partitions;
using Orlog.Log;

namespace Orlog.Grains.Tests.Partitions;

/// <summary>One replica as a plain object with a fake clock: its role from the metadata, and the waits of its requests.</summary>
public sealed class PartitionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orlog-partition-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();
    private readonly PartitionLog _log;
    private readonly Partition _partition;

    public PartitionTests()
    {
        var topicId = Guid.NewGuid();
        _log = PartitionLog.Open(_directory, new LogConfig(), new PartitionLogOptions { TopicId = topicId, Time = _time });
        _partition = new Partition(new TopicPartition("t", 0), 1, topicId, _log, _time);
    }

    [Fact]
    public async Task OnlyTheLeaderTakesProducesAndAnOlderEpochIsIgnored()
    {
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await Assert.ThrowsAsync<KafkaException>(() => _partition.ProduceAsync(Batches.Of("a"), 1).AsTask())).Code);

        Assert.True(_partition.ApplyMetadata(new PartitionMetadata(0, 1, 3, [1, 2], [1], 5)));
        Assert.Equal((ReplicaRole.Leader, 3), (_partition.Role, _partition.LeaderEpoch));
        Assert.Equal(0, (await _partition.ProduceAsync(Batches.Of("a"), 1)).BaseOffset);
        Assert.Equal(3, _log.LatestEpoch);

        // A late push of an older epoch changes nothing; a newer one makes this replica a follower.
        Assert.False(_partition.ApplyMetadata(new PartitionMetadata(0, 2, 2, [1, 2], [2], 9)));
        Assert.Equal(ReplicaRole.Leader, _partition.Role);
        Assert.True(_partition.ApplyMetadata(new PartitionMetadata(0, 2, 4, [1, 2], [2], 6)));
        Assert.Equal(ReplicaRole.Follower, _partition.Role);
        var refused = await Assert.ThrowsAsync<KafkaException>(() => _partition.ProduceAsync(Batches.Of("b"), 1).AsTask());
        Assert.Equal(ErrorCode.NotLeaderOrFollower, refused.Code);
        Assert.Contains("broker 2 leads it", refused.Message);
    }

    [Fact]
    public async Task AFetchAtTheEndWaitsForTheNextAppendOrItsTimeout()
    {
        _partition.ApplyMetadata(new PartitionMetadata(0, 1, 0, [1], [1], 0));
        var waiting = _partition.FetchAsync(0, 1 << 20, maxWaitMs: 500).AsTask();
        Assert.False(waiting.IsCompleted);
        await _partition.ProduceAsync(Batches.Of("x"), 1);
        var (read, highWatermark) = await waiting;
        Assert.Equal(1L, highWatermark);
        Assert.Equal(["x"], Batches.Read(read.Records).Select(r => r.Value));

        var timesOut = _partition.FetchAsync(1, 1 << 20, maxWaitMs: 500).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(timesOut.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty((await timesOut.WaitAsync(TimeSpan.FromSeconds(10))).Read.Records);
    }

    [Fact]
    public async Task AWaitingFetchWakesWhenTheReplicaStopsLeading()
    {
        _partition.ApplyMetadata(new PartitionMetadata(0, 1, 0, [1], [1], 0));
        var waiting = _partition.FetchAsync(0, 1 << 20, maxWaitMs: 60_000).AsTask();
        _partition.ApplyMetadata(new PartitionMetadata(0, PartitionMetadata.NoLeader, 1, [1], [1], 1));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await Assert.ThrowsAsync<KafkaException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)))).Code);
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
