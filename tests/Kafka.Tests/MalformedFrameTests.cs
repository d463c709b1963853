using CsCheck;
using Orlog.Kafka.Protocol;
using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Tests;

/// <summary>
/// A malformed frame fails with <see cref="KafkaProtocolException"/>, whatever is wrong with it, and never
/// with another exception: truncation, negative or oversized lengths, over-long varints, forged counts.
/// </summary>
public sealed class MalformedFrameTests
{
    [Theory]
    [MemberData(nameof(RoundTripTests.EveryMessageVersion), MemberType = typeof(RoundTripTests))]
    public void EveryTruncationOfAMessageIsMalformed(string name, short version)
    {
        var type = Messages.Find(name);
        var message = Activator.CreateInstance(type)!;
        MessageFiller.Fill(message, version, new Random(version), nulls: false);
        var bytes = Messages.Write((IKafkaWritable)message, version);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsMemory(0, length);
            Assert.Throws<KafkaProtocolException>(() => Messages.Read(type, prefix, version));
        }
    }

    [Theory]
    [MemberData(nameof(RoundTripTests.EveryMessageVersion), MemberType = typeof(RoundTripTests))]
    public void CorruptedBytesAreReadOrRefusedAsMalformed(string name, short version)
    {
        var type = Messages.Find(name);
        Gen.Select(Gen.Int, Gen.Int[0, 1000], Gen.Byte).Sample((seed, where, value) =>
        {
            var message = Activator.CreateInstance(type)!;
            MessageFiller.Fill(message, version, new Random(seed), nulls: false);
            var bytes = Messages.Write((IKafkaWritable)message, version);
            if (bytes.Length == 0)
            {
                return;
            }
            bytes[where % bytes.Length] = value;
            try
            {
                Messages.Read(type, bytes, version);
            }
            catch (KafkaProtocolException)
            {
            }
        }, iter: 100);
    }

    [Fact]
    public void RandomBytesAreReadOrRefusedAsMalformed()
    {
        Gen.Select(Gen.Int[0, Messages.All.Count - 1], Gen.Byte.Array[0, 64]).Sample((index, bytes) =>
        {
            var type = Messages.All[index];
            for (var v = Messages.Constant(type, "LowestVersion"); v <= Messages.Constant(type, "HighestVersion"); v++)
            {
                try
                {
                    Messages.Read(type, bytes, v);
                }
                catch (KafkaProtocolException)
                {
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void ANegativeArrayLengthOtherThanMinusOneIsMalformed()
    {
        // Metadata v1 request: Topics with int32 count -2.
        var error = Read<MetadataRequest>("fffffffe", 1);
        Assert.Contains("-2", error.Message);
    }

    [Fact]
    public void ANullArrayWhereTheVersionCannotHaveOneIsMalformed()
    {
        // Metadata v0 request: Topics -1, but null topics came with v1.
        Assert.Contains("MetadataRequest.Topics", Read<MetadataRequest>("ffffffff", 0).Message);
    }

    [Fact]
    public void ANegativeStringLengthOtherThanMinusOneIsMalformed()
    {
        // Metadata v1 request: one topic whose name has int16 length -5.
        Read<MetadataRequest>("00000001 fffb", 1);
    }

    [Fact]
    public void AnArrayCountPastTheEndIsMalformed()
    {
        // Metadata v12 request: Topics compact count 5 (varint 6) with 2 bytes left.
        Assert.Contains("array of 5 elements", Read<MetadataRequest>("06 0000", 12).Message);
        // Metadata v1: int32 count 2^31-1, forged, with nothing after it.
        Read<MetadataRequest>("7fffffff", 1);
    }

    [Fact]
    public void ACompactStringLengthPastTheEndIsMalformed()
    {
        // ApiVersions v3 request: ClientSoftwareName of compact length 15 (varint 16), then "ab".
        Assert.Contains("15 bytes", Read<ApiVersionsRequest>("10 6162", 3).Message);
    }

    [Fact]
    public void ACompactLengthNearTheTopOfTheVarintRangeIsMalformed()
    {
        // Compact length 0xffffffff - 1: must not wrap around into a small or negative length.
        Read<ApiVersionsRequest>("ffffffff0f 00", 3);
    }

    [Fact]
    public void AVarintOverFiveBytesIsMalformed()
    {
        // Six bytes with the continuation bit set on the first five.
        Assert.Contains("longer than 5 bytes", Read<ApiVersionsRequest>("ffffffffff01", 3).Message);
        // Five bytes whose last carries bits beyond 32.
        Read<ApiVersionsRequest>("ffffffff7f", 3);
    }

    [Fact]
    public void ATaggedFieldWhoseValueDisagreesWithItsSizeIsMalformed()
    {
        // ApiVersions v3 response, tag 3 (ZkMigrationReady, a bool) declared as 2 bytes.
        Assert.Contains("size", Read<ApiVersionsResponse>("0000 01 00000000 01 03 02 0100", 3).Message);
    }

    [Fact]
    public void ATaggedFieldSizePastTheEndIsMalformed()
    {
        Read<ApiVersionsResponse>("0000 01 00000000 01 09 20 00", 3);
    }

    [Fact]
    public void BytesLeftOverAreTheCallersToNotice()
    {
        // The reader stops where the message ends; a frame's length prefix decides what follows.
        var reader = new KafkaReader(Hex.Bytes("00000000 aa"));
        MetadataRequest.Read(ref reader, 1);
        Assert.Equal(1, reader.Remaining);
    }

    private static KafkaProtocolException Read<T>(string hex, short version)
        where T : IKafkaMessage<T>
    {
        var bytes = Hex.Bytes(hex);
        return Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(bytes);
            T.Read(ref reader, version);
        });
    }
}
