namespace Orlog.Client.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public async Task StringRecordsComeBackInOrder()
    {
        await using var cluster = await ClientCluster.StartAsync();
        await cluster.CreateTopicAsync("strings", partitions: 1);
        await using var client = cluster.Connect();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        for (var i = 0; i < 10; i++)
        {
            var result = await producer.ProduceAsync("strings", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            Assert.Equal(i, result.Offset.Value);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("strings", 0, Offset.Beginning));
        for (var i = 0; i < 10; i++)
        {
            var record = consumer.Consume(TimeSpan.FromSeconds(10));
            Assert.NotNull(record);
            Assert.Equal((i, $"k{i}", $"v{i}"), (record.Offset.Value, record.Message!.Key, record.Message.Value));
        }
        Assert.Equal(10, consumer.Position(new TopicPartition("strings", 0)).Value);
    }

    [Fact]
    public async Task UnknownTopicFailsWithUnknownTopicOrPartition()
    {
        await using var cluster = await ClientCluster.StartAsync();
        await using var client = cluster.Connect();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync("nope", new Message<string, string> { Value = "x" }));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build();
        var assign = Assert.ThrowsAny<KafkaException>(() => consumer.Assign([new TopicPartition("nope", 0)]));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, assign.Code);
    }
}
