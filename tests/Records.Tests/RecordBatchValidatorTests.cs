using System.Buffers;
using Orlog.Records.Compression;

namespace Orlog.Records.Tests;

public sealed class RecordBatchValidatorTests
{
    private const int Max = 1 << 20;

    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void ValidBatchOfEveryCodecPasses(CompressionType compression)
    {
        var batch = TestBatches.Build(50, compression);
        var info = RecordBatchValidator.Validate(batch, Max);
        Assert.Equal(50, info.RecordCount);
        Assert.Equal(49, info.LastOffsetDelta);
        Assert.Equal(1049, info.MaxTimestamp);
        Assert.Equal(1049, info.MaxRecordTimestamp);
        Assert.Equal(49, info.OffsetDeltaOfMaxTimestamp);
        Assert.True(info.MaxTimestampMatchesRecords);
        Assert.Equal(compression, info.Compression);
        Assert.Equal(batch.Length, info.SizeInBytes);
        Assert.False(info.HasNullKey);
    }

    [Fact]
    public void BatchShorterThanTheHeaderIsCorrupt()
    {
        var batch = TestBatches.Build(1);
        AssertRefused(batch[..60], ErrorCode.CorruptMessage, "shorter than the 61-byte");
        AssertRefused([], ErrorCode.CorruptMessage, "0 bytes");
    }

    [Fact]
    public void BatchLengthPastTheBufferIsCorrupt()
    {
        var batch = TestBatches.Build(2);
        AssertRefused(batch[..^1], ErrorCode.CorruptMessage, "past the end");
        var longer = TestBatches.WithInt32((byte[])batch.Clone(), RecordBatchHeader.BatchLengthOffset, batch.Length);
        AssertRefused(longer, ErrorCode.CorruptMessage, "past the end");
    }

    [Fact]
    public void TrailingBytesAfterTheBatchAreCorrupt()
    {
        var batch = TestBatches.Build(2);
        AssertRefused([.. batch, 0], ErrorCode.CorruptMessage, "1 trailing bytes");
        AssertRefused([.. batch, .. batch], ErrorCode.CorruptMessage, "trailing");
    }

    [Fact]
    public void BatchLengthSmallerThanTheHeaderIsCorrupt()
    {
        var batch = TestBatches.WithInt32(TestBatches.Build(1), RecordBatchHeader.BatchLengthOffset, 48);
        AssertRefused(batch, ErrorCode.CorruptMessage, "batchLength 48");
        batch = TestBatches.WithInt32(TestBatches.Build(1), RecordBatchHeader.BatchLengthOffset, -1);
        AssertRefused(batch, ErrorCode.CorruptMessage, "batchLength -1");
    }

    [Fact]
    public void BatchOverMaxMessageBytesIsTooLarge()
    {
        var batch = TestBatches.Build(10);
        AssertRefused(batch, ErrorCode.MessageTooLarge, $"{batch.Length} bytes", maxMessageBytes: batch.Length - 1);
        Assert.Equal(10, RecordBatchValidator.Validate(batch, batch.Length).RecordCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void OldMagicIsUnsupportedForMessageFormat(byte magic)
    {
        var batch = TestBatches.Build(1);
        batch[RecordBatchHeader.MagicOffset] = magic;
        AssertRefused(batch, ErrorCode.UnsupportedForMessageFormat, $"magic {magic}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(255)]
    public void UnknownMagicIsCorrupt(byte magic)
    {
        var batch = TestBatches.Build(1);
        batch[RecordBatchHeader.MagicOffset] = magic;
        AssertRefused(batch, ErrorCode.CorruptMessage, $"unsupported magic {magic}");
    }

    [Fact]
    public void CrcMismatchIsCorruptAndNamesBothValues()
    {
        var batch = TestBatches.Build(3);
        var good = RecordBatchHeader.Read(batch).Crc;
        batch[RecordBatchHeader.CrcOffset] ^= 0x01;
        var exception = AssertRefused(batch, ErrorCode.CorruptMessage, "CRC-32C mismatch");
        Assert.Contains($"0x{good ^ 0x01000000:X8}", exception.Message);
        Assert.Contains($"0x{good:X8}", exception.Message);
    }

    public static TheoryData<string, int> FieldsUnderTheCrc => new()
    {
        { "attributes", RecordBatchHeader.AttributesOffset + 1 },
        { "lastOffsetDelta", RecordBatchHeader.LastOffsetDeltaOffset + 3 },
        { "baseTimestamp", RecordBatchHeader.BaseTimestampOffset + 7 },
        { "maxTimestamp", RecordBatchHeader.MaxTimestampOffset },
        { "producerId", RecordBatchHeader.ProducerIdOffset + 4 },
        { "producerEpoch", RecordBatchHeader.ProducerEpochOffset + 1 },
        { "baseSequence", RecordBatchHeader.BaseSequenceOffset + 2 },
        { "recordCount", RecordBatchHeader.RecordCountOffset + 3 },
        { "crc", RecordBatchHeader.CrcOffset + 2 },
        { "first record", RecordBatchHeader.Size + 3 },
        { "last byte", -1 },
    };

    [Theory]
    [MemberData(nameof(FieldsUnderTheCrc))]
    public void BitFlipInAFieldUnderTheCrcIsCorrupt(string field, int offset)
    {
        foreach (var compression in TestBatches.AllCodecs)
        {
            var batch = TestBatches.Build(5, compression);
            var at = offset < 0 ? batch.Length + offset : offset;
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])batch.Clone();
                flipped[at] ^= (byte)(1 << bit);
                var exception = Assert.Throws<KafkaException>(() => RecordBatchValidator.Validate(flipped, Max));
                Assert.True(exception.Code == ErrorCode.CorruptMessage, $"{field} bit {bit} ({compression}): {exception.Message}");
            }
        }
    }

    [Fact]
    public void BitFlipInTheBatchLengthIsCorrupt()
    {
        var batch = TestBatches.Build(5);
        for (var bit = 0; bit < 32; bit++)
        {
            var flipped = (byte[])batch.Clone();
            flipped[RecordBatchHeader.BatchLengthOffset + 3 - (bit / 8)] ^= (byte)(1 << (bit % 8));
            Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<KafkaException>(() => RecordBatchValidator.Validate(flipped, int.MaxValue)).Code);
        }
    }

    [Fact]
    public void BitFlipInTheMagicIsRefused()
    {
        var batch = TestBatches.Build(5);
        for (var bit = 0; bit < 8; bit++)
        {
            var flipped = (byte[])batch.Clone();
            flipped[RecordBatchHeader.MagicOffset] ^= (byte)(1 << bit);
            var code = Assert.Throws<KafkaException>(() => RecordBatchValidator.Validate(flipped, Max)).Code;
            Assert.True(code is ErrorCode.CorruptMessage or ErrorCode.UnsupportedForMessageFormat, $"bit {bit}: {code}");
        }
    }

    [Fact]
    public void BaseOffsetAndPartitionLeaderEpochLieOutsideTheCrc()
    {
        var batch = TestBatches.Build(5);
        batch[RecordBatchHeader.BaseOffsetOffset + 7] ^= 0x10;
        batch[RecordBatchHeader.PartitionLeaderEpochOffset] ^= 0x10;
        Assert.Equal(5, RecordBatchValidator.Validate(batch, Max).RecordCount);
    }

    [Fact]
    public void ZeroRecordCountIsInvalid()
    {
        var batch = TestBatches.Wrap([], recordCount: 0, lastOffsetDelta: 0);
        AssertRefused(batch, ErrorCode.InvalidRecord, "record count 0");
        batch = TestBatches.Wrap([], recordCount: -1, lastOffsetDelta: -2);
        AssertRefused(batch, ErrorCode.InvalidRecord, "record count -1");
    }

    [Fact]
    public void LastOffsetDeltaDisagreeingWithTheCountIsInvalid()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(1));
        AssertRefused(TestBatches.Wrap(records, recordCount: 2, lastOffsetDelta: 2), ErrorCode.InvalidRecord, "lastOffsetDelta 2 disagrees with the record count 2");
        AssertRefused(TestBatches.Wrap(records, recordCount: 2, lastOffsetDelta: 0), ErrorCode.InvalidRecord, "lastOffsetDelta 0");
    }

    [Fact]
    public void RecordCountAboveTheRecordsHeldIsInvalid()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(1));
        AssertRefused(TestBatches.Wrap(records, recordCount: 3), ErrorCode.InvalidRecord, "declares 3 records but holds only 2");
    }

    [Fact]
    public void RecordCountBelowTheRecordsHeldIsInvalid()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(1), TestBatches.Record(2));
        AssertRefused(TestBatches.Wrap(records, recordCount: 2), ErrorCode.InvalidRecord, "left over after the 2 records");
    }

    [Fact]
    public void OffsetDeltaGapIsRefused()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(2), TestBatches.Record(3));
        AssertRefused(TestBatches.Wrap(records, 3), ErrorCode.InvalidRecord, "record 1 has offset delta 2, expected 1 (a gap");
    }

    [Fact]
    public void DuplicateOffsetDeltaIsRefused()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(1), TestBatches.Record(1));
        AssertRefused(TestBatches.Wrap(records, 3), ErrorCode.InvalidRecord, "record 2 has offset delta 1, expected 2 (a duplicate");
    }

    [Fact]
    public void OutOfOrderOffsetDeltasAreRefused()
    {
        var records = TestBatches.Concat(TestBatches.Record(1), TestBatches.Record(0), TestBatches.Record(2));
        AssertRefused(TestBatches.Wrap(records, 3), ErrorCode.InvalidRecord, "record 0 has offset delta 1, expected 0");
    }

    [Fact]
    public void FirstOffsetDeltaMustBeZero()
    {
        var records = TestBatches.Concat(TestBatches.Record(-1));
        AssertRefused(TestBatches.Wrap(records, 1), ErrorCode.InvalidRecord, "record 0 has offset delta -1, expected 0");
    }

    [Fact]
    public void RecordLengthLongerThanItsContentIsRefused()
    {
        var records = TestBatches.Concat(TestBatches.Record(0, value: [1, 2], lengthAdjust: 1), TestBatches.Record(1));
        AssertRefused(TestBatches.Wrap(records, 2), ErrorCode.InvalidRecord, "record 0 declares a length of 9 bytes but its fields end after 8: 1 bytes left over");
    }

    [Fact]
    public void RecordLengthPastTheBatchIsRefused()
    {
        var records = TestBatches.Record(0, value: [1, 2], lengthAdjust: 10);
        AssertRefused(TestBatches.Wrap(records, 1), ErrorCode.InvalidRecord, "record 0 declares a length of 18 bytes but only 8 remain");
    }

    [Fact]
    public void RecordLengthShorterThanItsContentIsRefused()
    {
        var records = TestBatches.Concat(TestBatches.Record(0, value: [1, 2], lengthAdjust: -1), [0]);
        AssertRefused(TestBatches.Wrap(records, 1), ErrorCode.InvalidRecord, "record 0 header count runs past the record's declared length of 7 bytes");
        records = TestBatches.Concat(TestBatches.Record(0, value: [1, 2, 3, 4], lengthAdjust: -3), [0, 0, 0]);
        AssertRefused(TestBatches.Wrap(records, 1), ErrorCode.InvalidRecord, "value of 4 bytes runs past the record's declared length");
    }

    [Fact]
    public void NegativeRecordLengthIsRefused()
    {
        AssertRefused(TestBatches.Wrap([0x01, 0, 0, 0, 1, 1, 0], 1), ErrorCode.InvalidRecord, "negative length -1");
    }

    [Fact]
    public void KeyLengthPastTheRecordIsRefused()
    {
        // length 6: attributes, ts delta, offset delta, key length 10 (zig-zag 20), two key bytes
        byte[] record = [0x0C, 0, 0, 0, 20, 1, 2];
        AssertRefused(TestBatches.Wrap(record, 1), ErrorCode.InvalidRecord, "record 0 key of 10 bytes runs past the record's declared length of 6 bytes (2 left)");
    }

    [Fact]
    public void KeyLengthBelowMinusOneIsRefused()
    {
        byte[] record = [0x0A, 0, 0, 0, 0x03, 1, 0];
        AssertRefused(TestBatches.Wrap(record, 1), ErrorCode.InvalidRecord, "key length -2; only -1 (null) may be negative");
    }

    [Fact]
    public void HeaderProblemsAreRefused()
    {
        // attributes, ts, offset, key null, value null, then the header part
        byte[] Record(params byte[] headers) => [(byte)((5 + headers.Length) * 2), 0, 0, 0, 1, 1, .. headers];
        AssertRefused(TestBatches.Wrap(Record(0x01), 1), ErrorCode.InvalidRecord, "negative header count -1");
        AssertRefused(TestBatches.Wrap(Record(0x02, 0x01, 0x00), 1), ErrorCode.InvalidRecord, "header 0 has key length -1; a header key is never null");
        AssertRefused(TestBatches.Wrap(Record(0x02, 0x08, 0x61), 1), ErrorCode.InvalidRecord, "header 0 key of 4 bytes runs past");
        AssertRefused(TestBatches.Wrap(Record(0x02, 0x02, 0x61, 0x08, 0x00), 1), ErrorCode.InvalidRecord, "header value of 4 bytes runs past");
        AssertRefused(TestBatches.Wrap(Record(0x04, 0x02, 0x61, 0x01), 1), ErrorCode.InvalidRecord, "header key length runs past");
        Assert.Equal(1, RecordBatchValidator.Validate(TestBatches.Wrap(Record(0x02, 0x02, 0x61, 0x01), 1), Max).RecordCount);
    }

    [Fact]
    public void MalformedVarintInARecordIsRefused()
    {
        byte[] record = [0x0E, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F];
        AssertRefused(TestBatches.Wrap(record, 1), ErrorCode.InvalidRecord, "record 0 offset delta is a malformed varint");
        AssertRefused(TestBatches.Wrap([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 1), ErrorCode.InvalidRecord, "record 0 has a malformed length varint");
        AssertRefused(TestBatches.Wrap([0x80], 1), ErrorCode.InvalidRecord, "record 0 has a length varint cut off");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void UnknownCompressionIsUnsupported(short id)
    {
        var batch = TestBatches.Recrc(TestBatches.WithInt16(TestBatches.Build(2), RecordBatchHeader.AttributesOffset, id));
        AssertRefused(batch, ErrorCode.UnsupportedCompressionType, $"compression type {id} is unknown");
    }

    [Theory]
    [MemberData(nameof(TestBatches.CompressedCodecs), MemberType = typeof(TestBatches))]
    public void CorruptCompressedPayloadIsCorruptAndNamesTheCodec(CompressionType compression)
    {
        var name = CompressionCodecs.Get(compression).Name;
        var garbage = TestBatches.Wrap([0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], 1, compression: compression);
        AssertRefused(garbage, ErrorCode.CorruptMessage, name);

        var valid = TestBatches.Build(20, compression, valueSize: 100);
        var truncated = TestBatches.Wrap(valid.AsSpan(RecordBatchHeader.Size, (valid.Length - RecordBatchHeader.Size) / 2), 20, compression: compression);
        AssertRefused(truncated, ErrorCode.CorruptMessage, name);
    }

    [Fact]
    public void RecordsDecompressingPastTheLimitAreTooLarge()
    {
        var batch = TestBatches.Build(100, CompressionType.Zstd);
        var size = RecordBatchValidator.Validate(batch, Max).UncompressedRecordsSize;
        AssertRefused(batch, ErrorCode.MessageTooLarge, "zstd", maxUncompressedBytes: size - 1);
        Assert.Equal(100, RecordBatchValidator.Validate(batch, Max, size).RecordCount);
    }

    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void CompressedRecordsThatLieAreRefusedAfterDecompression(CompressionType compression)
    {
        var records = TestBatches.Concat(TestBatches.Record(0), TestBatches.Record(2));
        var payload = new ArrayBufferWriter<byte>();
        CompressionCodecs.Get(compression).Compress(records, payload);
        AssertRefused(TestBatches.Wrap(payload.WrittenSpan, 2, compression: compression), ErrorCode.InvalidRecord, "record 1 has offset delta 2, expected 1");
    }

    [Fact]
    public void MaxTimestampDisagreeingWithTheRecordsIsAcceptedAndReported()
    {
        // Kafka accepts such a batch (and rewrites the field); so does Orlog, and says so.
        var records = TestBatches.Concat(TestBatches.Record(0, timestampDelta: 5), TestBatches.Record(1, timestampDelta: -3));
        var info = RecordBatchValidator.Validate(TestBatches.Wrap(records, 2, baseTimestamp: 1000, maxTimestamp: 0), Max);
        Assert.Equal(0, info.MaxTimestamp);
        Assert.Equal(1005, info.MaxRecordTimestamp);
        Assert.Equal(0, info.OffsetDeltaOfMaxTimestamp);
        Assert.False(info.MaxTimestampMatchesRecords);
        Assert.True(info.HasNullKey);
    }

    [Theory]
    [InlineData(CompressionType.None, 10)]
    [InlineData(CompressionType.None, 1000)]
    [InlineData(CompressionType.Lz4, 1000)]
    [InlineData(CompressionType.Zstd, 1000)]
    public void ValidationAllocatesNothingPerRecord(CompressionType compression, int records)
    {
        var small = TestBatches.Build(1, compression);
        var large = TestBatches.Build(records, compression);
        RecordBatchValidator.Validate(small, Max);
        RecordBatchValidator.Validate(large, Max);

        var perSmallBatch = Allocated(() => RecordBatchValidator.Validate(small, Max));
        var perLargeBatch = Allocated(() => RecordBatchValidator.Validate(large, Max));
        if (compression == CompressionType.None)
        {
            Assert.Equal(0, perLargeBatch);
        }
        Assert.True(perLargeBatch <= perSmallBatch + 64, $"{records} records allocated {perLargeBatch} bytes, one record {perSmallBatch}");
    }

    private static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static KafkaException AssertRefused(byte[] batch, ErrorCode code, string messagePart, int maxMessageBytes = Max, int? maxUncompressedBytes = null)
    {
        var exception = Assert.Throws<KafkaException>(() => maxUncompressedBytes is { } limit
            ? RecordBatchValidator.Validate(batch, maxMessageBytes, limit)
            : RecordBatchValidator.Validate(batch, maxMessageBytes));
        Assert.True(code == exception.Code, $"expected {code}, got {exception.Code}: {exception.Message}");
        Assert.Contains(messagePart, exception.Message);
        Assert.StartsWith(code.KafkaName(), exception.Message);
        return exception;
    }
}
