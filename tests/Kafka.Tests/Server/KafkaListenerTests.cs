using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>The Kafka listener over a fake broker: ApiVersions and Metadata on real sockets, in order, and bad input.</summary>
public sealed class KafkaListenerTests : ListenerHarness
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task ApiVersionsListsOnlyTheServedApisWithTheirAdvertisedVersions(short version)
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(ApiVersionsRequest.ApiKey, version, 7, new ApiVersionsRequest { ClientSoftwareName = "tests", ClientSoftwareVersion = "1" });
        var (correlation, answer) = Read(await client.ReceiveAsync(), 0, version, ApiVersionsResponse.Read);

        Assert.Equal(7, correlation);
        Assert.Equal(0, answer.ErrorCode);
        Assert.Equal(
            KafkaRequestHandler.Served.Order().Select(key => (key, ApiCatalog.Find(key)!.AdvertisedLowest, ApiCatalog.Find(key)!.AdvertisedHighest)),
            answer.ApiKeys.Select(k => (k.ApiKey, k.MinVersion, k.MaxVersion)).OrderBy(k => k.ApiKey));
        Assert.Contains(answer.ApiKeys, k => (k.ApiKey, k.MinVersion, k.MaxVersion) == (ProduceRequest.ApiKey, 3, 10));
    }

    [Fact]
    public async Task AnApiVersionsRequestNewerThanTheBrokerGetsAVersion0AnswerWithUnsupportedVersion()
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        // Version 9 of a flexible API: the header is v2 and the body unknown; the broker answers in v0 without reading it.
        await client.SendAsync(ApiVersionsRequest.ApiKey, 3, 11, new ApiVersionsRequest());
        _ = await client.ReceiveAsync();
        var frame = await SendRawRequestAsync(client, ApiVersionsRequest.ApiKey, 9, 12, [0x00, 0x01, 0x02]);
        var (correlation, answer) = Read(frame, 0, 0, ApiVersionsResponse.Read);

        Assert.Equal(12, correlation);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, answer.ErrorCode);
        Assert.Contains(answer.ApiKeys, k => k.ApiKey == ApiVersionsRequest.ApiKey && k.MaxVersion == ApiVersionsRequest.AdvertisedHighest);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(12)]
    public async Task MetadataNamesTheBrokersTheControllerAndEachPartitionsLeaderAndIsr(short version)
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(MetadataRequest.ApiKey, version, 21, new MetadataRequest { Topics = null, AllowAutoTopicCreation = version < 4 });
        var (correlation, answer) = Read(await client.ReceiveAsync(), ApiCatalog.ResponseHeaderVersion(MetadataRequest.ApiKey, version), version, MetadataResponse.Read);

        Assert.Equal(21, correlation);
        Assert.Equal([(1, "127.0.0.1", 19092), (2, "127.0.0.1", 29092)], answer.Brokers.Select(b => (b.NodeId, b.Host, b.Port)));
        Assert.Equal(2, answer.ControllerId);
        Assert.Equal(version >= 2 ? "orlog-cluster" : null, answer.ClusterId);
        var orders = Assert.Single(answer.Topics);
        Assert.Equal(("orders", (short)0), (orders.Name, orders.ErrorCode));
        Assert.Equal(version >= 10 ? FakeKafkaBackend.OrdersId : Guid.Empty, orders.TopicId);
        Assert.Equal(
            ["error 0 partition 0 leader 1 replicas 1,2 isr 1,2 offline -", $"error {(short)ErrorCode.LeaderNotAvailable} partition 1 leader -1 replicas 3 isr 3 offline {(version >= 5 ? "3" : "-")}",
                "error 0 partition 2 leader 2 replicas 2,1 isr 2,1 offline -"],
            orders.Partitions.Select(p => $"error {p.ErrorCode} partition {p.PartitionIndex} leader {p.LeaderId} replicas {Ids(p.ReplicaNodes)} isr {Ids(p.IsrNodes)} offline {Ids(p.OfflineReplicas)}"));
        Assert.Equal(version >= 7 ? 4 : -1, orders.Partitions[0].LeaderEpoch);
    }

    [Fact]
    public async Task AnUnknownTopicIsUnknownTopicOrPartitionAndNothingIsCreated()
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(MetadataRequest.ApiKey, 4, 3, new MetadataRequest { Topics = [new() { Name = "nope" }, new() { Name = "orders" }], AllowAutoTopicCreation = true });
        var (_, answer) = Read(await client.ReceiveAsync(), 0, 4, MetadataResponse.Read);

        Assert.Equal([("nope", (short)ErrorCode.UnknownTopicOrPartition), ("orders", (short)0)], answer.Topics.Select(t => (t.Name, t.ErrorCode)));
        Assert.Single(Backend.Cluster.Topics);
    }

    [Theory]
    [InlineData(1, true)] // before version 4 the request has no such field: creation is allowed
    [InlineData(4, true)]
    [InlineData(12, true)]
    public async Task WithAutoCreateOnAnUnknownTopicIsCreatedWithTheDefaultsAndAnsweredLeaderNotAvailable(short version, bool allow)
    {
        Backend.Admin.AutoCreateTopics = true;
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(MetadataRequest.ApiKey, version, 3, new MetadataRequest { Topics = [new() { Name = "fresh" }], AllowAutoTopicCreation = allow });
        var (_, answer) = Read(await client.ReceiveAsync(), ApiCatalog.ResponseHeaderVersion(MetadataRequest.ApiKey, version), version, MetadataResponse.Read);

        Assert.Equal([("fresh", (short)ErrorCode.LeaderNotAvailable)], answer.Topics.Select(t => (t.Name, t.ErrorCode)));
        Assert.Equal(1, Backend.Admin.Topics["fresh"].Partitions);
    }

    [Fact]
    public async Task WithAutoCreateOnARequestThatDisallowsItCreatesNothing()
    {
        Backend.Admin.AutoCreateTopics = true;
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(MetadataRequest.ApiKey, 9, 3, new MetadataRequest { Topics = [new() { Name = "fresh" }], AllowAutoTopicCreation = false });
        var (_, answer) = Read(await client.ReceiveAsync(), ApiCatalog.ResponseHeaderVersion(MetadataRequest.ApiKey, 9), 9, MetadataResponse.Read);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(answer.Topics).ErrorCode);
        Assert.False(Backend.Admin.Topics.ContainsKey("fresh"));
    }

    [Fact]
    public async Task ACorrelationIdReusedIsEchoedOnEachAnswerInOrder()
    {
        // Kafka does not check that a client's correlation ids are unique: each answer carries the one its request had.
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        await client.SendAsync(MetadataRequest.ApiKey, 12, 9, new MetadataRequest { Topics = [] });
        await client.SendAsync(ApiVersionsRequest.ApiKey, 3, 9, new ApiVersionsRequest());

        var (first, _) = Read(await client.ReceiveAsync(), ApiCatalog.ResponseHeaderVersion(MetadataRequest.ApiKey, 12), 12, MetadataResponse.Read);
        var (second, versions) = Read(await client.ReceiveAsync(), 0, 3, ApiVersionsResponse.Read);
        Assert.Equal((9, 9), (first, second));
        Assert.Equal(0, versions.ErrorCode);
    }

    [Fact]
    public async Task RequestsSentTogetherAreAnsweredInOrder()
    {
        await using var client = await KafkaTestClient.ConnectAsync(EndPoint);
        for (var i = 0; i < 20; i++)
        {
            if (i % 2 == 0)
            {
                await client.SendAsync(ApiVersionsRequest.ApiKey, 2, 100 + i, new ApiVersionsRequest());
            }
            else
            {
                await client.SendAsync(MetadataRequest.ApiKey, 12, 100 + i, new MetadataRequest { Topics = [] });
            }
        }
        for (var i = 0; i < 20; i++)
        {
            var frame = await client.ReceiveAsync();
            Assert.NotNull(frame);
            var reader = new KafkaReader(frame);
            Assert.Equal(100 + i, reader.ReadInt32());
        }
    }

    public static TheoryData<string, byte[]> BadFrames => new()
    {
        { "a negative size", [0xff, 0xff, 0xff, 0xfe, 1, 2, 3] },
        { "a size over socket.request.max.bytes", [0x7f, 0x00, 0x00, 0x00, 1, 2, 3] },
        { "a size below a header", [0, 0, 0, 3, 0, 18, 0] },
        { "an api key the broker does not know", KafkaTestClient.Frame([0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff]) },
        { "an API not served (AddPartitionsToTxn v1)", KafkaTestClient.Frame([0, 24, 0, 1, 0, 0, 0, 1, 0xff, 0xff]) },
        { "Metadata with a body cut short", KafkaTestClient.Frame([0, 3, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 5, 0, 3]) },
        { "garbage", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task BadInputClosesItsConnectionAndTheListenerServesTheNext(string what, byte[] bytes)
    {
        await using (var bad = await KafkaTestClient.ConnectAsync(EndPoint))
        {
            await bad.SendRawAsync(bytes);
            Assert.True(await bad.IsClosedAsync(TimeSpan.FromSeconds(10)), $"{what}: the connection stayed open");
        }
        await using var good = await KafkaTestClient.ConnectAsync(EndPoint);
        await good.SendAsync(ApiVersionsRequest.ApiKey, 3, 1, new ApiVersionsRequest());
        var (_, answer) = Read(await good.ReceiveAsync(), 0, 3, ApiVersionsResponse.Read);
        Assert.Equal(0, answer.ErrorCode);
    }

    [Fact]
    public async Task AFrameCutShortByTheClientClosingLosesNothingElse()
    {
        await using (var bad = await KafkaTestClient.ConnectAsync(EndPoint))
        {
            await bad.SendRawAsync([0, 0, 0, 100, 0, 18, 0, 3]);
        }
        await using var good = await KafkaTestClient.ConnectAsync(EndPoint);
        await good.SendAsync(MetadataRequest.ApiKey, 12, 5, new MetadataRequest { Topics = null });
        Assert.NotNull(await good.ReceiveAsync());
    }

    private static async Task<byte[]?> SendRawRequestAsync(KafkaTestClient client, short apiKey, short version, int correlationId, byte[] body)
    {
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(apiKey >> 8), (byte)apiKey, (byte)(version >> 8), (byte)version]);
        bytes.AddRange([(byte)(correlationId >> 24), (byte)(correlationId >> 16), (byte)(correlationId >> 8), (byte)correlationId]);
        bytes.AddRange([0xff, 0xff, 0]); // a null client id, no tagged fields
        bytes.AddRange(body);
        await client.SendRawAsync(KafkaTestClient.Frame([.. bytes]));
        return await client.ReceiveAsync();
    }

    private static string Ids(List<int> ids) => ids.Count == 0 ? "-" : string.Join(',', ids);
}
