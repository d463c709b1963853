using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Topics;
using Orlog.Records;

namespace Orlog.Grains.Tests.Topics;

/// <summary>The topic router's batching, on a test clock.</summary>
public sealed class PartitionBatcherTests
{
    private readonly FakeTimeProvider _time = new();

    private static RoutedRecord Record(int size = 100) => new([1, 2, 3], new byte[size], [], 0);

    private static RoutedRecord[] Records(int count, int size = 100) => [.. Enumerable.Range(0, count).Select(_ => Record(size))];

    [Fact]
    public void Calls_gather_in_one_batch_per_partition_until_the_linger_ends()
    {
        var batcher = new PartitionBatcher(new TopicRouterOptions { LingerMs = 5, BatchSize = 16_384 }, _time);
        var first = batcher.Add(0, Records(3));
        var second = batcher.Add(0, Records(2));
        var other = batcher.Add(1, Records(1));
        Assert.Same(first.Batch, second.Batch);
        Assert.NotSame(first.Batch, other.Batch);
        Assert.Equal(0, first.FirstIndex);
        Assert.Equal(3, second.FirstIndex);
        Assert.Empty(batcher.TakeReady());
        Assert.Equal(TimeSpan.FromMilliseconds(5), batcher.NextLinger());

        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Empty(batcher.TakeReady());
        Assert.Equal(TimeSpan.FromMilliseconds(1), batcher.NextLinger());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var ready = batcher.TakeReady();
        Assert.Equal(2, ready.Count);
        Assert.Equal(5, ready.Single(b => b.Partition == 0).Count);
        Assert.Null(batcher.NextLinger());
        Assert.False(batcher.IsIdle);
    }

    [Fact]
    public void A_full_batch_goes_at_once_and_a_calls_records_are_never_split()
    {
        var batcher = new PartitionBatcher(new TopicRouterOptions { LingerMs = 1000, BatchSize = 1000 }, _time);
        var first = batcher.Add(0, Records(5));
        // Six more would pass batch.size: they open a batch of their own, and the first one is ready without lingering.
        var second = batcher.Add(0, Records(6));
        Assert.NotSame(first.Batch, second.Batch);
        Assert.Equal(0, second.FirstIndex);
        Assert.Equal(6, second.Batch.Count);
        Assert.Same(first.Batch, Assert.Single(batcher.TakeReady()));

        // One call larger than batch.size still makes one batch, closed at once.
        var large = batcher.Add(1, Records(20));
        Assert.Equal(20, large.Batch.Count);
        Assert.False(batcher.IsOpen(large.Batch));
        Assert.Same(large.Batch, Assert.Single(batcher.TakeReady()));
    }

    [Fact]
    public void One_batch_a_partition_is_in_flight_and_the_next_follows_when_it_is_done()
    {
        var batcher = new PartitionBatcher(new TopicRouterOptions { LingerMs = 0, BatchSize = 16_384 }, _time);
        var first = batcher.Add(0, Records(1)).Batch;
        Assert.Same(first, Assert.Single(batcher.TakeReady()));
        var second = batcher.Add(0, Records(1)).Batch;
        var third = batcher.Add(0, Records(1)).Batch;
        // While the first is in flight the others gather in one open batch, however long they wait.
        Assert.Same(second, third);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(batcher.TakeReady());
        Assert.Null(batcher.NextLinger());

        batcher.Done(first);
        Assert.Same(second, Assert.Single(batcher.TakeReady()));
        batcher.Done(second);
        Assert.True(batcher.IsIdle);
    }

    [Fact]
    public void The_records_are_written_in_the_order_given_with_their_keys_values_headers_and_timestamps()
    {
        var batcher = new PartitionBatcher(new TopicRouterOptions { LingerMs = 0 }, _time);
        RoutedRecord[] records =
        [
            new([7], [1], [new RoutedHeader("h", [9]), new RoutedHeader("n", null)], 1_000),
            new(null, null, [], 2_000),
        ];
        var batch = batcher.Add(3, records).Batch;
        using var reader = new RecordBatchReader(batch.Builder.Build());
        var read = new List<string>();
        foreach (var record in reader)
        {
            read.Add($"{Hex(record.KeyToArray())} {Hex(record.ValueToArray())} {record.Headers.Count} {record.Timestamp}");
        }
        Assert.Equal(["07 01 2 1000", "null null 0 2000"], read);
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "null" : Convert.ToHexString(bytes);
}
