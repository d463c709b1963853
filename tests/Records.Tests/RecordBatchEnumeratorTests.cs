namespace Orlog.Records.Tests;

public sealed class RecordBatchEnumeratorTests
{
    [Fact]
    public void BatchesBackToBackAreYieldedInOrder()
    {
        var first = TestBatches.Build(1);
        var second = TestBatches.Build(5, CompressionType.Lz4);
        var third = TestBatches.Build(2);
        byte[] buffer = [.. first, .. second, .. third];

        var batches = new RecordBatchEnumerator(buffer);
        var sizes = new List<int>();
        var starts = new List<int>();
        while (batches.MoveNext())
        {
            sizes.Add(batches.Current.Length);
            starts.Add(batches.CurrentStart);
            RecordBatchValidator.Validate(batches.Current, int.MaxValue);
        }
        Assert.Equal([first.Length, second.Length, third.Length], sizes);
        Assert.Equal([0, first.Length, first.Length + second.Length], starts);
        Assert.Equal(buffer.Length, batches.Position);
        Assert.False(batches.HasPartialTail);
    }

    [Fact]
    public void PartialTrailingBatchEndsTheWalkCleanly()
    {
        var whole = TestBatches.Build(3);
        var next = TestBatches.Build(4);
        foreach (var cut in new[] { 1, 11, 12, 60, next.Length - 1 })
        {
            byte[] buffer = [.. whole, .. next[..cut]];
            var batches = new RecordBatchEnumerator(buffer);
            Assert.True(batches.MoveNext());
            Assert.False(batches.MoveNext());
            Assert.Equal(whole.Length, batches.Position);
            Assert.True(batches.HasPartialTail);
        }
    }

    [Fact]
    public void ForeachYieldsEveryWholeBatch()
    {
        byte[] buffer = [.. TestBatches.Build(1), .. TestBatches.Build(2), .. TestBatches.Build(3)[..20]];
        var count = 0;
        foreach (var batch in new RecordBatchEnumerator(buffer))
        {
            count += RecordBatchHeader.Read(batch).RecordCount;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public void EmptyBufferHasNoBatches()
    {
        var batches = new RecordBatchEnumerator([]);
        Assert.False(batches.MoveNext());
        Assert.False(batches.HasPartialTail);
    }

    [Fact]
    public void LengthSmallerThanAHeaderIsCorrupt()
    {
        var bad = TestBatches.WithInt32(TestBatches.Build(1), RecordBatchHeader.BatchLengthOffset, 3);
        byte[] buffer = [.. TestBatches.Build(1), .. bad];
        var exception = Assert.Throws<KafkaException>(() =>
        {
            var batches = new RecordBatchEnumerator(buffer);
            while (batches.MoveNext())
            {
            }
        });
        Assert.Equal(ErrorCode.CorruptMessage, exception.Code);
        Assert.Contains("batchLength 3", exception.Message);
    }
}
