// An admin program written for Confluent.Kafka, in the style of its examples: topics, partitions, configs, consumer
// group offsets, offsets and records. The compatibility test compiles it against Confluent.Kafka as it is, and with
// only the using lines changed to Orlog.Client, and runs that build against a silo. It checks what it gets itself.
using Confluent.Kafka;
using Confluent.Kafka.Admin;

public static class AdminProgram
{
    public static async Task RunAsync(string bootstrapServers, string topic, TextWriter log)
    {
        var errors = new List<Error>();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers, ClientId = "compat-admin" })
            .SetErrorHandler((_, e) => errors.Add(e))
            .SetLogHandler((_, m) => log.WriteLine($"{m.Level} {m.Facility}: {m.Message}"))
            .Build();

        // Topics: created with configs, refused when they exist, checked without being created.
        var retention = new Dictionary<string, string> { ["retention.ms"] = "3600000" };
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = topic, NumPartitions = 3, ReplicationFactor = 1, Configs = retention } });
        try
        {
            await admin.CreateTopicsAsync(new[]
            {
                new TopicSpecification { Name = topic + "-other", NumPartitions = 1, ReplicationFactor = 1 },
                new TopicSpecification { Name = topic, NumPartitions = 3, ReplicationFactor = 1 },
            });
            throw new InvalidOperationException("creating an existing topic failed to fail");
        }
        catch (CreateTopicsException e)
        {
            Check(e.Results.Count == 2 && !e.Results[0].Error.IsError, "the other topic was created and reported as such");
            Check(e.Results[1].Error.Code == ErrorCode.TopicAlreadyExists, $"the existing topic is TOPIC_ALREADY_EXISTS, not {e.Results[1].Error}");
        }
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = topic + "-dry", NumPartitions = 1, ReplicationFactor = 1 } },
            new CreateTopicsOptions { ValidateOnly = true, RequestTimeout = TimeSpan.FromSeconds(30) });

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var topicMetadata = metadata.Topics.Single(t => t.Topic == topic);
        Check(topicMetadata.Partitions.Count == 3 && topicMetadata.Partitions.All(p => p.Leader == metadata.Brokers[0].BrokerId), "metadata shows three led partitions");
        Check(metadata.Topics.Any(t => t.Topic == topic + "-other") && !metadata.Topics.Any(t => t.Topic == topic + "-dry"), "validate-only created nothing");
        Check(admin.GetMetadata("no-such-topic", TimeSpan.FromSeconds(10)).Topics.Single().Error.Code == ErrorCode.UnknownTopicOrPart, "an unknown topic's metadata carries the error");
        log.WriteLine($"{admin.Name}: {metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)");

        var described = (await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(new[] { topic }))).TopicDescriptions.Single();
        Check(described.Name == topic && described.Partitions.Count == 3, "the topic is described");
        Check(described.Partitions.All(p => p.Leader != null && p.ISR.Count == 1 && p.Replicas.Count == 1), "each partition has its leader in sync");
        var cluster = await admin.DescribeClusterAsync();
        Check(cluster.Nodes.Count == metadata.Brokers.Count && cluster.Controller != null, "the cluster is described");

        // Partitions grow, never shrink.
        await admin.CreatePartitionsAsync(new[] { new PartitionsSpecification { Topic = topic, IncreaseTo = 4 } });
        try
        {
            await admin.CreatePartitionsAsync(new[] { new PartitionsSpecification { Topic = topic, IncreaseTo = 2 } });
            throw new InvalidOperationException("shrinking a topic failed to fail");
        }
        catch (CreatePartitionsException e)
        {
            Check(e.Results.Single().Error.Code == ErrorCode.InvalidPartitions, $"shrinking is INVALID_PARTITIONS, not {e.Results.Single().Error}");
        }
        Check(admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count == 4, "the topic has four partitions");

        // Configs: described with their sources, set one by one, replaced as a whole, refused when wrong.
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = topic };
        var entries = (await admin.DescribeConfigsAsync(new[] { resource })).Single().Entries;
        Check(entries["retention.ms"].Value == "3600000" && entries["retention.ms"].Source == ConfigSource.DynamicTopicConfig && !entries["retention.ms"].IsDefault,
            "retention.ms is the topic's own");
        Check(entries["cleanup.policy"].Value == "delete" && entries["cleanup.policy"].IsDefault, "cleanup.policy is the default");
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = new List<ConfigEntry> { new ConfigEntry { Name = "retention.ms", Value = "7200000", IncrementalOperation = AlterConfigOpType.Set } },
        });
        Check((await admin.DescribeConfigsAsync(new[] { resource })).Single().Entries["retention.ms"].Value == "7200000", "retention.ms was set");
        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = new List<ConfigEntry> { new ConfigEntry { Name = "max.message.bytes", Value = "100000" } },
        });
        entries = (await admin.DescribeConfigsAsync(new[] { resource })).Single().Entries;
        Check(entries["max.message.bytes"].Value == "100000" && entries["retention.ms"].IsDefault, "AlterConfigs replaced the whole set");
        try
        {
            await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [resource] = new List<ConfigEntry> { new ConfigEntry { Name = "retention.ms", Value = "soon", IncrementalOperation = AlterConfigOpType.Set } },
            });
            throw new InvalidOperationException("a bad config value failed to fail");
        }
        catch (IncrementalAlterConfigsException e)
        {
            Check(e.Results.Single().Error.Code == ErrorCode.InvalidConfig, $"a bad value is INVALID_CONFIG, not {e.Results.Single().Error}");
        }

        // Records: produced, then the first two deleted; offsets looked up.
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build())
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, new Partition(0)), new Message<Null, string> { Value = $"record-{i}" });
            }
        }
        var deleted = await admin.DeleteRecordsAsync(new[] { new TopicPartitionOffset(topic, new Partition(0), new Offset(2)) });
        Check(deleted.Single().Offset.Value == 2, $"records below 2 were deleted, the log starts at {deleted.Single().Offset}");
        var offsets = await admin.ListOffsetsAsync(new[]
        {
            new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, new Partition(0)), OffsetSpec = OffsetSpec.Earliest() },
            new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, new Partition(0)), OffsetSpec = OffsetSpec.Latest() },
        });
        Check(offsets.ResultInfos[0].TopicPartitionOffsetError.Offset.Value == 2 && offsets.ResultInfos[1].TopicPartitionOffsetError.Offset.Value == 3,
            "the earliest offset is 2 and the latest 3");

        // A consumer group's offsets: altered, listed, described, deleted.
        var group = topic + "-group";
        await admin.AlterConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitionOffsets(group, new List<TopicPartitionOffset> { new TopicPartitionOffset(topic, new Partition(0), new Offset(3)) }),
        });
        var committed = (await admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions(group, null) })).Single();
        Check(committed.Partitions.Single().Offset.Value == 3, "the committed offset is listed");
        var groups = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = new[] { ConsumerGroupState.Empty } });
        Check(groups.Valid.Any(g => g.GroupId == group), "the group is listed as empty");
        var description = (await admin.DescribeConsumerGroupsAsync(new[] { group })).ConsumerGroupDescriptions.Single();
        Check(description.State == ConsumerGroupState.Empty && description.Members.Count == 0 && description.Coordinator != null, "the group is described");
        await admin.DeleteGroupsAsync(new[] { group });
        Check(!(await admin.ListConsumerGroupsAsync()).Valid.Any(g => g.GroupId == group), "the group is gone");

        // Topics deleted, and a second time refused.
        await admin.DeleteTopicsAsync(new[] { topic, topic + "-other" });
        try
        {
            await admin.DeleteTopicsAsync(new[] { topic });
            throw new InvalidOperationException("deleting a deleted topic failed to fail");
        }
        catch (DeleteTopicsException e)
        {
            Check(e.Results.Single().Error.Code == ErrorCode.UnknownTopicOrPart, $"a deleted topic is UNKNOWN_TOPIC_OR_PARTITION, not {e.Results.Single().Error}");
        }
        Check(errors.Count == 0, "the error handler saw no error");
        log.WriteLine("admin done");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"expected: {what}");
        }
    }
}
