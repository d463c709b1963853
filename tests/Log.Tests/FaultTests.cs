namespace Orlog.Log.Tests;

public sealed class FaultTests
{
    [Fact]
    public void FailedWritePutsTheLogInAFailedStateThatRefusesAppends()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig(), disk);
        fixture.Log.AppendAsLeader(TestBatches.Make(3), 0);
        disk.FailWrites = true;
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(3), 0)).Code);
        disk.FailWrites = false;
        var error = Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(3), 0));
        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        Assert.True(fixture.Log.IsFailed);
        Assert.Equal(3, fixture.Log.LogEndOffset);
        Assert.Equal(3, TestBatches.Offsets(fixture.Log.Read(0, 1 << 20).Records).Count);
    }

    [Fact]
    public void ShortWriteLeavesATornTailThatRecoveryCuts()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig(), disk);
        var first = TestBatches.Make(3);
        fixture.Log.AppendAsLeader(first, 0);
        disk.ShortWriteBytes = 40;
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(3), 0)).Code);
        Assert.Equal(first.Length + 40, new FileInfo(fixture.SegmentPath(0)).Length);

        var log = fixture.Reopen();
        Assert.False(log.IsFailed);
        Assert.Equal(3, log.LogEndOffset);
        Assert.Equal(first.Length, new FileInfo(fixture.SegmentPath(0)).Length);
        log.AppendAsLeader(TestBatches.Make(3), 0);
        Assert.Equal(6, log.LogEndOffset);
    }

    [Fact]
    public async Task FailedFsyncFailsTheWaitersAndLaterAppends()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig { FlushMessages = 1 }, disk);
        disk.FailFsync = true;
        var error = await Assert.ThrowsAsync<KafkaException>(async () => await fixture.Log.AppendAsync(TestBatches.Make(3), 0));
        Assert.Equal(ErrorCode.KafkaStorageError, error.Code);
        Assert.True(fixture.Log.IsFailed);
        disk.FailFsync = false;
        Assert.Equal(ErrorCode.KafkaStorageError, Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(3), 0)).Code);
    }

    [Fact]
    public void FullDiskIsAStorageErrorAndNothingAfterItIsAcknowledged()
    {
        var disk = new FaultyFileSystem();
        var size = TestBatches.Make(10).Length;
        using var fixture = new LogFixture(new LogConfig(), disk);
        disk.DiskCapacityBytes = (size * 3) + 10;
        var acknowledged = 0;
        KafkaException? error = null;
        for (var i = 0; i < 10 && error is null; i++)
        {
            try
            {
                fixture.Log.AppendAsLeader(TestBatches.Make(10), 0);
                acknowledged++;
            }
            catch (KafkaException e)
            {
                error = e;
            }
        }
        Assert.Equal(3, acknowledged);
        Assert.Equal(ErrorCode.KafkaStorageError, error!.Code);
        Assert.Contains("No space left", error.Message);
        disk.DiskCapacityBytes = null;
        Assert.Equal(30, fixture.Reopen().LogEndOffset);
    }

    [Fact]
    public void FailedLogIsNotMarkedClean()
    {
        var disk = new FaultyFileSystem();
        using var fixture = new LogFixture(new LogConfig(), disk);
        disk.FailWrites = true;
        Assert.Throws<KafkaException>(() => fixture.Log.AppendAsLeader(TestBatches.Make(3), 0));
        fixture.Log.Dispose();
        Assert.False(File.Exists(Path.Combine(fixture.Directory, LogFileNames.CleanShutdownMarker)));
    }
}
