namespace Orlog.Log.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ReadersDuringAppendsNeverSeeAPartlyWrittenBatch()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 64 * 1024, IndexIntervalBytes = 512, FlushMs = 5 });
        const int Batches = 3000;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Batches; i++)
            {
                fixture.Log.AppendAsLeader(TestBatches.Make(1 + (i % 7), valueSize: 50 + (i % 300)), 0);
            }
        });
        var readers = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            var reads = 0;
            while (!writer.IsCompleted || reads < 10)
            {
                var end = fixture.Log.LogEndOffset;
                var offset = end == 0 ? 0 : random.NextInt64(0, end + 1);
                var records = fixture.Log.Read(offset, random.Next(1, 20_000)).Records;
                var seen = TestBatches.Offsets(records); // checks every CRC
                if (offset < end)
                {
                    Assert.NotEmpty(seen);
                    Assert.Contains(offset, seen);
                    for (var i = 1; i < seen.Count; i++)
                    {
                        Assert.Equal(seen[i - 1] + 1, seen[i]);
                    }
                }
                Assert.True(seen.Count == 0 || seen[^1] < fixture.Log.LogEndOffset);
                reads++;
            }
            return reads;
        })).ToArray();
        await writer.WaitAsync(TimeSpan.FromMinutes(2));
        var counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.All(counts, c => Assert.True(c >= 10));
        Assert.True(fixture.Log.SegmentCount > 5);
    }

    [Fact]
    public async Task ReadersDuringTruncationSeeDataOrOutOfRange()
    {
        var size = TestBatches.Make(5).Length;
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = size + 1, FlushMs = long.MaxValue });
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested)
            {
                var end = fixture.Log.LogEndOffset;
                try
                {
                    if (end > 10)
                    {
                        TestBatches.Offsets(fixture.Log.Read(end - 5, 1 << 16).Records);
                        reads++;
                    }
                }
                catch (KafkaException e) when (e.Code == ErrorCode.OffsetOutOfRange)
                {
                }
            }
            return reads;
        });
        for (var round = 0; round < 200; round++)
        {
            for (var i = 0; i < 20; i++)
            {
                fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
            }
            fixture.Log.TruncateTo(5);
        }
        done.Cancel();
        Assert.True(await reader.WaitAsync(TimeSpan.FromMinutes(1)) > 0);
    }

    [Fact]
    public async Task ConcurrentAppendersGetDisjointDenseOffsets()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 32 * 1024 });
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var mine = new List<LogAppendResult>();
            for (var i = 0; i < 250; i++)
            {
                mine.Add(fixture.Log.AppendAsLeader(TestBatches.Make(3), 0));
            }
            return mine;
        })));
        var ranges = results.SelectMany(r => r).OrderBy(r => r.BaseOffset).ToList();
        for (var i = 0; i < ranges.Count; i++)
        {
            Assert.Equal(i * 3, ranges[i].BaseOffset);
            Assert.Equal((i * 3) + 2, ranges[i].LastOffset);
        }
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), RecoveryTests.ReadAll(fixture.Log));
    }
}
