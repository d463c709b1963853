namespace Orlog.Records.Tests;

public sealed class RecordBatchReaderTests
{
    [Theory]
    [MemberData(nameof(TestBatches.Codecs), MemberType = typeof(TestBatches))]
    public void ManyRecordsWithLargeValuesReadBack(CompressionType compression)
    {
        var values = Enumerable.Range(0, 300).Select(i => Enumerable.Range(0, i * 37).Select(b => (byte)(b * i)).ToArray()).ToArray();
        using var builder = new RecordBatchBuilder(compression) { BaseOffset = 1_000_000 };
        for (var i = 0; i < values.Length; i++)
        {
            builder.Append(1_700_000_000_000 + (i % 7), BitConverter.GetBytes(i), values[i]);
        }
        builder.Append(1, RecordBytes.Null, new byte[1 << 20]);
        var batch = builder.ToArray();

        using var reader = new RecordBatchReader(batch);
        var i2 = 0;
        foreach (var record in reader)
        {
            Assert.Equal(1_000_000 + i2, record.Offset);
            if (i2 < values.Length)
            {
                Assert.Equal(i2, BitConverter.ToInt32(record.Key));
                Assert.True(values[i2].AsSpan().SequenceEqual(record.Value));
                Assert.Equal(1_700_000_000_000 + (i2 % 7), record.Timestamp);
            }
            else
            {
                Assert.True(record.IsKeyNull);
                Assert.Equal(1 << 20, record.Value.Length);
                Assert.Equal(1, record.Timestamp);
            }
            i2++;
        }
        Assert.Equal(values.Length + 1, i2);
    }

    [Fact]
    public void LogAppendTimeGivesEveryRecordTheBatchMaxTimestamp()
    {
        using var builder = new RecordBatchBuilder { TimestampType = TimestampType.LogAppendTime };
        builder.Append(10, "a"u8, "a"u8);
        builder.Append(30, "a"u8, "a"u8);
        builder.Append(20, "a"u8, "a"u8);
        using var reader = new RecordBatchReader(builder.ToArray());
        Assert.Equal(TimestampType.LogAppendTime, reader.Header.TimestampType);
        foreach (var record in reader)
        {
            Assert.Equal(30, record.Timestamp);
        }
    }

    [Fact]
    public void CompactedGapsInOffsetDeltasAreRead()
    {
        // Compaction leaves gaps: records 0 and 3 kept, lastOffsetDelta still 3, count 2.
        var records = TestBatches.Concat(TestBatches.Record(0, value: [1]), TestBatches.Record(3, value: [2]));
        var batch = TestBatches.Wrap(records, recordCount: 2, lastOffsetDelta: 3);
        RecordBatchHeader.WriteBaseOffset(batch, 40);
        using var reader = new RecordBatchReader(batch);
        var offsets = new List<long>();
        foreach (var record in reader)
        {
            offsets.Add(record.Offset);
        }
        Assert.Equal([40L, 43L], offsets);
        Assert.Equal(43, reader.Header.LastOffset);
    }

    [Fact]
    public void ReaderChecksTheCrcUnlessToldNot()
    {
        var batch = TestBatches.Build(2);
        batch[^1] ^= 0x01;
        Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<KafkaException>(() => new RecordBatchReader(batch)).Code);
        using var reader = new RecordBatchReader(batch, verifyCrc: false);
        Assert.Equal(2, reader.Header.RecordCount);
    }

    [Fact]
    public void MalformedRecordIsReportedWhenReached()
    {
        var records = TestBatches.Concat(TestBatches.Record(0), [0x40, 0]);
        var batch = TestBatches.Wrap(records, 2);
        var exception = Assert.Throws<KafkaException>(() =>
        {
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                Assert.Equal(0, record.OffsetDelta);
            }
        });
        Assert.Equal(ErrorCode.InvalidRecord, exception.Code);
        Assert.Contains("record 1", exception.Message);
    }

    [Fact]
    public void MissingRecordsAreReported()
    {
        var batch = TestBatches.Wrap(TestBatches.Record(0), recordCount: 2);
        var exception = Assert.Throws<KafkaException>(() =>
        {
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                Assert.Equal(0, record.OffsetDelta);
            }
        });
        Assert.Contains("record 1 is missing", exception.Message);
    }

    [Fact]
    public void ReaderTakesMemoryToo()
    {
        ReadOnlyMemory<byte> batch = TestBatches.Build(3, CompressionType.Gzip);
        using var reader = new RecordBatchReader(batch);
        var count = 0;
        foreach (var record in reader)
        {
            Assert.Equal($"key-{count}", System.Text.Encoding.UTF8.GetString(record.Key));
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public void ReadingAllocatesNothingPerRecord()
    {
        var batch = TestBatches.Build(1000);
        static int Walk(byte[] batch)
        {
            var total = 0;
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                total += record.Value.Length;
                foreach (var header in record.Headers)
                {
                    total += header.Value.Length;
                }
            }
            return total;
        }
        Walk(batch);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Walk(batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
