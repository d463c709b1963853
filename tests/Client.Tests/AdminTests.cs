namespace Orlog.Client.Tests;

public sealed class AdminTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private IAdminClient Admin(OrlogClient client) => new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();

    [Fact]
    public async Task CreateListDescribeAlterGrowDelete()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        var created = await admin.CreateTopicAsync("admin-life", 2, configs: new Dictionary<string, string> { ["retention.ms"] = "60000" });
        Assert.Equal(2, created.Partitions.Count);
        Assert.Contains("admin-life", await admin.ListTopicsAsync());

        await using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build())
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(new TopicPartition("admin-life", 1), new Message<Null, string> { Value = "x" });
            }
        }
        var described = await admin.DescribeTopicAsync("admin-life");
        Assert.NotEqual(Guid.Empty, described.TopicId);
        Assert.Equal("60000", described.Configs["retention.ms"]);
        Assert.Equal([(0, 0L, 0L), (1, 0L, 3L)], described.Partitions.Select(p => (p.Partition, p.LogStartOffset, p.HighWatermark)));
        Assert.All(described.Partitions, p => Assert.Equal(0, p.LeaderId));

        var altered = await admin.AlterTopicConfigsAsync("admin-life", new Dictionary<string, string?> { ["retention.ms"] = "120000" });
        Assert.Equal("120000", altered.Configs["retention.ms"]);

        var grown = await admin.CreatePartitionsAsync("admin-life", 4);
        Assert.Equal(4, grown.Partitions.Count);

        var offsets = await admin.ListOffsetsAsync([new Orlog.Client.Admin.TopicPartitionOffsetSpec { TopicPartition = new("admin-life", 1), OffsetSpec = Orlog.Client.Admin.OffsetSpec.Latest() }]);
        Assert.Equal(3, Assert.Single(offsets.ResultInfos).TopicPartitionOffsetError.Offset.Value);

        await admin.DeleteTopicAsync("admin-life");
        Assert.DoesNotContain("admin-life", await admin.ListTopicsAsync());
    }

    [Fact]
    public async Task AdminErrorsCarryKafkasCodes()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await admin.CreateTopicAsync("admin-dupe", 1);
        Assert.Equal(ErrorCode.TopicAlreadyExists, (await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreateTopicAsync("admin-dupe", 1))).Code);
        Assert.Equal(ErrorCode.InvalidTopicException, (await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreateTopicAsync("bad name!", 1))).Code);
        Assert.Equal(ErrorCode.InvalidPartitions, (await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreateTopicAsync("admin-zero", 0))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAnyAsync<KafkaException>(() => admin.DescribeTopicAsync("admin-missing"))).Code);
        Assert.Equal(ErrorCode.InvalidPartitions, (await Assert.ThrowsAnyAsync<KafkaException>(() => admin.CreatePartitionsAsync("admin-dupe", 1))).Code);
    }

    [Fact]
    public async Task ProducingToARecreatedTopicFollowsTheNewTopic()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await admin.CreateTopicAsync("admin-recreate", 1);
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build();
        await producer.ProduceAsync("admin-recreate", new Message<Null, string> { Value = "old" });
        await admin.DeleteTopicAsync("admin-recreate");
        await admin.CreateTopicAsync("admin-recreate", 1);
        var result = await producer.ProduceAsync("admin-recreate", new Message<Null, string> { Value = "new" });
        Assert.Equal(0, result.Offset.Value);
    }
}
