using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests;

/// <summary>Request and response headers, byte by byte, and which version each API version takes.</summary>
public sealed class HeaderFixtureTests
{
    [Fact]
    public void RequestHeaderV1CarriesAClassicClientId()
    {
        // 00 03 | 00 01 | 00 00 00 2a | 00 05 "orlog" (int16 length 5)
        var expected = "0003 0001 0000002a 0005 6f726c6f67";
        var header = new RequestHeader(3, 1, 42, "orlog");
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(Write(w => header.Write(w, 1))));
        var reader = new KafkaReader(Hex.Bytes(expected));
        Assert.Equal(header, RequestHeader.Read(ref reader, 1));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void RequestHeaderV2KeepsTheClientIdClassicAndAddsTaggedFields()
    {
        // 00 12 | 00 03 | 00 00 00 2a | 00 05 "orlog" (still int16, not compact 06) | 00 no tagged fields
        var expected = "0012 0003 0000002a 0005 6f726c6f67 00";
        var header = new RequestHeader(18, 3, 42, "orlog");
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(Write(w => header.Write(w, 2))));
        var reader = new KafkaReader(Hex.Bytes(expected));
        Assert.Equal(header, RequestHeader.Read(ref reader, 2));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void RequestHeaderV2SkipsTaggedFieldsItDoesNotKnow()
    {
        // A null client id (ff ff), then one tagged field: tag 0, 2 bytes.
        var reader = new KafkaReader(Hex.Bytes("0012 0003 0000002a ffff 01 00 02 abcd"));
        Assert.Equal(new RequestHeader(18, 3, 42, null), RequestHeader.Read(ref reader, 2));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ReadPeeksTheApiToChooseTheHeaderVersion()
    {
        var v1 = new KafkaReader(Hex.Bytes("0003 0008 00000001 0001 78 ffffffff"));
        Assert.Equal(new RequestHeader(3, 8, 1, "x"), RequestHeader.Read(ref v1));
        Assert.Equal(4, v1.Remaining);

        var v2 = new KafkaReader(Hex.Bytes("0003 0009 00000001 0001 78 00 01"));
        Assert.Equal((3, 9), RequestHeader.Peek(ref v2));
        Assert.Equal(new RequestHeader(3, 9, 1, "x"), RequestHeader.Read(ref v2));
        Assert.Equal(1, v2.Remaining);
    }

    [Theory]
    [InlineData(3, 8, 1, 0)]
    [InlineData(3, 9, 2, 1)]
    [InlineData(18, 2, 1, 0)]
    [InlineData(18, 3, 2, 0)]
    [InlineData(18, 4, 2, 0)]
    [InlineData(18, 99, 2, 0)]
    [InlineData(32000, 1, 1, 0)]
    public void HeaderVersionsFollowFlexibility(short apiKey, short apiVersion, short requestHeader, short responseHeader)
    {
        Assert.Equal(requestHeader, ApiCatalog.RequestHeaderVersion(apiKey, apiVersion));
        Assert.Equal(responseHeader, ApiCatalog.ResponseHeaderVersion(apiKey, apiVersion));
    }

    [Fact]
    public void ResponseHeaderV1AddsTaggedFields()
    {
        Assert.Equal("0000002A", Hex.Of(Write(w => new ResponseHeader(42).Write(w, 0))));
        Assert.Equal("0000002A00", Hex.Of(Write(w => new ResponseHeader(42).Write(w, 1))));
    }

    private static byte[] Write(Action<KafkaWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        write(new KafkaWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
