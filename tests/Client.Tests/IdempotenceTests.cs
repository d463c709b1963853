namespace Orlog.Client.Tests;

public sealed class IdempotenceTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ALostReplyIsRetriedWithoutADuplicate()
    {
        await Cluster.CreateTopicAsync("lost-reply");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner, dropFirstProduceReplies: 1));
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { LingerMs = 20 }).SetClient(client).Build();
        var sends = Enumerable.Range(0, 10).Select(i => producer.ProduceAsync("lost-reply", new Message<Null, string> { Value = $"v{i}" })).ToList();
        var results = await Task.WhenAll(sends);
        Assert.Equal(1, gateway!.DroppedReplies);
        Assert.True(gateway.ProduceCalls >= 2, "The batch whose reply was lost was not sent again.");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), results.Select(r => r.Offset.Value));

        await using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("lost-reply", 0, Offset.Beginning));
        var records = Eventually.Consume(consumer, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}"), records.Select(r => r.Message!.Value));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(10, consumer.QueryWatermarkOffsets(new TopicPartition("lost-reply", 0), TimeSpan.FromSeconds(10)).High.Value);
    }

    [Fact]
    public async Task AnOutOfOrderRefusalAnsweredAfterTheEarlierBatchWasStoredIsRetried()
    {
        // Two batches of one partition in flight in two requests: the second reaches the broker first and is refused
        // OUT_OF_ORDER_SEQUENCE_NUMBER, but that answer comes back only after the first batch's acknowledgement (as
        // when a leader moves and answers race). The refusal is stale: the second batch must be sent again, not failed.
        await Cluster.CreateTopicAsync("stale-out-of-order");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { LingerMs = 0, MaxInFlight = 5 }).SetClient(client).Build();
        var firstSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<DeliveryResult<Null, string>>? first = null;
        gateway!.AroundProduce = async (request, call, send) =>
        {
            switch (call)
            {
                case 1:
                    firstSent.SetResult();
                    await secondSent.Task;
                    return await send();
                case 2:
                    secondSent.SetResult();
                    await first!;
                    var batch = Assert.Single(request.Batches);
                    return new Grains.ProduceResponse([Grains.PartitionProduceResult.Failed(batch.Topic, batch.Partition, Orlog.Client.ErrorCode.OutOfOrderSequenceNumber,
                        "sequence 1, expected 0 (test)")]);
                default:
                    return await send();
            }
        };

        // Until its first batch is stored a partition has one request in flight; the first record makes two possible.
        await producer.ProduceAsync(new TopicPartition("stale-out-of-order", 0), new Message<Null, string> { Value = "first" });
        first = producer.ProduceAsync(new TopicPartition("stale-out-of-order", 0), new Message<Null, string> { Value = "a" });
        await firstSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = producer.ProduceAsync(new TopicPartition("stale-out-of-order", 0), new Message<Null, string> { Value = "b" });

        var results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1L, 2L], results.Select(r => r.Offset.Value));
        Assert.Equal(4, gateway.ProduceCalls);
    }

    [Fact]
    public async Task ManyBatchesInFlightKeepEachPartitionsOrder()
    {
        await Cluster.CreateTopicAsync("ordered", 3);
        await using var client = Cluster.Connect();
        var config = new ProducerConfig { BatchSize = 512, LingerMs = 1, MaxInFlight = 5 };
        await using var producer = new ProducerBuilder<string, string>(config).SetClient(client).Build();
        const int PerKey = 2000;
        string[] keys = ["a", "b", "c", "d"];
        for (var i = 0; i < PerKey; i++)
        {
            foreach (var key in keys)
            {
                producer.Produce("ordered", new Message<string, string> { Key = key, Value = $"{i}" });
            }
        }
        await producer.FlushAsync();

        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("ordered", p, Offset.Beginning)));
        var records = Eventually.Consume(consumer, PerKey * keys.Length);
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, PerKey).Select(i => $"{i}"), records.Where(r => r.Message!.Key == key).Select(r => r.Message!.Value));
        }
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset.Value));
        }
    }

    [Fact]
    public async Task ANonIdempotentProducerStampsNoProducerId()
    {
        await Cluster.CreateTopicAsync("plain");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { Acks = Acks.Leader }).SetClient(client).Build();
        await producer.ProduceAsync("plain", new Message<Null, string> { Value = "x" });
        var batch = Assert.Single(Assert.Single(gateway!.ProduceRequests).Batches);
        Assert.Equal(-1, Records.RecordBatchHeader.Read(batch.Records.Span).ProducerId);
        Assert.Equal(1, Assert.Single(gateway.ProduceRequests).Acks);
    }
}
