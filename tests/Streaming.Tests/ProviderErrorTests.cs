namespace Orlog.Streaming.Tests;

/// <summary>What the provider refuses, with Kafka's error names: nothing is routed to a queue that would not deliver it.</summary>
public sealed class ProviderErrorTests
{
    [Fact]
    public async Task A_topic_with_another_partition_count_a_missing_topic_and_an_unknown_namespace_are_refused()
    {
        await using var silo = await StreamSilo.StartAsync(options =>
        {
            options.Namespaces.Add("orders");
            options.Namespaces.Add("missing");
            options.Partitions = 4;
        });
        await silo.CreateTopicAsync("orders", 2);

        var wrongCount = await Assert.ThrowsAsync<KafkaException>(() =>
            silo.Streams.GetStream<OrderEvent>(StreamId.Create("orders", "o-1")).OnNextAsync(new OrderEvent("o-1", 0)));
        Assert.Equal(ErrorCode.InvalidPartitions, wrongCount.Code);
        Assert.Contains("has 2 partition(s)", wrongCount.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<KafkaException>(() =>
            silo.Streams.GetStream<OrderEvent>(StreamId.Create("missing", "m-1")).OnNextAsync(new OrderEvent("m-1", 0)));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missing.Code);
        Assert.Contains("AutoCreateTopics", missing.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() =>
            silo.Streams.GetStream<OrderEvent>(StreamId.Create("payments", "p-1")).OnNextAsync(new OrderEvent("p-1", 0)));
        Assert.Contains("'payments' is not one this Orlog stream provider carries", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_topic_is_created_on_first_use_when_the_options_say_so()
    {
        await using var silo = await StreamSilo.StartAsync(options =>
        {
            options.Namespaces.Add("orders");
            options.Partitions = 3;
            options.AutoCreateTopics = true;
        });
        await silo.Streams.GetStream<OrderEvent>(StreamId.Create("orders", "o-1")).OnNextAsync(new OrderEvent("o-1", 0));
        var topic = (await silo.Grains.GetGrain<Grains.IControllerGrain>(0).GetTopics(["orders"])).Single();
        Assert.Equal(3, topic.Partitions.Count);
        await Eventually.True(() => silo.Deliveries.Count >= 1, () => "the event delivered");
        Assert.Equal([0], silo.Deliveries.Orders()["o-1"].Select(r => r.Sequence));
    }
}
