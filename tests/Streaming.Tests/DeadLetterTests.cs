using Orlog.Client;

namespace Orlog.Streaming.Tests;

/// <summary>A subscriber that keeps failing one event: tried a few times, the event set aside in the dead-letter topic, the stream going on.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task An_event_a_subscriber_always_fails_goes_to_the_dead_letter_topic_and_the_stream_goes_on()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("poison", 1, options =>
        {
            options.DeliveryAttempts = 3;
            // Orleans retries for a time (1 s here), not a count: wide enough for a second try on a busy machine.
            options.DeliveryRetryBackoff = TimeSpan.FromMilliseconds(400);
        });
        var stream = silo.Streams.GetStream<OrderEvent>(StreamId.Create("poison", "p-1"));
        for (var i = 0; i < 30; i++)
        {
            await stream.OnNextAsync(new OrderEvent("p-1", i));
        }

        await Eventually.True(() => silo.Deliveries.Orders().TryGetValue("p-1", out var received) && received.Any(r => r.Sequence == 29),
            () => "the events after the poisoned one delivered");
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i != 13), silo.Deliveries.Orders()["p-1"].Select(r => r.Sequence).Distinct());
        // Tried a few times (Orleans retries by time: DeliveryAttempts tries at DeliveryRetryBackoff apart), not forever.
        var tries = silo.Deliveries.Failures("p-1");
        Assert.InRange(tries, 2, 4);

        // The record as it was, with headers saying where it came from, in poison.dlq.
        await using var client = OrlogClient.FromGrainFactory(silo.Grains);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { GroupId = "dlq-reader" }).SetClient(client).Build();
        ConsumeResult<string, byte[]>? dead = null;
        await Eventually.True(async () =>
        {
            var topics = await silo.Grains.GetGrain<Grains.IControllerGrain>(0).GetTopics(["poison.dlq"]);
            if (topics.Count == 0)
            {
                return false;
            }
            consumer.Assign(new TopicPartitionOffset("poison.dlq", 0, Offset.Beginning));
            dead = consumer.Consume(TimeSpan.FromSeconds(1));
            return dead is not null;
        }, () => "a record in poison.dlq");
        Assert.Equal("p-1", dead!.Message!.Key);
        var headers = dead.Message.Headers!;
        Assert.Equal("poison-0@13", System.Text.Encoding.UTF8.GetString(headers.GetLastBytes("orleans.dlq.source")!));
        Assert.Equal(StreamSilo.Provider, System.Text.Encoding.UTF8.GetString(headers.GetLastBytes("orleans.dlq.provider")!));
        Assert.NotNull(headers.GetLastBytes("orleans.dlq.subscription"));
        Assert.Equal("poison", System.Text.Encoding.UTF8.GetString(headers.GetLastBytes(StreamRecordFormat.NamespaceHeader)!));
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task With_deliveries_of_several_events_a_failing_delivery_goes_to_the_dead_letter_topic_whole_and_nothing_is_lost()
    {
        await using var silo = await StreamSilo.StartWithTopicAsync("poison", 1, options =>
        {
            options.DeliveryBatchSize = 8;
            options.DeliveryAttempts = 3;
            options.DeliveryRetryBackoff = TimeSpan.FromMilliseconds(400);
        });
        // One append of 40 events, so the agent has them all at once and hands them out 8 at a time.
        var stream = silo.Streams.GetStream<OrderEvent>(StreamId.Create("poison", "p-1"));
        await stream.OnNextBatchAsync(Enumerable.Range(0, 40).Select(i => new OrderEvent("p-1", i)).ToList());

        await Eventually.True(() => silo.Deliveries.Orders().TryGetValue("p-1", out var received) && received.Any(r => r.Sequence == 39),
            () => "the events after the failing delivery delivered");
        var delivered = silo.Deliveries.Orders()["p-1"].Select(r => r.Sequence).ToArray();
        Assert.DoesNotContain(13, delivered);
        // After the failing delivery, each event once and in order.
        var after = delivered.SkipWhile(i => i <= 13).ToArray();
        Assert.Equal(Enumerable.Range(after[0], 40 - after[0]), after);

        // The failing delivery's events, 13 among them, are in poison.dlq: every event is delivered or dead-lettered.
        await using var client = OrlogClient.FromGrainFactory(silo.Grains);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { GroupId = "dlq-reader" }).SetClient(client).Build();
        var sources = new List<string>();
        await Eventually.True(async () =>
        {
            if ((await silo.Grains.GetGrain<Grains.IControllerGrain>(0).GetTopics(["poison.dlq"])).Count == 0)
            {
                return false;
            }
            consumer.Assign(new TopicPartitionOffset("poison.dlq", 0, Offset.Beginning));
            sources.Clear();
            while (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } dead)
            {
                sources.Add(System.Text.Encoding.UTF8.GetString(dead.Message!.Headers!.GetLastBytes("orleans.dlq.source")!));
            }
            return sources.Contains("poison-0@13");
        }, () => $"event 13 in poison.dlq (found {string.Join(", ", sources)})");
        var deadOffsets = sources.Select(s => int.Parse(s["poison-0@".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(deadOffsets.Length, 2, 8);
        Assert.Equal(Enumerable.Range(0, 40), delivered.Concat(deadOffsets).Distinct().Order());
    }
}
