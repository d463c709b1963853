using CsCheck;

namespace Orlog.Records.Tests;

public sealed class RecordBatchPropertyTests
{
    private sealed record TestRecord(long Timestamp, byte[]? Key, byte[]? Value, (string Key, byte[]? Value)[] Headers);

    private static readonly Gen<byte[]?> _nullableBytes =
        Gen.Frequency((1, Gen.Const((byte[]?)null)), (6, Gen.Byte.Array[0, 40].Select(b => (byte[]?)b)), (1, Gen.Byte.Array[0, 5000].Select(b => (byte[]?)b)));

    private static readonly Gen<(string, byte[]?)> _header =
        Gen.Select(Gen.String[Gen.Char, 0, 10], _nullableBytes, (k, v) => (k, v));

    private static readonly Gen<TestRecord> _record = Gen.Select(
        Gen.Frequency((3, Gen.Long[1_600_000_000_000, 1_800_000_000_000]), (1, Gen.Long)),
        _nullableBytes,
        _nullableBytes,
        _header.Array[0, 3],
        (t, k, v, h) => new TestRecord(t, k, v, h));

    private static readonly Gen<CompressionType> _codec = Gen.Int[0, 4].Select(i => (CompressionType)i);

    [Fact]
    public void AnyRecordsRoundTripThroughEveryCodecAndValidate()
    {
        Gen.Select(_record.Array[1, 60], _codec, Gen.Long[0, long.MaxValue / 2]).Sample((records, codec, baseOffset) =>
        {
            using var builder = new RecordBatchBuilder(codec) { BaseOffset = baseOffset };
            foreach (var r in records)
            {
                var headers = r.Headers.Select(h => new RecordHeader(h.Key, h.Value)).ToArray();
                builder.Append(r.Timestamp, r.Key, r.Value, headers);
            }
            var batch = builder.ToArray();

            var info = RecordBatchValidator.Validate(batch, int.MaxValue);
            Assert.Equal(records.Length, info.RecordCount);
            Assert.Equal(records.Max(r => r.Timestamp), info.MaxTimestamp);
            Assert.True(info.MaxTimestampMatchesRecords);
            Assert.Equal(records.Any(r => r.Key is null), info.HasNullKey);

            using var reader = new RecordBatchReader(batch);
            var i = 0;
            foreach (var record in reader)
            {
                var expected = records[i];
                Assert.Equal(baseOffset + i, record.Offset);
                Assert.Equal(expected.Timestamp, record.Timestamp);
                Assert.Equal(expected.Key, record.KeyToArray());
                Assert.Equal(expected.Value, record.ValueToArray());
                var h = 0;
                foreach (var header in record.Headers)
                {
                    Assert.Equal(expected.Headers[h].Key, header.KeyString);
                    Assert.Equal(expected.Headers[h].Value, header.IsValueNull ? null : header.Value.ToArray());
                    h++;
                }
                Assert.Equal(expected.Headers.Length, h);
                i++;
            }
            Assert.Equal(records.Length, i);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void NoSingleByteCorruptionPassesValidationUnnoticed()
    {
        // Any byte changed from the CRC onwards is caught (the CRC covers it); no input escapes as a raw exception.
        Gen.Select(_record.Array[1, 10], _codec, Gen.Int, Gen.Byte[1, 255]).Sample((records, codec, position, xor) =>
        {
            using var builder = new RecordBatchBuilder(codec);
            foreach (var r in records)
            {
                builder.Append(r.Timestamp, r.Key, r.Value);
            }
            var batch = builder.ToArray();
            var at = RecordBatchHeader.CrcOffset + (int)((uint)position % (uint)(batch.Length - RecordBatchHeader.CrcOffset));
            batch[at] ^= xor;
            var exception = Assert.Throws<KafkaException>(() => RecordBatchValidator.Validate(batch, int.MaxValue));
            Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void RandomRecordBytesUnderAValidCrcNeverEscapeAsRawExceptions()
    {
        Gen.Select(Gen.Byte.Array[0, 200], Gen.Int[-1, 5], _codec).Sample((payload, count, codec) =>
        {
            var batch = TestBatches.Wrap(payload, count, compression: codec);
            try
            {
                RecordBatchValidator.Validate(batch, int.MaxValue);
            }
            catch (KafkaException)
            {
            }
            try
            {
                using var reader = new RecordBatchReader(batch);
                foreach (var record in reader)
                {
                    foreach (var header in record.Headers)
                    {
                        _ = header.Value.Length;
                    }
                }
            }
            catch (KafkaException)
            {
            }
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void MutatedCompressedPayloadsAreRefusedOrReadNeverEscapingAsRawExceptions()
    {
        Gen.Select(_record.Array[1, 20], Gen.Int[1, 4], Gen.Int, Gen.Byte[1, 255]).Sample((records, codecId, position, xor) =>
        {
            using var builder = new RecordBatchBuilder((CompressionType)codecId);
            foreach (var r in records)
            {
                builder.Append(r.Timestamp, r.Key, r.Value);
            }
            var batch = builder.ToArray();
            var at = RecordBatchHeader.Size + (int)((uint)position % (uint)(batch.Length - RecordBatchHeader.Size));
            batch[at] ^= xor;
            TestBatches.Recrc(batch);
            try
            {
                RecordBatchValidator.Validate(batch, int.MaxValue, 1 << 24);
            }
            catch (KafkaException exception)
            {
                Assert.True(exception.Code is ErrorCode.CorruptMessage or ErrorCode.InvalidRecord or ErrorCode.MessageTooLarge, exception.Message);
            }
        }, iter: 1000, threads: 1);
    }
}
