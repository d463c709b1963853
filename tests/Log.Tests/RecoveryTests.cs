using Orlog.Records;

namespace Orlog.Log.Tests;

public sealed class RecoveryTests
{
    private static (LogFixture Fixture, List<byte[]> Batches) LogWithBatches(int count, LogConfig? config = null)
    {
        var fixture = new LogFixture(config);
        var batches = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var batch = TestBatches.Make(3 + i, valueSize: 20);
            fixture.Log.AppendAsLeader(batch, 0);
            batches.Add(batch);
        }
        return (fixture, batches);
    }

    [Fact]
    public void TornLastBatchIsCutAtEveryByteOffset()
    {
        var (fixture, batches) = LogWithBatches(3);
        using (fixture)
        {
            fixture.Log.Dispose();
            var path = fixture.SegmentPath(0);
            var whole = File.ReadAllBytes(path);
            var lastStart = whole.Length - batches[^1].Length;
            var keptOffsets = batches.Take(2).Sum(b => RecordBatchHeader.Read(b).RecordCount);
            for (var cut = lastStart; cut < whole.Length; cut++)
            {
                File.WriteAllBytes(path, whole[..cut]);
                File.Delete(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker));
                using var log = fixture.Open();
                Assert.Equal(keptOffsets, log.LogEndOffset);
                Assert.Equal(lastStart, new FileInfo(path).Length);
                Assert.Equal(keptOffsets, TestBatches.Offsets(log.Read(0, 1 << 20).Records).Count);
                FileLengthIsWholeBatches(log);
            }
        }
    }

    [Theory]
    [InlineData(RecordBatchHeader.BaseOffsetOffset, "baseOffset")]
    [InlineData(RecordBatchHeader.BatchLengthOffset, "batchLength")]
    [InlineData(RecordBatchHeader.MagicOffset, "magic")]
    [InlineData(RecordBatchHeader.CrcOffset, "crc")]
    [InlineData(RecordBatchHeader.AttributesOffset, "attributes")]
    [InlineData(RecordBatchHeader.LastOffsetDeltaOffset, "lastOffsetDelta")]
    [InlineData(RecordBatchHeader.BaseTimestampOffset, "baseTimestamp")]
    [InlineData(RecordBatchHeader.MaxTimestampOffset, "maxTimestamp")]
    [InlineData(RecordBatchHeader.ProducerIdOffset, "producerId")]
    [InlineData(RecordBatchHeader.ProducerEpochOffset, "producerEpoch")]
    [InlineData(RecordBatchHeader.BaseSequenceOffset, "baseSequence")]
    [InlineData(RecordBatchHeader.RecordCountOffset, "recordCount")]
    [InlineData(RecordBatchHeader.Size + 3, "records")]
    public void BitFlipInTheLastBatchCutsItAndKeepsEverythingBefore(int fieldOffset, string field)
    {
        var (fixture, batches) = LogWithBatches(3);
        using (fixture)
        {
            fixture.ReopenAfterCrash();
            fixture.Log.Dispose();
            var path = fixture.SegmentPath(0);
            var bytes = File.ReadAllBytes(path);
            var lastStart = bytes.Length - batches[^1].Length;
            // The top bit of a length or an offset makes it absurd; the low bit of anything else breaks the CRC.
            var flip = field is "batchLength" or "baseOffset" ? 0x80 : 0x01;
            bytes[lastStart + fieldOffset] ^= (byte)flip;
            File.WriteAllBytes(path, bytes);
            File.Delete(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker));

            using var log = fixture.Open();
            Assert.Equal(lastStart, new FileInfo(path).Length);
            Assert.Equal(3 + 4, log.LogEndOffset);
        }
    }

    [Fact]
    public void CorruptBatchInTheMiddleCutsTheRestAndLaterSegments()
    {
        var batch = TestBatches.Make(3, valueSize: 20);
        var (fixture, batches) = LogWithBatches(12, new LogConfig { SegmentBytes = 600 });
        using (fixture)
        {
            var segments = fixture.Log.SegmentBaseOffsets.ToList();
            Assert.True(segments.Count >= 3);
            fixture.ReopenAfterCrash();
            // Forget the recovery point so every segment is scanned, then damage the second segment's first batch.
            fixture.Log.Dispose();
            File.Delete(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker));
            File.Delete(Path.Combine(fixture.Directory, LogFileNames.RecoveryPointCheckpoint));
            var second = fixture.SegmentPath(segments[1]);
            var bytes = File.ReadAllBytes(second);
            bytes[RecordBatchHeader.Size + 1] ^= 0xFF;
            File.WriteAllBytes(second, bytes);

            using var log = fixture.Open();
            Assert.Equal(segments[1], log.LogEndOffset);
            Assert.Equal(2, log.SegmentCount);
            Assert.False(File.Exists(fixture.SegmentPath(segments[2])));
        }
    }

    [Fact]
    public void SegmentTailOfZerosIsCut()
    {
        var (fixture, _) = LogWithBatches(2);
        using (fixture)
        {
            var end = fixture.Log.LogEndOffset;
            fixture.Log.Dispose();
            var path = fixture.SegmentPath(0);
            var length = new FileInfo(path).Length;
            using (var stream = new FileStream(path, FileMode.Append))
            {
                stream.Write(new byte[8192]);
            }
            // Even with the clean-shutdown marker in place, a tail that is not whole batches is noticed.
            using var log = fixture.Open();
            Assert.Equal(end, log.LogEndOffset);
            Assert.Equal(length, new FileInfo(path).Length);
            log.AppendAsLeader(TestBatches.Make(1), 0);
            Assert.Equal(end + 1, log.LogEndOffset);
        }
    }

    [Fact]
    public void TornTailWithAHugeBatchLengthIsCut()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);
        var end = fixture.Log.LogEndOffset;
        LogFixture.Abandon(fixture.Log);
        var path = fixture.SegmentPath(0);
        var good = new FileInfo(path).Length;
        var garbage = new byte[RecordBatchHeader.Size + 100];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(garbage, end);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(garbage.AsSpan(RecordBatchHeader.BatchLengthOffset), int.MaxValue);
        garbage[RecordBatchHeader.MagicOffset] = 2;
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(garbage);
        }
        using var log = fixture.Open();
        Assert.Equal(end, log.LogEndOffset);
        Assert.Equal(good, new FileInfo(path).Length);
    }

    [Fact]
    public void LoweringIndexLimitsKeepsTheLogOpenable()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentIndexBytes = 128 });
        for (var i = 0; i < 100; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(1, valueSize: 50), 0);
        }
        fixture.Log.Dispose();
        fixture.Config = fixture.Config with { IndexIntervalBytes = 0 };
        var log = fixture.Reopen();
        Assert.Equal(100, log.LogEndOffset);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), ReadAll(log));
    }

    [Fact]
    public void LostLeaderEpochCheckpointIsRebuiltFromTheBatches()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 2);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 6);
        fixture.ReopenAfterCrash(() => File.Delete(Path.Combine(fixture.Directory, LogFileNames.LeaderEpochCheckpoint)));
        Assert.Equal([new EpochEntry(2, 0), new EpochEntry(6, 5)], fixture.Log.Epochs);
    }

    [Fact]
    public void StaleLeaderEpochIsFenced()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 4);
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(5), 3));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, error.Code);
        Assert.Equal(5, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void TruncatingBelowTheLogStartRestartsTheLogThere()
    {
        var size = TestBatches.Make(5).Length;
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = size + 1, RetentionBytes = 1 });
        for (var i = 0; i < 4; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
        }
        fixture.Log.EnforceRetention();
        Assert.Equal(15, fixture.Log.LogStartOffset);
        Assert.Equal(7, fixture.Log.TruncateTo(7));
        Assert.Equal((7L, 7L), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
        Assert.Equal(7, fixture.Log.AppendAsLeader(TestBatches.Make(2), 1).BaseOffset);
        fixture.ReopenAfterCrash();
        Assert.Equal((7L, 9L), (fixture.Log.LogStartOffset, fixture.Log.LogEndOffset));
    }

    [Fact]
    public void ZeroLengthSegmentOpensCleanly()
    {
        using var temp = new TempDirectory();
        var directory = temp.Partition();
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(LogFileNames.SegmentFile(directory, 0), []);
        using var log = PartitionLog.Open(directory, new LogConfig());
        Assert.Equal(0, log.LogEndOffset);
        log.AppendAsLeader(TestBatches.Make(2), 0);
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public void TruncatedOrMissingIndexIsRebuilt()
    {
        var (fixture, _) = LogWithBatches(30, new LogConfig { IndexIntervalBytes = 64 });
        using (fixture)
        {
            fixture.Log.Dispose();
            var index = Path.Combine(fixture.Directory, "00000000000000000000.index");
            var full = File.ReadAllBytes(index);
            Assert.True(full.Length > 16);
            File.WriteAllBytes(index, full[..(full.Length - 3)]);
            fixture.Reopen().Dispose();
            Assert.Equal(full, File.ReadAllBytes(index));

            File.Delete(index);
            File.Delete(Path.Combine(fixture.Directory, "00000000000000000000.timeindex"));
            var log = fixture.Reopen();
            for (var offset = 0L; offset < log.LogEndOffset; offset += 5)
            {
                Assert.Contains(offset, TestBatches.Offsets(log.Read(offset, 1).Records));
            }
            log.Dispose();
            Assert.Equal(full, File.ReadAllBytes(index));
        }
    }

    [Fact]
    public void IndexPointingPastTheSegmentIsRebuilt()
    {
        var (fixture, _) = LogWithBatches(30, new LogConfig { IndexIntervalBytes = 64 });
        using (fixture)
        {
            fixture.Log.Dispose();
            var index = Path.Combine(fixture.Directory, "00000000000000000000.index");
            var full = File.ReadAllBytes(index);
            var bad = full.ToArray();
            bad[^4] = 0x7F; // the last entry's position far past the end of the segment
            File.WriteAllBytes(index, bad);
            var log = fixture.Reopen();
            Assert.Equal(30 * 3 + (29 * 30 / 2), log.LogEndOffset);
            log.Dispose();
            Assert.Equal(full, File.ReadAllBytes(index));
        }
    }

    [Fact]
    public void StrayFilesAreLeftAloneAndLeftoversRemoved()
    {
        var (fixture, _) = LogWithBatches(2);
        using (fixture)
        {
            var end = fixture.Log.LogEndOffset;
            fixture.Log.Dispose();
            File.WriteAllText(Path.Combine(fixture.Directory, "notes.txt"), "hello");
            File.WriteAllText(Path.Combine(fixture.Directory, "00000000000000000099.index"), "orphan");
            File.WriteAllText(Path.Combine(fixture.Directory, "00000000000000000000.log.tmp"), "half written");
            using var log = fixture.Open();
            Assert.Equal(end, log.LogEndOffset);
            Assert.True(File.Exists(Path.Combine(fixture.Directory, "notes.txt")));
            Assert.False(File.Exists(Path.Combine(fixture.Directory, "00000000000000000099.index")));
            Assert.False(File.Exists(Path.Combine(fixture.Directory, "00000000000000000000.log.tmp")));
        }
    }

    [Fact]
    public void CleanCloseLeavesNoPreallocatedBytesAndAMarker()
    {
        var (fixture, batches) = LogWithBatches(5, new LogConfig { SegmentBytes = 500 });
        using (fixture)
        {
            fixture.Log.Dispose();
            long total = 0;
            foreach (var file in Directory.GetFiles(fixture.Directory, "*.log"))
            {
                var bytes = File.ReadAllBytes(file);
                total += bytes.Length;
                var at = 0;
                while (at < bytes.Length)
                {
                    at += RecordBatchHeader.Read(bytes.AsSpan(at)).TotalSize;
                }
                Assert.Equal(bytes.Length, at);
            }
            Assert.Equal(batches.Sum(b => b.Length), total);
            Assert.True(File.Exists(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker)));
            using var log = fixture.Open();
            Assert.False(File.Exists(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker)));
        }
    }

    [Fact]
    public void LeaderEpochCheckpointUsesKafkasTextLayoutAndSurvivesTruncation()
    {
        using var fixture = new LogFixture();
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 1);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 3);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 4);
        Assert.Equal("0\n3\n1 0\n3 5\n4 10\n", File.ReadAllText(Path.Combine(fixture.Directory, LogFileNames.LeaderEpochCheckpoint)));
        Assert.Equal((3, 10L), fixture.Log.EndOffsetForEpoch(3));
        Assert.Equal((4, 15L), fixture.Log.EndOffsetForEpoch(9));
        Assert.Equal((-1, -1L), fixture.Log.EndOffsetForEpoch(0));

        // Offset 7 is inside the batch 5..9 of epoch 3: the whole batch goes, and with it epoch 3.
        Assert.Equal(5, fixture.Log.TruncateTo(7));
        Assert.Equal([new EpochEntry(1, 0)], fixture.Log.Epochs);
        Assert.Equal("0\n1\n1 0\n", File.ReadAllText(Path.Combine(fixture.Directory, LogFileNames.LeaderEpochCheckpoint)));
        fixture.ReopenAfterCrash();
        Assert.Equal(5, fixture.Log.LogEndOffset);
        Assert.Equal([new EpochEntry(1, 0)], fixture.Log.Epochs);
        fixture.Log.AppendAsLeader(TestBatches.Make(2), 5);
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(5, 5)], fixture.Log.Epochs);
    }

    [Fact]
    public void TruncateRemovesWholeBatchesAndLaterSegments()
    {
        var batch = TestBatches.Make(4);
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = (batch.Length * 2) + 1 });
        for (var i = 0; i < 8; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(4), 0);
        }
        Assert.Equal(4, fixture.Log.SegmentCount);
        Assert.Equal(16, fixture.Log.TruncateTo(18));
        Assert.Equal([0L, 8L, 16L], fixture.Log.SegmentBaseOffsets);
        Assert.Equal(0, new FileInfo(fixture.SegmentPath(16)).Length);
        Assert.False(File.Exists(fixture.SegmentPath(24)));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), ReadAll(fixture.Log));
        fixture.Log.AppendAsLeader(TestBatches.Make(4), 1);
        Assert.Equal(20, fixture.Log.LogEndOffset);
        fixture.ReopenAfterCrash();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), ReadAll(fixture.Log));
    }

    internal static List<long> ReadAll(PartitionLog log)
    {
        var offsets = new List<long>();
        var next = log.LogStartOffset;
        while (next < log.LogEndOffset)
        {
            var read = TestBatches.Offsets(log.Read(next, 1 << 20).Records);
            offsets.AddRange(read);
            next = read[^1] + 1;
        }
        return offsets;
    }

    private static void FileLengthIsWholeBatches(PartitionLog log) => Assert.Equal(log.Size, new FileInfo(LogFileNames.SegmentFile(log.Directory, 0)).Length);
}
