using Orlog.Grains;

namespace Orlog.Client.Tests;

public sealed class AdminGroupTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private static IAdminClient Admin(OrlogClient client) => new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();

    /// <summary>A topic with the given number of records in each partition.</summary>
    private async Task TopicAsync(OrlogClient client, string topic, params int[] recordsPerPartition)
    {
        await Cluster.CreateTopicAsync(topic, recordsPerPartition.Length);
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build();
        for (var partition = 0; partition < recordsPerPartition.Length; partition++)
        {
            for (var i = 0; i < recordsPerPartition[partition]; i++)
            {
                producer.Produce(new TopicPartition(topic, partition), new Message<Null, string> { Value = $"v{i}" });
            }
        }
        await producer.FlushAsync();
    }

    [Fact]
    public async Task AdminCommitsAreListedDescribedWithLagAlteredAndDeleted()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await TopicAsync(client, "ag-life", 5, 3, 0);

        await admin.AlterConsumerGroupOffsetsAsync("ag-life-g", [new("ag-life", 0, 2), new("ag-life", 1, 3)]);

        var listing = Assert.Single((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "ag-life-g");
        Assert.Equal(ConsumerGroupState.Empty, listing.State);
        var described = await admin.DescribeConsumerGroupAsync("ag-life-g");
        Assert.Equal(("ag-life-g", ConsumerGroupState.Empty), (described.GroupId, described.State));
        Assert.Empty(described.Members);
        Assert.Equal(
            [(0, 2L, 5L, (long?)3), (1, 3L, 3L, 0)],
            described.Partitions.Select(p => (p.TopicPartition.Partition, p.CurrentOffset, p.LogEndOffset, p.Lag)));
        Assert.All(described.Partitions, p => Assert.Null(p.ConsumerId));

        Assert.Equal([new("ag-life", 0, 2), new("ag-life", 1, 3)], await admin.ListConsumerGroupOffsetsAsync("ag-life-g"));
        Assert.Equal(
            [new("ag-life", 0, 2), new TopicPartitionOffset("ag-life", 2, Offset.Unset)],
            await admin.ListConsumerGroupOffsetsAsync("ag-life-g", [new("ag-life", 2), new("ag-life", 0)]));

        await admin.AlterConsumerGroupOffsetsAsync("ag-life-g", [new("ag-life", 0, 5), new("ag-life", 2, 0)]);
        Assert.Equal(
            [(0, 5L, 5L, (long?)0), (1, 3L, 3L, 0), (2, 0L, 0L, 0)],
            (await admin.DescribeConsumerGroupAsync("ag-life-g")).Partitions.Select(p => (p.TopicPartition.Partition, p.CurrentOffset, p.LogEndOffset, p.Lag)));

        await admin.DeleteConsumerGroupAsync("ag-life-g");
        Assert.DoesNotContain((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "ag-life-g");
        Assert.Empty(await admin.ListConsumerGroupOffsetsAsync("ag-life-g"));
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeConsumerGroupAsync("ag-life-g"))).Code);
    }

    [Fact]
    public async Task AMissingGroupOrPartitionIsAKafkaError()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await TopicAsync(client, "ag-errors", 1);

        var missing = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeConsumerGroupAsync("ag-nobody"));
        Assert.Equal((ErrorCode.GroupIdNotFound, "Consumer group 'ag-nobody' does not exist."), (missing.Code, missing.Detail));
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<KafkaException>(() => admin.DeleteConsumerGroupAsync("ag-nobody"))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition,
            (await Assert.ThrowsAsync<KafkaException>(() => admin.AlterConsumerGroupOffsetsAsync("ag-errors-g", [new("ag-no-topic", 0, 1)]))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition,
            (await Assert.ThrowsAsync<KafkaException>(() => admin.AlterConsumerGroupOffsetsAsync("ag-errors-g", [new("ag-errors", 1, 1)]))).Code);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => admin.AlterConsumerGroupOffsetsAsync("ag-errors-g", [new("ag-errors", 0, Offset.End)]));
        Assert.Equal(ErrorCode.InvalidGroupId, (await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeConsumerGroupAsync(""))).Code);
        // Nothing was committed by the refused calls.
        Assert.Equal(ErrorCode.GroupIdNotFound, (await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeConsumerGroupAsync("ag-errors-g"))).Code);
    }

    [Fact]
    public async Task AGroupWithAMemberShowsItsOwnersAndRefusesAdminChanges()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await TopicAsync(client, "ag-active", 4, 2);
        var group = Cluster.Client.GetGrain<IConsumerGroupGrain>("ag-active-g");
        var memberId = Guid.NewGuid().ToString();

        var joined = await group.Heartbeat(Join(memberId, 0, []));
        Assert.Equal(ErrorCode.None, joined.Error);
        var epoch = joined.MemberEpoch;
        var owned = joined.Assignment ?? [];
        // Reconciliation may take a few heartbeats; the member reports what it owns.
        var deadline = DateTime.UtcNow + Eventually.Timeout;
        while (owned.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The member owns {owned.Count} of 2 partitions.");
            var beat = await group.Heartbeat(Join(memberId, epoch, owned));
            Assert.Equal(ErrorCode.None, beat.Error);
            (epoch, owned) = (beat.MemberEpoch, beat.Assignment ?? owned);
        }
        var commit = await group.CommitOffsets(new OffsetCommitRequest(memberId, epoch, null, [new OffsetToCommit("ag-active", 0, 1, -1, "note")]));
        Assert.All(commit, r => Assert.Equal(ErrorCode.None, r.Error));

        var described = await admin.DescribeConsumerGroupAsync("ag-active-g");
        Assert.Equal(ConsumerGroupType.Consumer, described.GroupType);
        var member = Assert.Single(described.Members);
        Assert.Equal((memberId, "client-ag", "host-ag"), (member.ConsumerId, member.ClientId, member.Host));
        Assert.Equal([new("ag-active", 0), new("ag-active", 1)], member.Assignment.TopicPartitions);
        Assert.Equal(
            [(0, 1L, 4L, (long?)3, "note"), (1, -1L, 2L, null, null)],
            described.Partitions.Select(p => (p.TopicPartition.Partition, p.CurrentOffset, p.LogEndOffset, p.Lag, p.Metadata)));
        Assert.All(described.Partitions, p => Assert.Equal((memberId, "host-ag", "client-ag"), (p.ConsumerId, p.Host, p.ClientId)));
        Assert.Contains((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "ag-active-g" && g.Type == ConsumerGroupType.Consumer && g.State != ConsumerGroupState.Empty);

        Assert.Equal(ErrorCode.NonEmptyGroup, (await Assert.ThrowsAsync<KafkaException>(() => admin.DeleteConsumerGroupAsync("ag-active-g"))).Code);
        var refused = await Assert.ThrowsAsync<KafkaException>(() => admin.AlterConsumerGroupOffsetsAsync("ag-active-g", [new("ag-active", 0, 0)]));
        Assert.NotEqual(ErrorCode.None, refused.Code);
        Assert.Equal(1, (await admin.ListConsumerGroupOffsetsAsync("ag-active-g", [new("ag-active", 0)]))[0].Offset.Value);

        Assert.Equal(ErrorCode.None, (await group.Heartbeat(Join(memberId, GroupHeartbeatRequest.LeaveEpoch, owned))).Error);
        Assert.Equal(ConsumerGroupState.Empty, (await admin.DescribeConsumerGroupAsync("ag-active-g")).State);
        await admin.AlterConsumerGroupOffsetsAsync("ag-active-g", [new("ag-active", 0, 0)]);
        await admin.DeleteConsumerGroupAsync("ag-active-g");
    }

    private static GroupHeartbeatRequest Join(string memberId, int epoch, IReadOnlyList<Grains.TopicPartition> owned) =>
        new(memberId, epoch, null, 60_000, 45_000, epoch == 0 ? ["ag-active"] : null, null, null, owned, "client-ag", "host-ag");
}
