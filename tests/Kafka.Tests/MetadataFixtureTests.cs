using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Tests;

/// <summary>Metadata v1 (classic) and v12 (flexible) on the wire, byte by byte.</summary>
public sealed class MetadataFixtureTests
{
    // Request header v1 (v1 is not flexible) and the v1 body.
    //   00 03              api key 3
    //   00 01              api version 1
    //   00 00 00 2a        correlation id 42
    //   00 01 78           client id "x" (classic string)
    //   00 00 00 02        Topics: int32 count 2 (no TopicId before v10, no AllowAutoTopicCreation before v4)
    //   00 01 61           Name "a": int16 length 1
    //   00 02 62 63        Name "bc"
    private const string RequestV1 = "0003 0001 0000002a 0001 78 00000002 0001 61 0002 6263";

    // Response header v1 (v12 is flexible) and the v12 body.
    //   00 00 00 2a        correlation id 42
    //   00                 header tagged fields: none
    //   00 00 00 00        ThrottleTimeMs 0
    //   02                 Brokers: compact array of 1
    //     00 00 00 01      NodeId 1
    //     02 68            Host "h": compact string
    //     00 00 23 84      Port 9092
    //     00               Rack null: compact 0
    //     00               the broker's tagged fields
    //   03 63 31           ClusterId "c1"
    //   00 00 00 01        ControllerId 1
    //   02                 Topics: compact array of 1
    //     00 00            ErrorCode 0
    //     02 74            Name "t"
    //     00 01 .. 0f      TopicId 00010203-0405-0607-0809-0a0b0c0d0e0f, most significant byte first
    //     00               IsInternal false
    //     02               Partitions: compact array of 1
    //       00 00          ErrorCode 0
    //       00 00 00 00    PartitionIndex 0
    //       00 00 00 01    LeaderId 1
    //       00 00 00 05    LeaderEpoch 5
    //       02 00 00 00 01 ReplicaNodes [1]
    //       02 00 00 00 01 IsrNodes [1]
    //       01             OfflineReplicas []: compact 0+1
    //       00             the partition's tagged fields
    //     80 00 00 00      TopicAuthorizedOperations: its default, int32 min
    //     00               the topic's tagged fields
    //   00                 the response's tagged fields (ClusterAuthorizedOperations stopped at v10)
    private const string ResponseV12 =
        "0000002a 00 00000000 02 00000001 0268 00002384 00 00 036331 00000001 " +
        "02 0000 0274 000102030405060708090a0b0c0d0e0f 00 " +
        "02 0000 00000000 00000001 00000005 02 00000001 02 00000001 01 00 80000000 00 00";

    [Fact]
    public void RequestV1MatchesTheHandComputedBytes()
    {
        var header = new RequestHeader(MetadataRequest.ApiKey, 1, 42, "x");
        var body = new MetadataRequest { Topics = [new() { Name = "a" }, new() { Name = "bc" }] };

        Assert.Equal(Hex.Of(Hex.Bytes(RequestV1)), Hex.Of(Frames.Request(header, body)));

        var reader = new KafkaReader(Hex.Bytes(RequestV1));
        Assert.Equal(header, RequestHeader.Read(ref reader));
        var read = MetadataRequest.Read(ref reader, 1);
        Assert.Equal(0, reader.Remaining);
        MessageAssert.Equal(body, read);
    }

    [Fact]
    public void NullTopicsInV1AskForEveryTopic()
    {
        Assert.Equal("FFFFFFFF", Hex.Of(Messages.Write(new MetadataRequest { Topics = null }, 1)));
        var reader = new KafkaReader(Hex.Bytes("ffffffff"));
        Assert.Null(MetadataRequest.Read(ref reader, 1).Topics);
    }

    [Fact]
    public void ResponseV12MatchesTheHandComputedBytes()
    {
        var body = new MetadataResponse
        {
            Brokers = [new() { NodeId = 1, Host = "h", Port = 9092 }],
            ClusterId = "c1",
            ControllerId = 1,
            Topics =
            [
                new()
                {
                    Name = "t",
                    TopicId = Guid.Parse("00010203-0405-0607-0809-0a0b0c0d0e0f"),
                    Partitions = [new() { LeaderId = 1, LeaderEpoch = 5, ReplicaNodes = [1], IsrNodes = [1] }],
                },
            ],
        };

        Assert.Equal(1, ApiCatalog.ResponseHeaderVersion(MetadataResponse.ApiKey, 12));
        Assert.Equal(Hex.Of(Hex.Bytes(ResponseV12)), Hex.Of(Frames.Response(42, MetadataResponse.ApiKey, 12, body)));

        var reader = new KafkaReader(Hex.Bytes(ResponseV12));
        Assert.Equal(42, ResponseHeader.Read(ref reader, 1).CorrelationId);
        var read = MetadataResponse.Read(ref reader, 12);
        Assert.Equal(0, reader.Remaining);
        MessageAssert.Equal(body, read);
    }
}
