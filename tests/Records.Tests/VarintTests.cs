using System.Buffers;

namespace Orlog.Records.Tests;

public sealed class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(-2, new byte[] { 0x03 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(150, new byte[] { 0xAC, 0x02 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void VarintIsZigZagProtobufEncoding(int value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarintSize];
        var written = Varint.WriteVarint(buffer, value);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOfVarint(value));
        Assert.Equal(OperationStatus.Done, Varint.TryReadVarint(expected, out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, consumed);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1L)]
    [InlineData((long)int.MaxValue + 1)]
    [InlineData((long)int.MinValue - 1)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1479847795005L)]
    public void VarlongRoundTrips(long value)
    {
        var buffer = new byte[Varint.MaxVarlongSize];
        var written = Varint.WriteVarlong(buffer, value);
        Assert.Equal(Varint.SizeOfVarlong(value), written);
        Assert.Equal(OperationStatus.Done, Varint.TryReadVarlong(buffer, out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
    }

    [Fact]
    public void LongExtremesTakeTenBytes()
    {
        Assert.Equal(10, Varint.SizeOfVarlong(long.MaxValue));
        Assert.Equal(10, Varint.SizeOfVarlong(long.MinValue));
        var buffer = new byte[10];
        Varint.WriteVarlong(buffer, long.MinValue);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, buffer);
    }

    [Fact]
    public void EverySizeBoundaryRoundTrips()
    {
        var buffer = new byte[Varint.MaxVarlongSize];
        for (var bits = 0; bits < 64; bits++)
        {
            foreach (var value in new[] { (1L << bits) - 1, 1L << bits, -(1L << bits), -(1L << bits) - 1 })
            {
                var written = Varint.WriteVarlong(buffer, value);
                Assert.Equal(OperationStatus.Done, Varint.TryReadVarlong(buffer.AsSpan(0, written), out var read, out _));
                Assert.Equal(value, read);
                if (value is >= int.MinValue and <= int.MaxValue)
                {
                    written = Varint.WriteVarint(buffer, (int)value);
                    Assert.Equal(OperationStatus.Done, Varint.TryReadVarint(buffer.AsSpan(0, written), out var read32, out _));
                    Assert.Equal((int)value, read32);
                }
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void TruncatedVarintNeedsMoreData(byte[] input)
    {
        Assert.Equal(OperationStatus.NeedMoreData, Varint.TryReadVarint(input, out _, out var consumed));
        Assert.Equal(0, consumed);
        var exception = Assert.Throws<KafkaException>(() => Varint.ReadVarint(input, out _));
        Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void OverlongOrOverflowingVarintIsInvalid(byte[] input)
    {
        Assert.Equal(OperationStatus.InvalidData, Varint.TryReadVarint(input, out _, out _));
        var exception = Assert.Throws<KafkaException>(() => Varint.ReadVarint(input, out _));
        Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
    }

    [Fact]
    public void OverlongVarlongIsInvalid()
    {
        byte[] elevenBytes = [.. Enumerable.Repeat((byte)0x80, 10), 0x00];
        Assert.Equal(OperationStatus.InvalidData, Varint.TryReadVarlong(elevenBytes, out _, out _));
        byte[] overflow = [.. Enumerable.Repeat((byte)0xFF, 9), 0x02];
        Assert.Equal(OperationStatus.InvalidData, Varint.TryReadVarlong(overflow, out _, out _));
        byte[] truncated = [.. Enumerable.Repeat((byte)0xFF, 9)];
        Assert.Equal(OperationStatus.NeedMoreData, Varint.TryReadVarlong(truncated, out _, out _));
        Assert.Throws<KafkaException>(() => Varint.ReadVarlong(truncated, out _));
    }

    [Fact]
    public void ReadStopsAtTheFirstCompleteValue()
    {
        byte[] input = [0xAC, 0x02, 0x7F, 0x80];
        Assert.Equal(150, Varint.ReadVarint(input, out var consumed));
        Assert.Equal(2, consumed);
        Assert.Equal(-64, Varint.ReadVarint(input.AsSpan(2), out consumed));
        Assert.Equal(1, consumed);
    }
}
