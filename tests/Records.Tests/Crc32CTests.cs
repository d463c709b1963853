namespace Orlog.Records.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void CheckValueOfTheCastagnoliPolynomialIsE3069283()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void EmptyInputHasCrcZero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void AppendingInPiecesEqualsOneComputation()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        for (var split = 0; split <= 20; split++)
        {
            var state = Crc32C.Append(uint.MaxValue, data.AsSpan(0, split));
            state = Crc32C.Append(state, data.AsSpan(split));
            Assert.Equal(Crc32C.Compute(data), ~state);
        }
    }

    [Fact]
    public void ThirtyTwoZeroBytesGiveTheRfc3720Vector()
    {
        // RFC 3720 (iSCSI) B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }
}
