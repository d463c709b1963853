using System.Text.Json;

namespace Orlog.Client.Tests;

public sealed class ConsumerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private async Task<OrlogClient> TopicWithRecordsAsync(string topic, int count, int partitions = 1)
    {
        await Cluster.CreateTopicAsync(topic, partitions);
        var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new TopicPartition(topic, i % partitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
        await producer.FlushAsync();
        return client;
    }

    private static IConsumer<string, string> Consumer(OrlogClient client, ConsumerConfig? config = null) =>
        new ConsumerBuilder<string, string>(config ?? new ConsumerConfig()).SetClient(client).Build();

    [Fact]
    public async Task ConsumesFromAnExplicitOffset()
    {
        await using var client = await TopicWithRecordsAsync("explicit", 20);
        using var consumer = Consumer(client);
        consumer.Assign(new TopicPartitionOffset("explicit", 0, 15));
        Assert.Equal(["v15", "v16", "v17", "v18", "v19"], Eventually.Consume(consumer, 5).Select(r => r.Message!.Value));
        Assert.Equal(20, consumer.Position(new TopicPartition("explicit", 0)).Value);
    }

    [Fact]
    public async Task EndSeesOnlyNewRecords()
    {
        await using var client = await TopicWithRecordsAsync("end", 5);
        using var consumer = Consumer(client);
        consumer.Assign(new TopicPartitionOffset("end", 0, Offset.End));
        await Eventually.True(() => consumer.Position(new TopicPartition("end", 0)) == 5, "the position is resolved to the end");
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        await producer.ProduceAsync("end", new Message<string, string> { Value = "new" });
        var record = Assert.Single(Eventually.Consume(consumer, 1));
        Assert.Equal((5L, "new"), (record.Offset.Value, record.Message!.Value));
    }

    [Fact]
    public async Task SeekGoesBack()
    {
        await using var client = await TopicWithRecordsAsync("seek", 10);
        using var consumer = Consumer(client);
        consumer.Assign(new TopicPartitionOffset("seek", 0, Offset.Beginning));
        Assert.Equal(10, Eventually.Consume(consumer, 10).Count);
        consumer.Seek(new TopicPartitionOffset("seek", 0, 3));
        Assert.Equal(3, consumer.Position(new TopicPartition("seek", 0)).Value);
        Assert.Equal(["v3", "v4"], Eventually.Consume(consumer, 2).Select(r => r.Message!.Value));
    }

    [Fact]
    public async Task PausedPartitionsWaitUntilResumed()
    {
        await using var client = await TopicWithRecordsAsync("pause", 10, partitions: 2);
        using var consumer = Consumer(client);
        var zero = new TopicPartition("pause", 0);
        consumer.Assign([new TopicPartitionOffset(zero, Offset.Beginning), new TopicPartitionOffset("pause", 1, Offset.Beginning)]);
        consumer.Pause([zero]);
        var fromOne = Eventually.Consume(consumer, 5);
        Assert.All(fromOne, r => Assert.Equal(1, r.Partition.Value));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        consumer.Resume([zero]);
        Assert.Equal(["v0", "v2", "v4", "v6", "v8"], Eventually.Consume(consumer, 5).Select(r => r.Message!.Value));
    }

    [Fact]
    public async Task PausingMidwayResumesAtThePosition()
    {
        await using var client = await TopicWithRecordsAsync("pause-mid", 10);
        using var consumer = Consumer(client);
        var partition = new TopicPartition("pause-mid", 0);
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        Eventually.Consume(consumer, 4);
        consumer.Pause([partition]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
        consumer.Resume([partition]);
        Assert.Equal("v4", Eventually.Consume(consumer, 1)[0].Message!.Value);
    }

    [Fact]
    public async Task ASeekDuringALongPollIsFetchedAtOnce()
    {
        await using var client = await TopicWithRecordsAsync("seek-poll", 3);
        using var consumer = Consumer(client, new ConsumerConfig { FetchMaxWaitMs = 20_000 });
        var partition = new TopicPartition("seek-poll", 0);
        consumer.Assign(new TopicPartitionOffset(partition, Offset.End));
        await Eventually.True(() => consumer.Position(partition) == 3, "the position is resolved to the end");
        // The fetcher is now long-polling at the end of the partition for up to 20 s.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(200)));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        consumer.Seek(new TopicPartitionOffset(partition, 0));
        Assert.Equal("v0", Eventually.Consume(consumer, 1)[0].Message!.Value);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The sought records took {watch.Elapsed} (behind the long poll).");
    }

    [Fact]
    public async Task OutOfRangeWithResetNoneFailsNamingTheRange()
    {
        await using var client = await TopicWithRecordsAsync("range-none", 5);
        using var consumer = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Error });
        consumer.Assign(new TopicPartitionOffset("range-none", 0, 100));
        var error = Assert.Throws<ConsumeException>(() => consumer.Consume(Eventually.Timeout));
        Assert.Equal(ErrorCode.OffsetOutOfRange, error.Code);
        Assert.Contains("0 to 5", error.Message);
    }

    [Fact]
    public async Task OutOfRangeWithResetEarliestStartsAtTheBeginning()
    {
        await using var client = await TopicWithRecordsAsync("range-earliest", 5);
        using var consumer = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(new TopicPartitionOffset("range-earliest", 0, 100));
        Assert.Equal(0, Eventually.Consume(consumer, 1)[0].Offset.Value);
    }

    [Fact]
    public async Task OutOfRangeWithResetLatestWaitsForNewRecords()
    {
        await using var client = await TopicWithRecordsAsync("range-latest", 5);
        using var consumer = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Latest });
        var partition = new TopicPartition("range-latest", 0);
        consumer.Assign(new TopicPartitionOffset(partition, 100));
        await Eventually.True(() => consumer.Position(partition) == 5, "the position is reset to the end");
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        await producer.ProduceAsync("range-latest", new Message<string, string> { Value = "after" });
        Assert.Equal((5L, "after"), Eventually.Consume(consumer, 1).Select(r => (r.Offset.Value, r.Message!.Value)).Single());
    }

    [Fact]
    public async Task UnsetOffsetFollowsAutoOffsetReset()
    {
        await using var client = await TopicWithRecordsAsync("unset", 3);
        using var earliest = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Earliest });
        earliest.Assign([new TopicPartition("unset", 0)]);
        Assert.Equal("v0", Eventually.Consume(earliest, 1)[0].Message!.Value);
        using var none = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Error });
        none.Assign([new TopicPartition("unset", 0)]);
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Throws<ConsumeException>(() => none.Consume(Eventually.Timeout)).Code);
    }

    [Fact]
    public async Task StartingInsideABatchSkipsTheRecordsBelow()
    {
        await Cluster.CreateTopicAsync("mid-batch");
        await using var client = Cluster.Connect();
        await using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { LingerMs = 10_000 }).SetClient(client).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce("mid-batch", new Message<Null, string> { Value = $"v{i}" });
            }
        }
        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("mid-batch", 0, 6));
        var records = Eventually.Consume(consumer, 4);
        Assert.Equal([6L, 7L, 8L, 9L], records.Select(r => r.Offset.Value));
    }

    [Fact]
    public async Task ADeletedTopicFailsTheConsumer()
    {
        await using var client = await TopicWithRecordsAsync("deleted", 2);
        using var consumer = Consumer(client);
        consumer.Assign(new TopicPartitionOffset("deleted", 0, Offset.Beginning));
        Eventually.Consume(consumer, 2);
        using var admin = new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();
        await admin.DeleteTopicAsync("deleted");
        var error = Assert.Throws<ConsumeException>(() => consumer.Consume(Eventually.Timeout));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }

    [Fact]
    public async Task ARecreatedTopicNeverShowsTheOldRecords()
    {
        await using var client = await TopicWithRecordsAsync("recreated", 3);
        using var consumer = Consumer(client, new ConsumerConfig { AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(new TopicPartitionOffset("recreated", 0, Offset.Beginning));
        Assert.Equal(3, Eventually.Consume(consumer, 3).Count);
        using var admin = new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();
        await admin.DeleteTopicAsync("recreated");
        await admin.CreateTopicAsync("recreated", 1);
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        await producer.ProduceAsync("recreated", new Message<string, string> { Value = "new" });
        var record = Eventually.Consume(consumer, 1).Single();
        Assert.Equal((0L, "new"), (record.Offset.Value, record.Message!.Value));
    }

    [Fact]
    public async Task TheAsyncStreamYieldsRecordsAsTheyArrive()
    {
        await using var client = await TopicWithRecordsAsync("stream", 30, partitions: 3);
        using var consumer = Consumer(client);
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("stream", p, Offset.Beginning)));
        using var timeout = new CancellationTokenSource(Eventually.Timeout);
        var values = new List<string>();
        await foreach (var record in consumer.ConsumeAllAsync(timeout.Token))
        {
            values.Add(record.Message!.Value);
            if (values.Count == 30)
            {
                break;
            }
        }
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"v{i}").Order(), values.Order());
    }

    [Fact]
    public async Task PartitionEndIsReportedWhenAsked()
    {
        await using var client = await TopicWithRecordsAsync("eof", 2);
        using var consumer = Consumer(client, new ConsumerConfig { EnablePartitionEof = true });
        consumer.Assign(new TopicPartitionOffset("eof", 0, Offset.Beginning));
        var results = new List<ConsumeResult<string, string>>();
        while (results.Count < 3 && consumer.Consume(Eventually.Timeout) is { } result)
        {
            results.Add(result);
        }
        Assert.Equal([false, false, true], results.Select(r => r.IsPartitionEOF));
        Assert.Equal(2, results[2].Offset.Value);
    }

    [Fact]
    public async Task WatermarksComeFromTheBroker()
    {
        await using var client = await TopicWithRecordsAsync("watermarks", 7);
        using var consumer = Consumer(client);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("watermarks", 0), Eventually.Timeout);
        Assert.Equal((0L, 7L), (watermarks.Low.Value, watermarks.High.Value));
    }

    [Fact]
    public async Task JsonAndBytesRoundTrip()
    {
        await Cluster.CreateTopicAsync("json");
        await using var client = Cluster.Connect();
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        await using (var producer = new ProducerBuilder<byte[], Order>(new ProducerConfig())
            .SetClient(client).SetValueSerializer(new JsonSerializer<Order>(options)).Build())
        {
            await producer.ProduceAsync("json", new Message<byte[], Order> { Key = [1, 2, 3], Value = new Order("o-1", 3, 9.5m) });
            await producer.ProduceAsync("json", new Message<byte[], Order> { Key = null!, Value = null! });
        }
        using var consumer = new ConsumerBuilder<byte[], Order?>(new ConsumerConfig())
            .SetClient(client).SetValueDeserializer(new JsonDeserializer<Order>(options)).Build();
        consumer.Assign(new TopicPartitionOffset("json", 0, Offset.Beginning));
        var records = Eventually.Consume(consumer, 2);
        Assert.Equal([1, 2, 3], records[0].Message!.Key);
        Assert.Equal(new Order("o-1", 3, 9.5m), records[0].Message!.Value);
        Assert.Null(records[1].Message!.Key);
        Assert.Null(records[1].Message!.Value);
        using var raw = new ConsumerBuilder<Ignore, string>(new ConsumerConfig()).SetClient(client).Build();
        raw.Assign(new TopicPartitionOffset("json", 0, Offset.Beginning));
        Assert.Equal("""{"id":"o-1","quantity":3,"price":9.5}""", Eventually.Consume(raw, 1)[0].Message!.Value);
    }

    [Fact]
    public async Task ARecordThatDoesNotDeserializeFailsAloneAndConsumingGoesOn()
    {
        await using var client = await TopicWithRecordsAsync("not-json", 2);
        using var consumer = new ConsumerBuilder<Ignore, Order>(new ConsumerConfig())
            .SetClient(client).SetValueDeserializer(new JsonDeserializer<Order>()!).Build();
        consumer.Assign(new TopicPartitionOffset("not-json", 0, Offset.Beginning));
        var error = Assert.Throws<ConsumeException>(() => consumer.Consume(Eventually.Timeout));
        Assert.Equal(0, error.TopicPartitionOffset!.Offset.Value);
        Assert.Equal(1, Assert.Throws<ConsumeException>(() => consumer.Consume(Eventually.Timeout)).TopicPartitionOffset!.Offset.Value);
        Assert.Equal(2, consumer.Position(new TopicPartition("not-json", 0)).Value);
    }

    public sealed record Order(string Id, int Quantity, decimal Price);
}
