using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Tests;

/// <summary>ApiVersions v3 on the wire, byte by byte, computed from the protocol's rules.</summary>
public sealed class ApiVersionsFixtureTests
{
    // Request header v2 (v3 is flexible) and the v3 body.
    //   00 12              api key 18 (int16)
    //   00 03              api version 3
    //   00 00 00 07        correlation id 7 (int32)
    //   00 03 63 6c 69     client id "cli": a classic int16-length string even in header v2
    //   00                 header tagged fields: none (unsigned varint 0)
    //   06 6f 72 6c 6f 67  ClientSoftwareName "orlog": compact string, varint length+1 = 6
    //   04 31 2e 30        ClientSoftwareVersion "1.0": varint 4
    //   00                 body tagged fields: none
    private const string RequestV3 = "0012 0003 00000007 0003 636c69 00 06 6f726c6f67 04 312e30 00";

    // Response header v0: ApiVersions answers never carry header tagged fields, flexible or not.
    //   00 00 00 07        correlation id 7
    //   00 00              ErrorCode 0
    //   03                 ApiKeys: compact array of 2 (varint 2+1)
    //   00 03 00 00 00 0c 00   Metadata 0-12, the struct's tagged fields: none
    //   00 12 00 00 00 04 00   ApiVersions 0-4
    //   00 00 00 00        ThrottleTimeMs 0
    //   02                 two tagged fields, in tag order:
    //   01 08 00 00 00 00 00 00 00 05   tag 1 FinalizedFeaturesEpoch, 8 bytes, 5
    //   03 01 01                        tag 3 ZkMigrationReady, 1 byte, true
    // SupportedFeatures (tag 0) and FinalizedFeatures (tag 2) are empty, their default: not written.
    private const string ResponseV3 =
        "00000007 0000 03 0003 0000 000c 00 0012 0000 0004 00 00000000 02 01 08 0000000000000005 03 01 01";

    [Fact]
    public void RequestV3MatchesTheHandComputedBytes()
    {
        var header = new RequestHeader(ApiVersionsRequest.ApiKey, 3, 7, "cli");
        var body = new ApiVersionsRequest { ClientSoftwareName = "orlog", ClientSoftwareVersion = "1.0" };

        Assert.Equal(Hex.Of(Hex.Bytes(RequestV3)), Hex.Of(Frames.Request(header, body)));

        var reader = new KafkaReader(Hex.Bytes(RequestV3));
        Assert.Equal(header, RequestHeader.Read(ref reader));
        var read = ApiVersionsRequest.Read(ref reader, 3);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal("orlog", read.ClientSoftwareName);
        Assert.Equal("1.0", read.ClientSoftwareVersion);
    }

    [Fact]
    public void ResponseV3MatchesTheHandComputedBytesUnderHeaderV0()
    {
        var body = new ApiVersionsResponse
        {
            ApiKeys =
            [
                new() { ApiKey = 3, MinVersion = 0, MaxVersion = 12 },
                new() { ApiKey = 18, MinVersion = 0, MaxVersion = 4 },
            ],
            FinalizedFeaturesEpoch = 5,
            ZkMigrationReady = true,
        };

        Assert.Equal(0, ApiCatalog.ResponseHeaderVersion(ApiVersionsResponse.ApiKey, 3));
        Assert.Equal(Hex.Of(Hex.Bytes(ResponseV3)), Hex.Of(Frames.Response(7, ApiVersionsResponse.ApiKey, 3, body)));

        var reader = new KafkaReader(Hex.Bytes(ResponseV3));
        Assert.Equal(7, ResponseHeader.Read(ref reader, 0).CorrelationId);
        var read = ApiVersionsResponse.Read(ref reader, 3);
        Assert.Equal(0, reader.Remaining);
        MessageAssert.Equal(body, read);
    }

    [Fact]
    public void AnUnknownTaggedFieldIsSkipped()
    {
        // The v3 response above with a third tagged field, tag 9 of 3 bytes, that this codec does not know.
        var bytes = Hex.Bytes("0000 01 00000000 03 01 08 0000000000000005 03 01 01 09 03 aabbcc");
        var reader = new KafkaReader(bytes);
        var read = ApiVersionsResponse.Read(ref reader, 3);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(5, read.FinalizedFeaturesEpoch);
        Assert.True(read.ZkMigrationReady);
    }

    [Fact]
    public void ARequestNewerThanTheBrokerGetsAV0AnswerWithUnsupportedVersionAndEveryApi()
    {
        // A client newer than the broker sends ApiVersions v127 (header v2: flexible from v3 on).
        var request = Hex.Bytes("0012 007f 0000002a 0003 636c69 00 ffff");
        var reader = new KafkaReader(request);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(127, header.ApiVersion);
        Assert.Equal("cli", header.ClientId);
        Assert.True(ApiVersionsResponse.NeedsUnsupportedVersionAnswer(header.ApiVersion));
        Assert.True(ApiVersionsResponse.NeedsUnsupportedVersionAnswer(ApiVersionsRequest.AdvertisedHighest + 1));
        Assert.False(ApiVersionsResponse.NeedsUnsupportedVersionAnswer(ApiVersionsRequest.AdvertisedHighest));

        var answer = ApiVersionsResponse.ForUnsupportedVersion();
        var bytes = Frames.Response(header.CorrelationId, header.ApiKey, ApiVersionsResponse.UnsupportedVersionAnswerVersion, answer);

        // Header v0 (correlation id 42), ErrorCode 35, an int32-length array (v0 is not flexible), no throttle time.
        var apis = ApiCatalog.Apis;
        Assert.Equal(4 + 2 + 4 + (apis.Count * 6), bytes.Length);
        Assert.Equal("0000002A" + "0023" + apis.Count.ToString("X8"), Hex.Of(bytes.AsSpan(0, 10)));
        var body = new KafkaReader(bytes.AsMemory(4));
        var read = ApiVersionsResponse.Read(ref body, 0);
        Assert.Equal(35, read.ErrorCode);
        Assert.Equal(apis.Select(a => (a.ApiKey, a.AdvertisedLowest, a.AdvertisedHighest)),
            read.ApiKeys.Select(k => (k.ApiKey, k.MinVersion, k.MaxVersion)));
        Assert.Contains(read.ApiKeys, k => k.ApiKey == ApiVersionsRequest.ApiKey);
    }
}
