using Orlog.Client;
using Orlog.Grains;

namespace Orlog.Streaming.Tests;

/// <summary>Grains with implicit subscriptions on an embedded silo: every event, each stream in order; records from the SDK too.</summary>
public sealed class ImplicitSubscriptionTests
{
    [Fact]
    public async Task Every_event_of_many_streams_reaches_the_grain_of_its_key_in_order_and_the_group_commits()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("orders", 4);
        const int streams = 1000, perStream = 100;
        // 100 calls at a time, each a batch of 10 events of one stream: 100,000 events.
        var sends = new List<Task>();
        for (var round = 0; round < perStream / 10; round++)
        {
            for (var s = 0; s < streams; s++)
            {
                var key = $"order-{s}";
                var stream = silo.Streams.GetStream<OrderEvent>(StreamId.Create("orders", key));
                sends.Add(stream.OnNextBatchAsync(Enumerable.Range(round * 10, 10).Select(i => new OrderEvent(key, i)).ToList()));
                if (sends.Count == 100)
                {
                    await Task.WhenAll(sends);
                    sends.Clear();
                }
            }
        }
        await Task.WhenAll(sends);

        await Eventually.True(() => silo.Deliveries.Count >= streams * perStream, () => $"{silo.Deliveries.Count} of {streams * perStream} events delivered");
        var orders = silo.Deliveries.Orders();
        Assert.Equal(streams, orders.Count);
        foreach (var (key, received) in orders)
        {
            // At least once, in order: each stream's sequence read without its repeats is 0..99, and offsets never go back.
            Assert.Equal(Enumerable.Range(0, perStream), received.Select(r => r.Sequence).Distinct());
            Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.Offset <= pair.Second.Offset), $"{key}'s offsets go back");
            Assert.All(received, r => Assert.True(r.OwnStream, $"{key} got an event of another stream"));
        }

        // The agents commit what every subscriber has been given, under the group named after the provider.
        var group = silo.Grains.GetGrain<IConsumerGroupGrain>(StreamSilo.Provider);
        await Eventually.True(async () =>
        {
            var committed = await group.FetchOffsets(new OffsetFetchRequest(null, -1, [.. Enumerable.Range(0, 4).Select(p => new Grains.TopicPartition("orders", p))]));
            return committed.Offsets.Count == 4 && committed.Offsets.All(o => o.Offset > 0);
        }, () => "every partition has a committed offset");
    }

    [Fact]
    public async Task Records_written_by_the_sdk_with_a_key_reach_the_grain_of_that_key()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("sensors", 2);
        await using var client = OrlogClient.FromGrainFactory(silo.Grains);
        await using var producer = await new ProducerBuilder<string, byte[]>(new ProducerConfig()).SetClient(client).BuildAsync();
        for (var i = 0; i < 20; i++)
        {
            await producer.ProduceAsync("sensors", new Message<string, byte[]> { Key = $"sensor-{i % 4}", Value = [(byte)i] });
        }
        // A record without a key belongs to no stream: skipped, not delivered anywhere.
        await producer.ProduceAsync("sensors", new Message<string, byte[]> { Key = null!, Value = [255] });

        await Eventually.True(() => silo.Deliveries.Count >= 20, () => $"{silo.Deliveries.Count} of 20 records delivered");
        for (var sensor = 0; sensor < 4; sensor++)
        {
            var expected = Enumerable.Range(0, 20).Where(i => i % 4 == sensor).Select(i => (byte)i);
            Assert.Equal(expected, silo.Deliveries.Raw($"sensor-{sensor}").Select(value => value![0]));
        }

        // Once every subscriber has had them, the group's committed offsets reach the log's end (21 records in all,
        // the keyless one included): progress and lag show in 'orlog groups describe orlog'.
        var group = silo.Grains.GetGrain<IConsumerGroupGrain>(StreamSilo.Provider);
        var partitions = new[] { new Grains.TopicPartition("sensors", 0), new Grains.TopicPartition("sensors", 1) };
        var ends = await silo.Grains.GetGrain<IBrokerGrain>(0).ListOffsets(partitions, OffsetSpec.Latest);
        Assert.Equal(21, ends.Sum(e => e.Offset));
        await Eventually.True(async () =>
        {
            var committed = await group.FetchOffsets(new OffsetFetchRequest(null, -1, partitions));
            return partitions.All(p => committed.Offsets.Single(o => o.Partition == p.Partition).Offset == ends.Single(e => e.Partition == p.Partition).Offset);
        }, () => "the committed offsets at the log's end");
    }

    [Fact]
    public async Task Lines_produced_by_the_cli_with_a_key_reach_the_grain_of_that_key()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("sensors", 2);
        var (exit, _, stderr) = await OrlogCli.RunWithInputAsync(silo.Bootstrap, "kitchen:21.5\nhall:19.0\nkitchen:21.7\n", "produce", "sensors", "--key-separator=:");
        Assert.True(exit == 0, stderr);

        await Eventually.True(() => silo.Deliveries.Count >= 3, () => $"{silo.Deliveries.Count} of 3 lines delivered");
        Assert.Equal(["21.5", "21.7"], silo.Deliveries.Raw("kitchen").Select(v => System.Text.Encoding.UTF8.GetString(v!)));
        Assert.Equal(["19.0"], silo.Deliveries.Raw("hall").Select(v => System.Text.Encoding.UTF8.GetString(v!)));
    }
}
