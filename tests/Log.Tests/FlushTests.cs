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
    public async Task ConcurrentAppendsShareFsyncs()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 1, FlushMs = long.MaxValue }, disk);
        var before = disk.FsyncCount;
        const int Appends = 400;
        var tasks = new Task[Appends];
        for (var i = 0; i < Appends; i++)
        {
            tasks[i] = Task.Run(async () => await fixture.Log.AppendAsync(TestBatches.Make(2), 0));
        }
        await Task.WhenAll(tasks).WaitAsync(_deadline);
        Assert.Equal(Appends * 2, fixture.Log.FlushedOffset);
        var fsyncs = disk.FsyncCount - before;
        Assert.InRange(fsyncs, 1, Appends - 1);
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
