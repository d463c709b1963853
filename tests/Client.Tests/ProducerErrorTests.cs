using Orlog.Grains;

namespace Orlog.Client.Tests;

public sealed class ProducerErrorTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private static ProduceResponse Failing(ProduceRequest request, ErrorCode error) =>
        new([.. request.Batches.Select(b => PartitionProduceResult.Failed(b.Topic, b.Partition, error, $"{error} (test)"))]);

    [Fact]
    public async Task ARetriableErrorIsRetriedUntilDelivered()
    {
        await Cluster.CreateTopicAsync("retriable");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner)
        {
            AnswerProduce = (request, call) => call < 2 ? Failing(request, ErrorCode.NotLeaderOrFollower) : null,
        });
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { RetryBackoffMs = 10 }).SetClient(client).Build();
        var result = await producer.ProduceAsync("retriable", new Message<Null, string> { Value = "x" });
        Assert.Equal((0L, PersistenceStatus.Persisted), (result.Offset.Value, result.Status));
        Assert.Equal(3, gateway!.ProduceCalls);
    }

    [Fact]
    public async Task ANonRetriableErrorFailsTheBatchAndTheNextOneStillGoes()
    {
        await Cluster.CreateTopicAsync("fatal");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner)
        {
            AnswerProduce = (request, call) => call == 0 ? Failing(request, ErrorCode.InvalidRecord) : null,
        });
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build();
        var failed = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("fatal", new Message<Null, string> { Value = "bad" }));
        Assert.Equal(ErrorCode.InvalidRecord, failed.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, failed.DeliveryResult.Status);
        // The partition's sequence restarts under a new producer id: later records are not refused as out of order.
        var next = await producer.ProduceAsync("fatal", new Message<Null, string> { Value = "good" });
        Assert.Equal(0, next.Offset.Value);
        var ids = gateway!.ProduceRequests.Select(r => Records.RecordBatchHeader.Read(r.Batches[0].Records.Span).ProducerId).Distinct();
        Assert.Equal(2, ids.Count());
    }

    [Fact]
    public async Task ABrokerThatNeverAnswersFailsTheRecordAfterDeliveryTimeout()
    {
        await Cluster.CreateTopicAsync("hang");
        await using var client = Cluster.Connect(intercept: inner => new InterceptingGateway(inner) { HangProduce = true });
        var config = new ProducerConfig { RequestTimeoutMs = 200, DeliveryTimeoutMs = 600, LingerMs = 0, RetryBackoffMs = 10 };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        var failed = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("hang", new Message<Null, string> { Value = "x" }));
        Assert.Equal(ErrorCode.RequestTimedOut, failed.Code);
        Assert.Equal(PersistenceStatus.PossiblyPersisted, failed.DeliveryResult.Status);
    }

    [Fact]
    public async Task ARequestInFlightToABrokerThatDiesIsRetriedOnceTheControllerShowsItDeadNotAfterTheRequestTimeout()
    {
        await Cluster.CreateTopicAsync("dies");
        var gateway = (InterceptingGateway?)null;
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner) { HangFirstProduces = 1 });
        var config = new ProducerConfig { RequestTimeoutMs = 60_000, DeliveryTimeoutMs = 120_000, LingerMs = 0, RetryBackoffMs = 10 };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var produce = producer.ProduceAsync("dies", new Message<Null, string> { Value = "x" });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (gateway!.ProduceCalls < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first produce call was not made");
            await Task.Delay(10);
        }

        // The request hangs, as a call forwarded to a silo that was SIGKILLed does; then membership says so.
        gateway!.DeadBrokers[0] = true;
        var delivered = await produce.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        Assert.Equal(2, gateway.ProduceCalls);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}, the request timeout is 60 s");
    }

    [Fact]
    public async Task RecordsWaitingForAProducerIdExpireAfterDeliveryTimeout()
    {
        await Cluster.CreateTopicAsync("no-producer-id");
        await using var client = Cluster.Connect(intercept: inner => new InterceptingGateway(inner) { FailProducerIds = true });
        var config = new ProducerConfig { RequestTimeoutMs = 200, DeliveryTimeoutMs = 600, LingerMs = 0, RetryBackoffMs = 10 };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        var failed = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("no-producer-id", new Message<Null, string> { Value = "x" }));
        Assert.Equal(ErrorCode.RequestTimedOut, failed.Code);
        Assert.Contains("No producer id was allocated", failed.Message, StringComparison.Ordinal);
        Assert.Equal(PersistenceStatus.NotPersisted, failed.DeliveryResult.Status);
    }

    [Fact]
    public async Task ARecordLargerThanMaxRequestSizeIsRefusedAtOnce()
    {
        await Cluster.CreateTopicAsync("too-large");
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { MaxRequestSize = 1000 }).SetClient(client).Build();
        var failed = Assert.Throws<ProduceException<Null, byte[]>>(() => producer.Produce("too-large", new Message<Null, byte[]> { Value = new byte[2000] }));
        Assert.Equal(ErrorCode.MessageTooLarge, failed.Code);
    }
}
