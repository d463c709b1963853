namespace Orlog.Streaming.Tests;

/// <summary>
/// Several silos: when one stops, its partitions move and resume at the committed offsets: every event at least once,
/// each stream in order, no gap. (A silo killed in process is not handled yet: with KillSiloAsync this test passed 8
/// times in 13 on 2026-12-05, 3 in 8 before commits moved to the background; in the others one or two whole
/// partitions delivered nothing more for a minute; see docs/streams.md.)
/// </summary>
public sealed class SiloLossTests
{
    [Fact]
    public async Task A_silo_that_stops_mid_stream_hands_its_partitions_over_without_a_gap()
    {
        await using var cluster = await StreamCluster.StartAsync(3, options =>
        {
            options.Namespaces.Add("orders");
            options.Partitions = 6;
        });
        (await cluster.Controller.CreateTopic("orders", 6, 3, new Dictionary<string, string>())).GetTopicOrThrow();
        var streams = cluster.Client.GetStreamProvider(StreamSilo.Provider);
        const int streamCount = 60, perStream = 40;

        async Task ProduceAsync(int from, int to)
        {
            var sends = new List<Task>();
            for (var s = 0; s < streamCount; s++)
            {
                var key = $"order-{s}";
                var stream = streams.GetStream<OrderEvent>(StreamId.Create("orders", key));
                sends.Add(stream.OnNextBatchAsync([.. Enumerable.Range(from, to - from).Select(i => new OrderEvent(key, i))]));
            }
            await Task.WhenAll(sends);
        }

        await ProduceAsync(0, perStream / 2);
        await Eventually.True(() => cluster.Deliveries.Count >= streamCount * perStream / 2, () => $"{cluster.Deliveries.Count} of the first half delivered");

        await cluster.Cluster.StopSiloAsync(cluster.Silo(3));
        await ProduceAsync(perStream / 2, perStream);

        await Eventually.True(() => cluster.Deliveries.Orders().Count == streamCount && cluster.Deliveries.Orders().Values.All(r => r.Select(e => e.Sequence).Distinct().Count() == perStream),
            () => $"{cluster.Deliveries.Orders().Values.Sum(r => r.Select(e => e.Sequence).Distinct().Count())} of {streamCount * perStream} distinct events delivered");
        var redelivered = 0;
        foreach (var (key, received) in cluster.Deliveries.Orders())
        {
            // No gap: each event's first delivery comes after the first delivery of the one before it.
            Assert.Equal(Enumerable.Range(0, perStream), received.Select(r => r.Sequence).Distinct());
            redelivered += received.Length - perStream;
        }
        // Redeliveries are what the moved partitions had not committed: never more than the first half.
        Assert.InRange(redelivered, 0, streamCount * perStream / 2);
    }
}
