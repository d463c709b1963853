using Microsoft.Extensions.Time.Testing;

namespace Orlog.Testing.Tests;

public sealed class HistoryTests
{
    [Fact]
    public void EventsAreStampedWithTheTimeSinceTheHistoryStarted()
    {
        var time = new FakeTimeProvider();
        var history = new History(time);
        time.Advance(TimeSpan.FromSeconds(5));

        history.SendStarted("a", "s1");

        Assert.Equal(new SendStarted("a", "s1", null, null) { At = TimeSpan.FromSeconds(5) }, Assert.Single(history.Events));
    }

    [Fact]
    public void RecordingFromManyThreadsKeepsEveryEvent()
    {
        var history = new History();

        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                history.Polled($"c{thread}", generation: 1, partition: thread, offset: i, $"s{thread}-{i}");
            }
        });

        Assert.Equal(40_000, history.Count);
        var polls = history.Events.Cast<Polled>().GroupBy(p => p.Consumer);
        // Each thread's events keep their order.
        Assert.All(polls, g => Assert.Equal(Enumerable.Range(0, 10_000).Select(i => (long)i), g.Select(p => p.Offset)));
    }
}
