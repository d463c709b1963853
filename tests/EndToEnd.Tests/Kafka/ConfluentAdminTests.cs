using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// Confluent.Kafka's AdminClient against a real silo's Kafka listener: topics created, described, grown, altered
/// and deleted; groups listed, described and deleted; what the SDK's admin sees agrees.
/// </summary>
public sealed class ConfluentAdminTests() : SiloTest("kafka-admin", "--config", "log.retention.bytes=1073741824", "--config", "auto.create.topics.enable=true")
{
    [Fact]
    public async Task Records_below_an_offset_are_deleted_through_the_Kafka_admin_client()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Silo.KafkaBootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-records", NumPartitions = 1, ReplicationFactor = 1 }]);
        var partition = new Ck.TopicPartition("admin-records", 0);
        using (var producer = new ProducerBuilder<Null, string>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap, LingerMs = 0 }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(partition, new Message<Null, string> { Value = $"v{i}" });
            }
        }

        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset(partition, 4)]);
        Assert.Equal(4, deleted.Single().Offset.Value);
        var pastEnd = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset(partition, 11)]));
        Assert.Equal(Ck.ErrorCode.OffsetOutOfRange, pastEnd.Results.Single().Error.Code);

        using var consumer = new ConsumerBuilder<Ignore, string>(new Ck.ConsumerConfig { BootstrapServers = Silo.KafkaBootstrap, GroupId = "admin-records-reader" }).Build();
        var watermarks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30));
        Assert.Equal((4L, 10L), (watermarks.Low.Value, watermarks.High.Value));
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var read = new List<(long, string)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (read.Count < 6 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                read.Add((result.Offset.Value, result.Message.Value));
            }
        }
        Assert.Equal(Enumerable.Range(4, 6).Select(i => ((long)i, $"v{i}")), read);
    }

    [Fact]
    public async Task A_producer_to_a_topic_that_does_not_exist_creates_it_when_auto_create_is_enabled()
    {
        using (var producer = new ProducerBuilder<Null, string>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap }).Build())
        {
            var delivered = await producer.ProduceAsync("admin-auto", new Message<Null, string> { Value = "first" });
            Assert.Equal((0, 0L), (delivered.Partition.Value, delivered.Offset.Value));
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Silo.KafkaBootstrap }).Build();
        var topic = Assert.Single(admin.GetMetadata("admin-auto", TimeSpan.FromSeconds(30)).Topics);
        Assert.Single(topic.Partitions); // num.partitions
    }

    [Fact]
    public async Task Topics_are_created_described_grown_altered_and_deleted_through_the_Kafka_admin_client()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Silo.KafkaBootstrap }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "admin-a", NumPartitions = 2, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "3600000" } },
            new TopicSpecification { Name = "admin-b", NumPartitions = -1, ReplicationFactor = -1 },
        ]);
        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-a", NumPartitions = 1 }]));
        Assert.Equal(Ck.ErrorCode.TopicAlreadyExists, duplicate.Results.Single().Error.Code);
        var invalid = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-c", NumPartitions = 1, Configs = new() { ["retention.ms"] = "soon" } }]));
        Assert.Equal(Ck.ErrorCode.InvalidConfig, invalid.Results.Single().Error.Code);

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        Assert.Equal([("admin-a", 2), ("admin-b", 1)], metadata.Topics.Select(t => (t.Topic, t.Partitions.Count)).Order()); // asking for every topic creates none

        // Every topic config with its source: set on the topic, set on the broker at start, or the default.
        var described = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "admin-a" }])).Single().Entries;
        Assert.Equal(("3600000", ConfigSource.DynamicTopicConfig), (described["retention.ms"].Value, described["retention.ms"].Source));
        Assert.Equal(("1073741824", ConfigSource.StaticBrokerConfig), (described["retention.bytes"].Value, described["retention.bytes"].Source));
        Assert.Equal(ConfigSource.DefaultConfig, described["segment.bytes"].Source);
        Assert.Contains("max.message.bytes", described.Keys);

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = "admin-a" }] =
            [
                new() { Name = "segment.bytes", Value = "2097152", IncrementalOperation = AlterConfigOpType.Set },
                new() { Name = "retention.ms", IncrementalOperation = AlterConfigOpType.Delete },
            ],
        });
        var altered = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "admin-a" }])).Single().Entries;
        Assert.Equal(("2097152", ConfigSource.DynamicTopicConfig), (altered["segment.bytes"].Value, altered["segment.bytes"].Source));
        Assert.Equal(ConfigSource.DefaultConfig, altered["retention.ms"].Source);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "admin-a", IncreaseTo = 4 }]);
        await using (var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap }))
        await using (var sdk = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync())
        {
            var topic = await sdk.DescribeTopicAsync("admin-a");
            Assert.Equal(4, topic.Partitions.Count);
            Assert.Equal("2097152", topic.Configs["segment.bytes"]);
            Assert.False(topic.Configs.ContainsKey("retention.ms"));
        }

        await admin.DeleteTopicsAsync(["admin-a", "admin-b"]);
        var missing = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["admin-a"]));
        Assert.Equal(Ck.ErrorCode.UnknownTopicOrPart, missing.Results.Single().Error.Code);
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(30)).Topics, t => t.Topic.StartsWith("admin-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_with_committed_offsets_are_listed_described_and_deleted_through_the_Kafka_admin_client()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Silo.KafkaBootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "admin-groups", NumPartitions = 2, ReplicationFactor = 1 }]);
        using (var producer = new ProducerBuilder<Null, string>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                producer.Produce(new Ck.TopicPartition("admin-groups", i % 2), new Message<Null, string> { Value = $"v{i}" });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        using (var consumer = new ConsumerBuilder<Ignore, string>(new Ck.ConsumerConfig
        {
            BootstrapServers = Silo.KafkaBootstrap,
            GroupId = "admin-app",
            ClientId = "admin-app-1",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Subscribe("admin-groups");
            var seen = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (seen < 20 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
                {
                    seen++;
                }
            }
            Assert.Equal(20, seen);
            consumer.Commit();

            // While the member is in the group: listed Stable, described with its client id and both partitions.
            var listed = await admin.ListConsumerGroupsAsync();
            var listing = Assert.Single(listed.Valid, g => g.GroupId == "admin-app");
            Assert.Equal(ConsumerGroupState.Stable, listing.State);
            var description = (await admin.DescribeConsumerGroupsAsync(["admin-app"])).ConsumerGroupDescriptions.Single();
            var member = Assert.Single(description.Members);
            Assert.Equal("admin-app-1", member.ClientId);
            Assert.Equal([0, 1], member.Assignment.TopicPartitions.Select(p => p.Partition.Value).Order());

            var notEmpty = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["admin-app"]));
            Assert.Equal(Ck.ErrorCode.NonEmptyGroup, notEmpty.Results.Single().Error.Code);
            consumer.Close();
        }

        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("admin-app", null)]);
        Assert.Equal([(0, 10L), (1, 10L)], offsets.Single().Partitions.Select(p => (p.Partition.Value, p.Offset.Value)).Order());

        await admin.DeleteGroupsAsync(["admin-app"]);
        Assert.DoesNotContain((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "admin-app");
    }
}
