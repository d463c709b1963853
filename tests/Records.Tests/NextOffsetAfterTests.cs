namespace Orlog.Records.Tests;

public sealed class NextOffsetAfterTests
{
    private static byte[] At(long baseOffset, int count)
    {
        var batch = TestBatches.Build(count);
        RecordBatchHeader.WriteBaseOffset(batch, baseOffset);
        return batch;
    }

    [Fact]
    public void The_offset_after_the_last_whole_batch_from_the_headers_alone()
    {
        var batches = TestBatches.Concat(At(100, 3), At(103, 5), At(108, 1));

        Assert.Equal(109, RecordBatchHeader.NextOffsetAfter(batches, -1));
        Assert.Equal(108, RecordBatchHeader.NextOffsetAfter(batches.AsSpan(0, batches.Length - 1), -1)); // the last batch cut
        Assert.Equal(-1, RecordBatchHeader.NextOffsetAfter([], -1));
        Assert.Equal(7, RecordBatchHeader.NextOffsetAfter(new byte[RecordBatchHeader.Size - 1], 7));
    }

    [Fact]
    public void A_length_field_that_cannot_be_a_batch_stops_the_walk()
    {
        var batches = TestBatches.Concat(At(0, 2), new byte[RecordBatchHeader.Size]);
        Assert.Equal(2, RecordBatchHeader.NextOffsetAfter(batches, -1));
    }
}
