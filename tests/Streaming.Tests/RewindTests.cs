namespace Orlog.Streaming.Tests;

/// <summary>The sequence token is the record's offset: an explicit subscription starts from any offset still kept.</summary>
public sealed class RewindTests
{
    [Fact]
    public async Task An_explicit_subscription_from_an_offset_replays_from_that_offset_on()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("audit", 1);
        var stream = silo.Streams.GetStream<OrderEvent>(StreamId.Create("audit", "ledger"));
        for (var i = 0; i < 50; i++)
        {
            await stream.OnNextAsync(new OrderEvent("ledger", i));
        }

        // One stream in a one-partition topic: offset i holds event i.
        var replay = silo.Grains.GetGrain<IReplayGrain>("ledger");
        await replay.SubscribeFrom(20);
        IReadOnlyList<(int Sequence, long Offset)> received = [];
        await Eventually.True(async () => (received = await replay.Received()).Count >= 30, () => $"{received.Count} of 30 events replayed");
        Assert.Equal(Enumerable.Range(20, 30), received.Select(r => r.Sequence).Distinct());
        Assert.All(received, r => Assert.Equal(r.Sequence, r.Offset));

        // Events produced after the subscription follow.
        await stream.OnNextAsync(new OrderEvent("ledger", 50));
        await Eventually.True(async () => (received = await replay.Received()).Any(r => r.Sequence == 50), () => "event 50 delivered");
        Assert.Equal(50, received[^1].Sequence);
    }
}
