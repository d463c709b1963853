using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orlog.Grains.Partitions;
using Orlog.Records;

namespace Orlog.Grains.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task RecordsOfAPartitionComeBackInOrderWithDenseOffsets()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("orders", partitions: 3);
        for (var i = 0; i < 20; i++)
        {
            var result = await cluster.ProduceAsync("orders", 1, Batches.Of($"{i}a", $"{i}b"));
            Assert.Equal(ErrorCode.None, result.Error);
            Assert.Equal(i * 2, result.BaseOffset);
        }
        var fetched = await cluster.FetchAsync("orders", 1, 0);
        Assert.Equal(40, fetched.HighWatermark);
        Assert.Equal(fetched.HighWatermark, fetched.LastStableOffset);
        var records = Batches.Read(fetched.Records);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 20).SelectMany(i => new[] { $"{i}a", $"{i}b" }), records.Select(r => r.Value));
        Assert.Empty((await cluster.FetchAsync("orders", 0, 0)).Records);
    }

    [Fact]
    public async Task AnInSiloCallersBatchIsNeverChangedByTheAppend()
    {
        // Orleans does not copy an [Immutable] request between grains of one silo: the replica must stamp offsets,
        // the leader epoch and LogAppendTime into a copy of its own, not into the caller's (maybe pooled) buffer.
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("stamped", configs: new() { ["message.timestamp.type"] = "LogAppendTime" });
        var grains = cluster.Cluster.GetActiveSilos().Single().ServiceProvider.GetRequiredService<IGrainFactory>();
        var broker = grains.GetGrain<IBrokerGrain>(0);
        var pooled = new byte[4096];
        for (var i = 0; i < 3; i++)
        {
            var batch = Batches.Of($"r{i}", "x");
            batch.CopyTo(pooled, 100);
            var sent = pooled.AsMemory(100, batch.Length);
            var before = pooled.ToArray();
            var response = await broker.Produce(new ProduceRequest(1, 30_000, [new PartitionBatch("stamped", 0, sent)]));
            var result = Assert.Single(response.Results);
            Assert.Equal(ErrorCode.None, result.Error);
            Assert.Equal(i * 2, result.BaseOffset);
            Assert.True(result.LogAppendTime > 0);
            Assert.Equal(before, pooled);
        }
        var stored = Batches.Read((await cluster.FetchAsync("stamped", 0, 0)).Records);
        Assert.Equal(["r0", "x", "r1", "x", "r2", "x"], stored.Select(r => r.Value));
        Assert.Equal([0L, 1, 2, 3, 4, 5], stored.Select(r => r.Offset));
    }

    [Fact]
    public async Task OneRequestCarriesBatchesForManyPartitions()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("many", partitions: 4);
        var response = await cluster.Broker.Produce(new ProduceRequest(1, 30_000,
            [.. Enumerable.Range(0, 4).Select(p => new PartitionBatch("many", p, Batches.Of($"p{p}")))]));
        Assert.All(response.Results, r => Assert.Equal((ErrorCode.None, 0L), (r.Error, r.BaseOffset)));

        var fetched = await cluster.Broker.Fetch(new FetchRequest(0, 1, 1 << 20, [.. Enumerable.Range(0, 4).Select(p => new PartitionFetch("many", p, 0, 1 << 20))]));
        Assert.Equal(["p0", "p1", "p2", "p3"], fetched.Results.Select(r => Assert.Single(Batches.Read(r.Records)).Value));
    }

    [Fact]
    public async Task FetchMaxBytesIsABudgetForTheWholeAnswerAndTheFirstBatchComesWhole()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("budget", partitions: 4);
        var value = new string('v', 1000);
        var response = await cluster.Broker.Produce(new ProduceRequest(1, 30_000,
            [.. Enumerable.Range(0, 4).Select(p => new PartitionBatch("budget", p, Batches.Of(value, value, value)))]));
        Assert.All(response.Results, r => Assert.Equal(ErrorCode.None, r.Error));
        PartitionFetch[] all = [.. Enumerable.Range(0, 4).Select(p => new PartitionFetch("budget", p, 0, 1 << 20))];

        // Each partition holds one batch of about 3 KB: a 7 KB budget takes the first two whole, and leaves the rest empty.
        var fetched = await cluster.Broker.Fetch(new FetchRequest(0, 1, 7_000, all));
        var sizes = fetched.Results.Select(r => r.Size).ToList();
        Assert.True(sizes[0] > 3_000 && sizes[1] > 3_000, string.Join(", ", sizes));
        Assert.Equal([0, 0], sizes.Skip(2));
        Assert.All(fetched.Results, r => Assert.Equal((ErrorCode.None, 3L), (r.Error, r.HighWatermark)));

        // A budget below one batch still returns the first batch whole, and nothing else.
        var tiny = await cluster.Broker.Fetch(new FetchRequest(0, 1, 100, all));
        Assert.Equal(3, Batches.Read(tiny.Results[0].Records).Count);
        Assert.All(tiny.Results.Skip(1), r => Assert.Equal(0, r.Size));
    }

    [Theory]
    [InlineData("21", 12)]
    [InlineData("foobar", 7)]
    [InlineData("a-little-bit-long-string", 100)]
    public async Task KeyRoutingEqualsKafkasDefaultPartitioner(string key, int partitions)
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("keyed", partitions);
        var expected = Murmur2Partitioner.Partition(Encoding.UTF8.GetBytes(key), partitions);
        Assert.Equal(expected, await cluster.Client.GetGrain<ITopicGrain>("keyed").PartitionFor(Encoding.UTF8.GetBytes(key)));
        // From Kafka's own murmur2 vector for "21": -973932308, masked, modulo 12.
        if (key == "21")
        {
            Assert.Equal((-973932308 & 0x7fffffff) % 12, expected);
        }
    }

    [Fact]
    public async Task RetriedIdempotentBatchIsWrittenOnceWithItsOriginalOffset()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("payments");
        var producer = await cluster.Client.GetGrain<IProducerIdGrain>(0).AllocateProducerId();
        var first = Batches.Idempotent(producer.ProducerId, producer.Epoch, 0, (null, "a"), (null, "b"));
        // The first reply is "lost": the producer sends the same batch again.
        var original = await cluster.ProduceAsync("payments", 0, first.ToArray());
        var retry = await cluster.ProduceAsync("payments", 0, first.ToArray());
        Assert.Equal((ErrorCode.None, original.BaseOffset), (retry.Error, retry.BaseOffset));
        var next = await cluster.ProduceAsync("payments", 0, Batches.Idempotent(producer.ProducerId, producer.Epoch, 2, (null, "c")));
        Assert.Equal(2, next.BaseOffset);
        Assert.Equal(["a", "b", "c"], Batches.Read((await cluster.FetchAsync("payments", 0, 0)).Records).Select(r => r.Value));

        var gap = await cluster.ProduceAsync("payments", 0, Batches.Idempotent(producer.ProducerId, producer.Epoch, 9, (null, "late")));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
    }

    [Fact]
    public async Task TopicsDataAndIdempotenceSurviveASiloRestart()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        var created = await cluster.CreateTopicAsync("durable", 2, new() { ["retention.ms"] = "86400000" });
        var producer = await cluster.Client.GetGrain<IProducerIdGrain>(0).AllocateProducerId();
        var batch = Batches.Idempotent(producer.ProducerId, producer.Epoch, 0, (null, "kept-1"), (null, "kept-2"));
        var original = await cluster.ProduceAsync("durable", 1, batch.ToArray());

        await cluster.RestartAsync();

        var described = (await cluster.Controller.DescribeTopic("durable")).GetTopicOrThrow();
        Assert.Equal((created.TopicId, 2, "86400000"), (described.TopicId, described.Partitions.Count, described.Configs["retention.ms"]));
        Assert.Equal(["kept-1", "kept-2"], Batches.Read((await cluster.FetchAsync("durable", 1, 0)).Records).Select(r => r.Value));
        // The retry of a batch whose reply was lost before the restart is still answered with its offset.
        var retry = await cluster.ProduceAsync("durable", 1, batch.ToArray());
        Assert.Equal((ErrorCode.None, original.BaseOffset), (retry.Error, retry.BaseOffset));
        Assert.Equal(2, (await cluster.FetchAsync("durable", 1, 0)).HighWatermark);
        // Producer ids are never handed out twice, across restarts too.
        Assert.True((await cluster.Client.GetGrain<IProducerIdGrain>(0).AllocateProducerId()).ProducerId > producer.ProducerId);
    }

    [Fact]
    public async Task BatchesOfOneProducerSentOutOfOrderAreAppendedInSequenceOrder()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("ordered");
        var producer = await cluster.Client.GetGrain<IProducerIdGrain>(0).AllocateProducerId();
        await cluster.ProduceAsync("ordered", 0, Batches.Idempotent(producer.ProducerId, producer.Epoch, 0, (null, "0")));
        // Sequence 2 arrives before sequence 1: it waits for it instead of failing.
        var later = cluster.ProduceAsync("ordered", 0, Batches.Idempotent(producer.ProducerId, producer.Epoch, 2, (null, "2")));
        await Task.Delay(200);
        Assert.False(later.IsCompleted, "sequence 2 must wait for sequence 1");
        var earlier = await cluster.ProduceAsync("ordered", 0, Batches.Idempotent(producer.ProducerId, producer.Epoch, 1, (null, "1")));
        Assert.Equal((ErrorCode.None, 1L), (earlier.Error, earlier.BaseOffset));
        Assert.Equal((ErrorCode.None, 2L), ((await later).Error, (await later).BaseOffset));
        Assert.Equal(["0", "1", "2"], Batches.Read((await cluster.FetchAsync("ordered", 0, 0)).Records).Select(r => r.Value));
    }

    [Fact]
    public async Task LongPollFetchReturnsAsSoonAsDataArrives()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("waiting");
        var watch = Stopwatch.StartNew();
        var fetch = cluster.FetchAsync("waiting", 0, 0, maxWaitMs: 20_000);
        await Task.Delay(200);
        Assert.False(fetch.IsCompleted);
        await cluster.ProduceAsync("waiting", 0, Batches.Of("hello"));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hello", Assert.Single(Batches.Read(result.Records)).Value);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the fetch took {watch.Elapsed}");
    }

    [Fact]
    public async Task LongPollFetchWithNoDataAnswersEmptyAfterMaxWait()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("idle");
        var watch = Stopwatch.StartNew();
        var result = await cluster.FetchAsync("idle", 0, 0, maxWaitMs: 300);
        Assert.Empty(result.Records);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task ListOffsetsGivesEarliestLatestAndByTimestamp()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("timed");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await cluster.ProduceAsync("timed", 0, Batches.Of("a", "b", "c"));
        var partition = new[] { new TopicPartition("timed", 0) };
        Assert.Equal(0, Assert.Single(await cluster.Broker.ListOffsets(partition, OffsetSpec.Earliest)).Offset);
        Assert.Equal(3, Assert.Single(await cluster.Broker.ListOffsets(partition, OffsetSpec.Latest)).Offset);
        Assert.Equal(0, Assert.Single(await cluster.Broker.ListOffsets(partition, before - 1000)).Offset);
        Assert.Equal(-1, Assert.Single(await cluster.Broker.ListOffsets(partition, before + 3_600_000)).Offset);
    }

    [Fact]
    public async Task RecreatedTopicNeverShowsTheOldTopicsRecords()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        var old = await cluster.CreateTopicAsync("events");
        await cluster.ProduceAsync("events", 0, Batches.Of("old-1", "old-2"));
        Assert.Equal(2, Batches.Read((await cluster.FetchAsync("events", 0, 0)).Records).Count);

        await cluster.Controller.DeleteTopic("events");
        var recreated = await cluster.CreateTopicAsync("events");
        Assert.NotEqual(old.TopicId, recreated.TopicId);

        // A consumer still holding the old topic id is refused by the replica.
        var replica = cluster.Client.GetGrain<IPartitionReplicaGrain>(new ReplicaKey("events", 0, 0).ToString());
        Assert.Equal(ErrorCode.UnknownTopicId, (await replica.Fetch(old.TopicId, 0, 1 << 20, 0)).Error);

        // Through the broker (after a refresh) the new topic starts empty and shows only its own records.
        var fetched = await cluster.FetchAsync("events", 0, 0);
        if (fetched.Error != ErrorCode.None)
        {
            fetched = await cluster.FetchAsync("events", 0, 0);
        }
        Assert.Equal((ErrorCode.None, 0L), (fetched.Error, fetched.HighWatermark));
        await cluster.ProduceAsync("events", 0, Batches.Of("new"));
        Assert.Equal(["new"], Batches.Read((await cluster.FetchAsync("events", 0, 0)).Records).Select(r => r.Value));
    }
}
