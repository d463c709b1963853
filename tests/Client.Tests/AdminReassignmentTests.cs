namespace Orlog.Client.Tests;

/// <summary>The admin client's reassignment calls on one broker: what the controller refuses, as Kafka's error codes.</summary>
public sealed class AdminReassignmentTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    private static IAdminClient Admin(OrlogClient client) => new AdminClientBuilder(new ClientConfig()).SetClient(client).Build();

    [Fact]
    public async Task ReassignmentsAreRefusedWithKafkasCodesAndTheCurrentReplicasChangeNothing()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await Cluster.CreateTopicAsync("reassign-errors", 2);
        var p0 = new TopicPartition("reassign-errors", 0);

        await admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [p0] = [0] });
        Assert.Empty(await admin.ListPartitionReassignmentsAsync("reassign-errors"));

        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await Assert.ThrowsAsync<KafkaException>(() =>
            admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [p0] = [0, 5] }))).Code);
        Assert.Equal(ErrorCode.NoReassignmentInProgress, (await Assert.ThrowsAsync<KafkaException>(() =>
            admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [p0] = null }))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<KafkaException>(() =>
            admin.ListPartitionReassignmentsAsync("reassign-nope"))).Code);

        // Two partitions, one refused: the error names it and says the other was applied.
        var both = await Assert.ThrowsAsync<KafkaException>(() => admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?>
        {
            [p0] = [0],
            [new TopicPartition("reassign-errors", 7)] = [0],
        }));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, both.Code);
        Assert.Contains("1 of 2", both.Message, StringComparison.Ordinal);
        Assert.Contains("reassign-errors-7", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOnlyBrokerCannotBeDrainedNorUnregisteredAndIsBalancedAlready()
    {
        await using var client = Cluster.Connect();
        using var admin = Admin(client);
        await Cluster.CreateTopicAsync("reassign-single", 1);

        var drain = await Assert.ThrowsAsync<KafkaException>(() => admin.DrainBrokerAsync(0));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, drain.Code);
        Assert.Contains("reassign-single-0", drain.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await Assert.ThrowsAsync<KafkaException>(() => admin.DrainBrokerAsync(42))).Code);
        Assert.Equal(ErrorCode.InvalidRequest, (await Assert.ThrowsAsync<KafkaException>(() => admin.UnregisterBrokerAsync(0))).Code);
        Assert.Empty(await admin.RebalanceReplicasAsync("reassign-single"));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<KafkaException>(() => admin.RebalanceReplicasAsync("reassign-nope"))).Code);
        Assert.Empty(await admin.ListPartitionReassignmentsAsync());
    }
}
