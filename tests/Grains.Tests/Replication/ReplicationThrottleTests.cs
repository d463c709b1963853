using Microsoft.Extensions.Time.Testing;
using Orlog.Grains.Replication;

namespace Orlog.Grains.Tests.Replication;

/// <summary>leader.replication.throttled.rate's token bucket, on a fake clock.</summary>
public sealed class ReplicationThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ItStartsWithOneSecondOfBytesAndRefillsAtTheRate()
    {
        var throttle = new ReplicationThrottle(1_000, _time);
        Assert.Equal(1_000, throttle.Allowance(int.MaxValue));
        Assert.Equal(300, throttle.Allowance(300));

        throttle.Consumed(1_000);
        Assert.Equal(0, throttle.Allowance(int.MaxValue));
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(250, throttle.Allowance(int.MaxValue));
    }

    [Fact]
    public void IdleTimeSavesAtMostOneSecondOfBytes()
    {
        var throttle = new ReplicationThrottle(1_000, _time);
        throttle.Consumed(1_000);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1_000, throttle.Allowance(int.MaxValue));
    }

    [Fact]
    public void ABatchLargerThanTheAllowanceLeavesADebtThatIsPaidBackFirst()
    {
        var throttle = new ReplicationThrottle(1_000, _time);
        throttle.Consumed(3_000);

        Assert.Equal(0, throttle.Allowance(int.MaxValue));
        Assert.Equal(TimeSpan.FromSeconds(2.001), throttle.UntilAvailable());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, throttle.Allowance(int.MaxValue));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.UntilAvailable());
        Assert.Equal(1, throttle.Allowance(int.MaxValue));
    }

    [Fact]
    public void OverTimeTheBytesSentStayAtTheRateWhateverTheBatchSize()
    {
        // A follower asking every 10 ms and always getting whole 4 KiB batches, for 20 s at 10 KB/s.
        var throttle = new ReplicationThrottle(10_000, _time);
        long sent = 0;
        for (var tick = 0; tick < 2_000; tick++)
        {
            if (throttle.Allowance(1 << 20) > 0)
            {
                throttle.Consumed(4_096);
                sent += 4_096;
            }
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        // The rate for 20 s, plus the first second's bucket and at most one batch over.
        Assert.InRange(sent, 20 * 10_000 - 4_096, 21 * 10_000 + 4_096);
    }

    [Fact]
    public void ARateBelowOneByteASecondIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationThrottle(0, _time));
}
