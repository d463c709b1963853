using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>Produce, Fetch, ListOffsets and InitProducerId through the listener over a fake broker, on real sockets.</summary>
public sealed class BrokerApiTests : ListenerHarness
{
    private static ProduceRequest Produce(short acks, params (string Topic, int Partition, byte[]? Records)[] batches)
    {
        var request = new ProduceRequest { Acks = acks, TimeoutMs = 1500 };
        foreach (var group in batches.GroupBy(b => b.Topic))
        {
            var topic = new ProduceRequest.TopicProduceData { Name = group.Key };
            topic.PartitionData.AddRange(group.Select(b => new ProduceRequest.PartitionProduceData { Index = b.Partition, Records = b.Records }));
            request.TopicData.Add(topic);
        }
        return request;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(10)]
    public async Task ProduceHandsEachBatchToTheBrokerAsSentAndAnswersEachPartitionWithItsOutcome(short version)
    {
        byte[] batch = [1, 2, 3, 4, 5, 6, 7, 8];
        var answer = await AskAsync(ProduceRequest.ApiKey, version,
            Produce(1, ("orders", 0, batch), ("orders", 2, [9, 9]), ("nope", 0, [7])), ProduceResponse.Read);

        var (acks, timeout, batches) = Assert.Single(Backend.Produced);
        Assert.Equal((1, 1500), (acks, timeout));
        Assert.Equal(batch, batches.Single(b => b.Partition == 0 && b.Topic == "orders").Records);
        var lines = answer.Responses.SelectMany(t => t.PartitionResponses.Select(p => (t.Name, p))).ToList();
        var (_, ok) = lines.Single(l => l.Name == "orders" && l.p.Index == 0);
        Assert.Equal(((short)0, 0L), (ok.ErrorCode, ok.BaseOffset));
        var (_, moved) = lines.Single(l => l.Name == "orders" && l.p.Index == 2);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, moved.ErrorCode);
        Assert.Equal(version >= 8 ? "Broker 1 does not lead it." : null, moved.ErrorMessage);
        // KIP-951 (v10): the current leader and its endpoint, so the client can go there without asking for metadata.
        Assert.Equal(version >= 10 ? (2, 7) : (-1, -1), (moved.CurrentLeader.LeaderId, moved.CurrentLeader.LeaderEpoch));
        Assert.Equal(version >= 10 ? [(2, "127.0.0.1", 29092)] : [], answer.NodeEndpoints.Select(n => (n.NodeId, n.Host, n.Port)));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, lines.Single(l => l.Name == "nope").p.ErrorCode);
    }

    [Fact]
    public async Task ProduceWithAcksZeroIsWrittenAndNeverAnswered()
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(ProduceRequest.ApiKey, 7, 1, Produce(0, ("orders", 0, [1, 2, 3])));
        await client.SendAsync(ApiVersionsRequest.ApiKey, 3, 2, new ApiVersionsRequest());

        // The next frame on the connection is the ApiVersions answer: the produce got none.
        var (correlation, _) = Read(await client.ReceiveAsync(), 0, 3, ApiVersionsResponse.Read);
        Assert.Equal(2, correlation);
        Assert.Equal(0, Assert.Single(Backend.Produced).Acks);
    }

    [Theory]
    [InlineData("a transactional id", "tx-1", (short)1, ErrorCode.TransactionalIdAuthorizationFailed)]
    [InlineData("acks=2", null, (short)2, ErrorCode.InvalidRequiredAcks)]
    public async Task AProduceRefusedAsAWholeWritesNothing(string what, string? transactionalId, short acks, ErrorCode expected)
    {
        var request = Produce(acks, ("orders", 0, [1]));
        request.TransactionalId = transactionalId;
        var answer = await AskAsync(ProduceRequest.ApiKey, 9, request, ProduceResponse.Read);

        Assert.True(Backend.Produced.Count == 0, what);
        Assert.Equal((short)expected, answer.Responses.Single().PartitionResponses.Single().ErrorCode);
    }

    [Fact]
    public async Task APartitionWithoutRecordsIsCorruptMessageAndTheOthersAreWritten()
    {
        var answer = await AskAsync(ProduceRequest.ApiKey, 9, Produce(-1, ("orders", 0, [1]), ("orders", 2, null)), ProduceResponse.Read);

        Assert.Single(Assert.Single(Backend.Produced).Batches);
        Assert.Equal([(0, (short)0), (2, (short)ErrorCode.CorruptMessage)], answer.Responses.Single().PartitionResponses.Select(p => (p.Index, p.ErrorCode)).Order());
    }

    [Fact]
    public async Task ABrokerCallThatFailsAsAWholeAnswersEveryPartitionWithItsCode()
    {
        Backend.ProduceFailure = new KafkaException(ErrorCode.KafkaStorageError, "No space left on device");
        var answer = await AskAsync(ProduceRequest.ApiKey, 9, Produce(1, ("orders", 0, [1]), ("orders", 2, [2])), ProduceResponse.Read);

        Assert.All(answer.Responses.Single().PartitionResponses, p => Assert.Equal(((short)ErrorCode.KafkaStorageError, "No space left on device"), (p.ErrorCode, p.ErrorMessage)));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    public async Task FetchAnswersWhatTheBrokerReadWithTheBoundsOfEachPartitionAndSessionZero(short version)
    {
        byte[] records = [10, 20, 30];
        Backend.FetchAnswer = fetch => [.. fetch.Partitions.Select(p => p.Partition == 0
            ? new KafkaFetchResult(p.Topic, 0, ErrorCode.None, null, 50, 50, 3, records)
            : new KafkaFetchResult(p.Topic, p.Partition, ErrorCode.NotLeaderOrFollower, "not here", -1, -1, -1, ReadOnlyMemory<byte>.Empty))];
        var request = new FetchRequest { MaxWaitMs = 600_000, MinBytes = 1, MaxBytes = 1000, SessionId = 0, SessionEpoch = -1 };
        var topic = new FetchRequest.FetchTopic { Topic = "orders", TopicId = FakeKafkaBackend.OrdersId };
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 40, PartitionMaxBytes = 500, CurrentLeaderEpoch = 4 });
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 2, FetchOffset = 0, PartitionMaxBytes = 500 });
        request.Topics.Add(topic);
        var answer = await AskAsync(FetchRequest.ApiKey, version, request, FetchResponse.Read);

        var fetch = Assert.Single(Backend.Fetches);
        Assert.Equal((25_000, 1, 1000), (fetch.MaxWaitMs, fetch.MinBytes, fetch.MaxBytes)); // a long poll answers before the broker call times out
        Assert.Equal([("orders", 0, 40L, 500), ("orders", 2, 0L, 500)], fetch.Partitions.Select(p => (p.Topic, p.Partition, p.FetchOffset, p.PartitionMaxBytes)));
        Assert.Equal(0, answer.SessionId);
        var partitions = answer.Responses.Single().Partitions;
        var read = partitions.Single(p => p.PartitionIndex == 0);
        Assert.Equal(((short)0, 50L, version >= 5 ? 3L : -1L), (read.ErrorCode, read.HighWatermark, read.LogStartOffset));
        Assert.Equal(version >= 4 ? 50 : -1, read.LastStableOffset);
        Assert.Equal(records, read.Records!.Value.ToArray());
        var moved = partitions.Single(p => p.PartitionIndex == 2);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, moved.ErrorCode);
        Assert.Equal(version >= 12 ? (2, 7) : (-1, -1), (moved.CurrentLeader.LeaderId, moved.CurrentLeader.LeaderEpoch));
        Assert.Equal(version >= 16 ? [2] : [], answer.NodeEndpoints.Select(n => n.NodeId));
    }

    [Theory]
    [InlineData(3, ErrorCode.FencedLeaderEpoch)]
    [InlineData(5, ErrorCode.UnknownLeaderEpoch)]
    public async Task AFetchWithAnotherLeaderEpochIsRefusedWithoutReading(int epoch, ErrorCode expected)
    {
        var request = new FetchRequest { MaxWaitMs = 10, SessionEpoch = -1 };
        var topic = new FetchRequest.FetchTopic { Topic = "orders" };
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, CurrentLeaderEpoch = epoch, PartitionMaxBytes = 100 });
        request.Topics.Add(topic);
        var answer = await AskAsync(FetchRequest.ApiKey, 11, request, FetchResponse.Read);

        Assert.Empty(Backend.Fetches);
        Assert.Equal((short)expected, answer.Responses.Single().Partitions.Single().ErrorCode);
    }

    [Fact]
    public async Task AFetchNamingASessionIsRefusedAndAnUnknownTopicIdIsUnknownTopicId()
    {
        var session = new FetchRequest { SessionId = 12, SessionEpoch = 1 };
        var refused = await AskAsync(FetchRequest.ApiKey, 12, session, FetchResponse.Read);
        Assert.Equal((short)ErrorCode.FetchSessionIdNotFound, refused.ErrorCode);

        var request = new FetchRequest { SessionEpoch = -1 };
        var topic = new FetchRequest.FetchTopic { TopicId = Guid.NewGuid() };
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, PartitionMaxBytes = 100 });
        request.Topics.Add(topic);
        var answer = await AskAsync(FetchRequest.ApiKey, 13, request, FetchResponse.Read);
        Assert.Equal((short)ErrorCode.UnknownTopicId, answer.Responses.Single().Partitions.Single().ErrorCode);
        Assert.Empty(Backend.Fetches);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task ListOffsetsAsksTheBrokerOncePerTimestampAndAnswersEachPartition(short version)
    {
        var request = new ListOffsetsRequest { ReplicaId = -1 };
        var topic = new ListOffsetsRequest.ListOffsetsTopic { Name = "orders" };
        topic.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -2 });
        topic.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 2, Timestamp = -1 });
        topic.Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 1, Timestamp = -1 });
        request.Topics.Add(topic);
        var answer = await AskAsync(ListOffsetsRequest.ApiKey, version, request, ListOffsetsResponse.Read);

        Assert.Equal([(-2L, "0"), (-1L, "2,1")], Backend.OffsetQueries.Select(q => (q.Timestamp, string.Join(',', q.Partitions.Select(p => p.Partition)))).OrderBy(q => q.Timestamp));
        var lines = answer.Topics.Single().Partitions.ToDictionary(p => p.PartitionIndex);
        Assert.Equal((5L, version >= 4 ? 4 : -1), (lines[0].Offset, lines[0].LeaderEpoch));
        Assert.Equal(42L, lines[2].Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task DeleteRecordsAnswersEachPartitionWithItsNewLogStartOrItsError(short version)
    {
        var request = new DeleteRecordsRequest { TimeoutMs = 1000 };
        var orders = new DeleteRecordsRequest.DeleteRecordsTopic { Name = "orders" };
        orders.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = 30 });
        orders.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 2, Offset = -1 });
        orders.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 1, Offset = -7 });
        request.Topics.Add(orders);
        var nope = new DeleteRecordsRequest.DeleteRecordsTopic { Name = "nope" };
        nope.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = 1 });
        request.Topics.Add(nope);
        var answer = await AskAsync(DeleteRecordsRequest.ApiKey, version, request, DeleteRecordsResponse.Read);

        Assert.Equal([("orders", 0, 30L), ("orders", 2, -1L)], Backend.Deletions.Select(d => (d.Topic, d.Partition, d.Offset)));
        Assert.Equal(
            [("nope", 0, (short)ErrorCode.UnknownTopicOrPartition, -1L), ("orders", 0, (short)0, 30L), ("orders", 1, (short)ErrorCode.OffsetOutOfRange, -1L),
                ("orders", 2, (short)ErrorCode.NotLeaderOrFollower, -1L)],
            answer.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.ErrorCode, p.LowWatermark))).Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task InitProducerIdGivesANewIdEachTimeAndRefusesTransactionalIds(short version)
    {
        var first = await AskAsync(InitProducerIdRequest.ApiKey, version, new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, InitProducerIdResponse.Read);
        var second = await AskAsync(InitProducerIdRequest.ApiKey, version, new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, InitProducerIdResponse.Read);
        Assert.Equal(((short)0, (short)0), (first.ErrorCode, first.ProducerEpoch));
        Assert.NotEqual(first.ProducerId, second.ProducerId);

        var transactional = await AskAsync(InitProducerIdRequest.ApiKey, version, new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, InitProducerIdResponse.Read);
        Assert.Equal(((short)ErrorCode.TransactionalIdAuthorizationFailed, -1L), (transactional.ErrorCode, transactional.ProducerId));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task OffsetForLeaderEpochAnswersWhereEachEpochEndsAndFencesAStaleCurrentEpoch(short version)
    {
        var request = new OffsetForLeaderEpochRequest();
        var topic = new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = "orders" };
        topic.Partitions.Add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 4, LeaderEpoch = 2 });
        topic.Partitions.Add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 2, CurrentLeaderEpoch = 6, LeaderEpoch = 1 });
        request.Topics.Add(topic);
        var answer = await AskAsync(OffsetForLeaderEpochRequest.ApiKey, version, request, OffsetForLeaderEpochResponse.Read);

        var lines = answer.Topics.Single().Partitions;
        Assert.Equal(((short)0, 2, 30L), (lines[0].ErrorCode, lines[0].LeaderEpoch, lines[0].EndOffset));
        Assert.Equal((short)ErrorCode.FencedLeaderEpoch, lines[1].ErrorCode); // orders-2 is at epoch 7
        Assert.Single(Backend.EpochQueries);
    }
}
