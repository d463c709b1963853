namespace Orlog.Log.Tests;

public sealed class FlushTests
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FlushMessagesOneAcknowledgesOnlyAfterTheFsync()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 1, FlushMs = long.MaxValue }, disk);
        var before = disk.FsyncCount;
        var result = await fixture.Log.AppendAsync(TestBatches.Make(3), 0);
        Assert.True(disk.FsyncCount > before);
        Assert.True(fixture.Log.FlushedOffset >= result.NextOffset);
    }

    [Fact]
    public async Task AppendsThatArriveDuringAnFsyncShareTheNextOne()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 1, FlushMs = long.MaxValue }, disk);
        var gate = new ManualResetEventSlim();
        disk.FsyncGate = gate;
        var before = disk.FsyncCount;
        try
        {

            // The first append's fsync is held open; 200 more appends arrive while it runs.
            var first = Task.Run(async () => await fixture.Log.AppendAsync(TestBatches.Make(2), 0));
            Assert.True(disk.FsyncEntered.Wait(_deadline));
            var others = Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await fixture.Log.AppendAsync(TestBatches.Make(2), 0))).ToArray();
            var deadline = DateTime.UtcNow + _deadline;
            while (fixture.Log.LogEndOffset < 402 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.Equal(402, fixture.Log.LogEndOffset);
            Assert.All(others, t => Assert.False(t.IsCompleted));
            gate.Set();

            await Task.WhenAll([first, .. others]).WaitAsync(_deadline);
            Assert.Equal(402, fixture.Log.FlushedOffset);
            // One fsync for the first append, one (at most two, if the flusher woke between) for the other 200.
            Assert.InRange(disk.FsyncCount - before, 2, 3);
        }
        finally
        {
            disk.FsyncGate = null;
            gate.Set();
        }
    }

    [Fact]
    public async Task IntervalPolicyFlushesWithinFlushMsOffTheAppendersPath()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMs = 1000 }, disk);
        var before = disk.FsyncCount;
        var result = fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);
        Assert.Equal(before, disk.FsyncCount);
        Assert.True(fixture.Log.FlushedOffset < result.NextOffset);

        // The flusher waits on the fake clock: move it past flush.ms and the batch is flushed.
        fixture.Time.Advance(TimeSpan.FromMilliseconds(1001));
        await fixture.Log.WaitForFlushAsync(result.NextOffset).WaitAsync(_deadline);
        Assert.True(disk.FsyncCount > before);
    }

    [Fact]
    public async Task TruncatedBatchIsNeverAcknowledgedAsFlushed()
    {
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 1, FlushMs = long.MaxValue });
        LogFixture.PauseFlusher(fixture.Log);
        var pending = fixture.Log.AppendAsync(TestBatches.Make(5, fill: 0x61), 0).AsTask();
        Assert.Equal(0, fixture.Log.TruncateTo(0));
        fixture.Log.AppendAsLeader(TestBatches.Make(5, fill: 0x7a), 1);
        fixture.Log.Flush();
        var error = await Assert.ThrowsAsync<KafkaException>(() => pending.WaitAsync(_deadline));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, error.Code);
    }

    [Fact]
    public void NeverPolicyDoesNotFsyncUntilClose()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMs = long.MaxValue }, disk);
        var before = disk.FsyncCount;
        for (var i = 0; i < 50; i++)
        {
            fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);
        }
        fixture.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(before, disk.FsyncCount);
        fixture.Log.Dispose();
        Assert.True(disk.FsyncCount > before);
    }

    [Fact]
    public async Task FlushMessagesTriggersAFlushAfterThatManyRecords()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 10, FlushMs = long.MaxValue }, disk);
        fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
        var result = fixture.Log.AppendAsLeader(TestBatches.Make(5), 0);
        await fixture.Log.WaitForFlushAsync(result.NextOffset).WaitAsync(_deadline);
        Assert.Equal(10, fixture.Log.FlushedOffset);
    }
}
