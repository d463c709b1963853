using System.Buffers.Binary;

namespace Orlog.Records.Tests;

/// <summary>Exact bytes, worked out by hand from Kafka's documented RecordBatch v2 layout.</summary>
public sealed class RecordBatchLayoutTests
{
    [Fact]
    public void OneRecordBatchHasKafkasExactBytes()
    {
        using var builder = new RecordBatchBuilder { BaseOffset = 5 };
        builder.Append(1000, RecordBytes.Null, "hi"u8, [new RecordHeader("a", [0x01])]);
        var batch = builder.ToArray();

        byte[] record =
        [
            0x18,             // length 12, zig-zag
            0x00,             // attributes
            0x00,             // timestamp delta 0
            0x00,             // offset delta 0
            0x01,             // key length -1: null
            0x04, 0x68, 0x69, // value length 2, "hi"
            0x02,             // 1 header
            0x02, 0x61,       // header key length 1, "a"
            0x02, 0x01,       // header value length 1, 0x01
        ];
        byte[] header =
        [
            0, 0, 0, 0, 0, 0, 0, 5,       // base offset 5
            0, 0, 0, 62,                  // batch length: 49 + 13
            0xFF, 0xFF, 0xFF, 0xFF,       // partition leader epoch -1
            2,                            // magic
            0, 0, 0, 0,                   // CRC, checked below
            0, 0,                         // attributes: none, CreateTime
            0, 0, 0, 0,                   // last offset delta
            0, 0, 0, 0, 0, 0, 0x03, 0xE8, // base timestamp 1000
            0, 0, 0, 0, 0, 0, 0x03, 0xE8, // max timestamp 1000
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // producer id -1
            0xFF, 0xFF,                   // producer epoch -1
            0xFF, 0xFF, 0xFF, 0xFF,       // base sequence -1
            0, 0, 0, 1,                   // record count 1
        ];
        Assert.Equal(RecordBatchHeader.Size + record.Length, batch.Length);
        Assert.Equal(header[..17], batch[..17]);
        Assert.Equal(header[21..], batch[21..RecordBatchHeader.Size]);
        Assert.Equal(record, batch[RecordBatchHeader.Size..]);
        Assert.Equal(Crc32C.Compute(batch.AsSpan(21)), BinaryPrimitives.ReadUInt32BigEndian(batch.AsSpan(17)));
    }

    [Fact]
    public void SecondRecordCarriesZigZagDeltasAndTwoByteLengths()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1000, "k"u8, ""u8);
        var value = new byte[200];
        builder.Append(990, RecordBytes.Null, value);
        var batch = builder.ToArray();

        var first = new byte[] { 0x0E, 0x00, 0x00, 0x00, 0x02, 0x6B, 0x00, 0x00 };
        Assert.Equal(first, batch.AsSpan(RecordBatchHeader.Size, first.Length).ToArray());
        var second = batch.AsSpan(RecordBatchHeader.Size + first.Length);
        // body: attributes, ts delta -10 (0x13), offset delta 1 (0x02), key -1 (0x01),
        // value length 200 (zig-zag 400: 0x90 0x03), 200 bytes, 0 headers = 207 bytes (zig-zag 414: 0x9E 0x03).
        Assert.Equal(new byte[] { 0x9E, 0x03, 0x00, 0x13, 0x02, 0x01, 0x90, 0x03 }, second[..8].ToArray());
        Assert.Equal(2 + 207, second.Length);
        Assert.Equal(0x00, second[^1]);

        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset)));
        Assert.Equal(1000, BinaryPrimitives.ReadInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseTimestampOffset)));
        Assert.Equal(1000, BinaryPrimitives.ReadInt64BigEndian(batch.AsSpan(RecordBatchHeader.MaxTimestampOffset)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset)));
    }

    [Fact]
    public void BatchSettingsLandInTheirHeaderFields()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Lz4)
        {
            TimestampType = TimestampType.LogAppendTime,
            IsTransactional = true,
            ProducerId = 0x0102030405060708,
            ProducerEpoch = 3,
            BaseSequence = 7,
            PartitionLeaderEpoch = 9,
            BaseOffset = 42,
        };
        builder.Append(1, "k"u8, "v"u8);
        var batch = builder.ToArray();

        Assert.Equal(42, BinaryPrimitives.ReadInt64BigEndian(batch));
        Assert.Equal(9, BinaryPrimitives.ReadInt32BigEndian(batch.AsSpan(12)));
        Assert.Equal(new byte[] { 0x00, 0x1B }, batch[21..23]); // lz4 (3) | LogAppendTime (8) | transactional (0x10)
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, batch[43..51]);
        Assert.Equal(new byte[] { 0, 3 }, batch[51..53]);
        Assert.Equal(new byte[] { 0, 0, 0, 7 }, batch[53..57]);
        var header = RecordBatchHeader.Read(batch);
        Assert.True(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.Equal(7, header.LastSequence);
    }

    [Fact]
    public void ControlFlagIsBitFive()
    {
        using var builder = new RecordBatchBuilder { IsControl = true };
        builder.Append(1, new byte[] { 0, 0, 0, 1 }, new byte[] { 0, 0, 0, 0, 0, 0 });
        var batch = builder.ToArray();
        Assert.Equal(new byte[] { 0x00, 0x20 }, batch[21..23]);
        Assert.True(RecordBatchHeader.Read(batch).IsControl);
    }

    [Fact]
    public void CrcCoversAttributesToTheEnd()
    {
        var batch = TestBatches.Build(3);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset));
        Assert.Equal(Crc32C.Compute(batch.AsSpan(RecordBatchHeader.AttributesOffset)), stored);

        // Base offset and partition leader epoch lie before the CRC: the broker sets them in place.
        RecordBatchHeader.WriteBaseOffset(batch, 123_456);
        RecordBatchHeader.WritePartitionLeaderEpoch(batch, 77);
        Assert.Equal(stored, RecordBatchHeader.ComputeCrc(batch));
        var info = RecordBatchValidator.Validate(batch, int.MaxValue);
        Assert.Equal(123_456, info.Header.BaseOffset);
        Assert.Equal(77, info.Header.PartitionLeaderEpoch);
    }

    [Fact]
    public void SetMaxTimestampStampsLogAppendTimeAndKeepsTheBatchValid()
    {
        var batch = TestBatches.Build(3);
        RecordBatchHeader.SetMaxTimestamp(batch, TimestampType.LogAppendTime, 5_000);
        var info = RecordBatchValidator.Validate(batch, int.MaxValue);
        Assert.Equal(TimestampType.LogAppendTime, info.TimestampType);
        Assert.Equal(5_000, info.MaxTimestamp);
        using var reader = new RecordBatchReader(batch);
        foreach (var record in reader)
        {
            Assert.Equal(5_000, record.Timestamp);
        }
    }

    /// <summary>Bytes of a one-record batch as the Go client sarama encodes it (from its record tests):
    /// an independent encoder, with its own CRC.</summary>
    public static readonly byte[] SaramaUncompressed =
    [
        0, 0, 0, 0, 0, 0, 0, 0,         // base offset
        0, 0, 0, 70,                    // batch length
        0, 0, 0, 0,                     // partition leader epoch
        2,                              // magic
        84, 121, 97, 253,               // CRC
        0, 0,                           // attributes
        0, 0, 0, 0,                     // last offset delta
        0, 0, 1, 88, 141, 205, 89, 56,  // base timestamp 1479847795000
        0, 0, 0, 0, 0, 0, 0, 0,         // max timestamp (left 0)
        0, 0, 0, 0, 0, 0, 0, 0,         // producer id
        0, 0,                           // producer epoch
        0, 0, 0, 0,                     // base sequence
        0, 0, 0, 1,                     // record count
        40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12,
    ];

    [Fact]
    public void BatchEncodedByAnotherClientValidatesAndReads()
    {
        var info = RecordBatchValidator.Validate(SaramaUncompressed, 1 << 20);
        Assert.Equal(1, info.RecordCount);
        Assert.Equal(1479847795005, info.MaxRecordTimestamp);
        Assert.False(info.MaxTimestampMatchesRecords); // sarama leaves maxTimestamp 0; Kafka accepts that

        using var reader = new RecordBatchReader(SaramaUncompressed);
        var count = 0;
        foreach (var record in reader)
        {
            Assert.Equal(0, record.Offset);
            Assert.Equal(1479847795005, record.Timestamp);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, record.Key.ToArray());
            Assert.Equal(new byte[] { 5, 6, 7 }, record.Value.ToArray());
            foreach (var header in record.Headers)
            {
                Assert.Equal(new byte[] { 8, 9, 10 }, header.Key.ToArray());
                Assert.Equal(new byte[] { 11, 12 }, header.Value.ToArray());
                count++;
            }
        }
        Assert.Equal(1, count);
    }
}
