namespace Orlog.Records.Tests;

public sealed class RecordBatchRoundTripTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void RecordsReadBackAsWritten(CompressionType compression)
    {
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = 100 };
        builder.Append(1000, "k0"u8, "v0"u8);
        builder.Append(999, RecordBytes.Null, "v1"u8, [new RecordHeader("h", [1, 2]), new RecordHeader("n", null)]);
        builder.Append(1005, ""u8, RecordBytes.Null);
        var batch = builder.ToArray();

        var info = RecordBatchValidator.Validate(batch, 1 << 20);
        Assert.Equal(3, info.RecordCount);
        Assert.Equal(1005, info.MaxTimestamp);

        using var reader = new RecordBatchReader(batch);
        Assert.Equal(compression, reader.Header.Compression);
        var i = 0;
        foreach (var record in reader)
        {
            Assert.Equal(100 + i, record.Offset);
            switch (i)
            {
                case 0:
                    Assert.Equal(1000, record.Timestamp);
                    Assert.Equal("k0"u8.ToArray(), record.Key.ToArray());
                    Assert.False(record.IsKeyNull);
                    Assert.Equal("v0"u8.ToArray(), record.Value.ToArray());
                    Assert.Equal(0, record.Headers.Count);
                    break;
                case 1:
                    Assert.Equal(999, record.Timestamp);
                    Assert.True(record.IsKeyNull);
                    Assert.Equal(2, record.Headers.Count);
                    var h = 0;
                    foreach (var header in record.Headers)
                    {
                        Assert.Equal(h == 0 ? "h" : "n", header.KeyString);
                        Assert.Equal(h == 1, header.IsValueNull);
                        h++;
                    }
                    break;
                case 2:
                    Assert.False(record.IsKeyNull);
                    Assert.True(record.Key.IsEmpty);
                    Assert.True(record.IsValueNull);
                    break;
            }
            i++;
        }
        Assert.Equal(3, i);
    }
}
