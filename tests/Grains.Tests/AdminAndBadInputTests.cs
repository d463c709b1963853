namespace Orlog.Grains.Tests;

public sealed class AdminAndBadInputTests
{
    [Fact]
    public async Task TopicsAreCreatedListedDescribedAlteredGrownAndDeleted()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        var created = await cluster.CreateTopicAsync("clicks", 2, new() { ["retention.ms"] = "3600000" });
        Assert.Equal(2, created.Partitions.Count);
        Assert.Equal(["clicks"], await cluster.Controller.ListTopics());

        var described = (await cluster.Controller.DescribeTopic("clicks")).GetTopicOrThrow();
        Assert.Equal(created.TopicId, described.TopicId);
        Assert.Equal("3600000", described.Configs["retention.ms"]);
        Assert.All(described.Partitions, p =>
        {
            Assert.Equal((0, 0), (p.Leader, p.LeaderEpoch));
            Assert.Equal([0], p.Isr);
        });

        var altered = (await cluster.Controller.AlterConfigs("clicks", new Dictionary<string, string?> { ["retention.ms"] = null, ["segment.bytes"] = "1048576" })).GetTopicOrThrow();
        Assert.False(altered.Configs.ContainsKey("retention.ms"));
        Assert.Equal("1048576", altered.Configs["segment.bytes"]);

        var grown = (await cluster.Controller.AddPartitions("clicks", 5)).GetTopicOrThrow();
        Assert.Equal(5, grown.Partitions.Count);
        Assert.Equal((ErrorCode.None, 0L), await ProduceTo(cluster, "clicks", 4));

        Assert.Equal(ErrorCode.None, (await cluster.Controller.DeleteTopic("clicks")).Error);
        Assert.Empty(await cluster.Controller.ListTopics());
        // The broker deletes the logs when the change reaches it: with it pushed before the answer, at once.
        Assert.False(Directory.Exists(Path.Combine(cluster.DataDirectory, "clicks-0")));
    }

    [Fact]
    public async Task ValidateOnlyChecksAsARealChangeWouldAndChangesNothing()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("kept", 2);
        var version = await cluster.Controller.MetadataVersion();

        var wouldBe = (await cluster.Controller.CreateTopic("dry", -1, -1, new Dictionary<string, string> { ["retention.ms"] = "60000" }, validateOnly: true)).GetTopicOrThrow();
        Assert.Equal((1, "60000"), (wouldBe.Partitions.Count, wouldBe.Configs["retention.ms"]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, (await cluster.Controller.CreateTopic("kept", 1, 1, new Dictionary<string, string>(), validateOnly: true)).Error);
        Assert.Equal(ErrorCode.InvalidConfig, (await cluster.Controller.CreateTopic("dry", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "soon" }, validateOnly: true)).Error);

        var altered = (await cluster.Controller.AlterConfigs("kept", new Dictionary<string, string?> { ["segment.bytes"] = "1048576" }, validateOnly: true)).GetTopicOrThrow();
        Assert.Equal("1048576", altered.Configs["segment.bytes"]);
        Assert.Equal(ErrorCode.InvalidConfig, (await cluster.Controller.AlterConfigs("kept", new Dictionary<string, string?> { ["segment.bytes"] = "12" }, validateOnly: true)).Error);

        Assert.Equal(ErrorCode.None, (await cluster.Controller.AddPartitions("kept", 4, validateOnly: true)).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await cluster.Controller.AddPartitions("kept", 1, validateOnly: true)).Error);

        // Nothing changed: no new metadata version, no topic "dry", "kept" as it was.
        Assert.Equal(version, await cluster.Controller.MetadataVersion());
        Assert.Equal(["kept"], await cluster.Controller.ListTopics());
        var kept = (await cluster.Controller.DescribeTopic("kept")).GetTopicOrThrow();
        Assert.Equal(2, kept.Partitions.Count);
        Assert.False(kept.Configs.ContainsKey("segment.bytes"));
    }

    [Fact]
    public async Task TopicConfigsAreDescribedWithTheirSources()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("described", 1, new() { ["retention.ms"] = "60000" });
        var configs = await cluster.Controller.DescribeTopicConfigs("described");
        Assert.Equal(ErrorCode.None, configs.Error);
        Assert.Contains(new TopicConfigValue("retention.ms", "60000", TopicConfigSource.Topic), configs.Configs);
        Assert.Contains(new TopicConfigValue("cleanup.policy", "delete", TopicConfigSource.Default), configs.Configs);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await cluster.Controller.DescribeTopicConfigs("missing")).Error);
        Assert.False(string.IsNullOrEmpty(await cluster.Controller.ClusterId()));
    }

    [Theory]
    [InlineData("", ErrorCode.InvalidTopicException)]
    [InlineData("..", ErrorCode.InvalidTopicException)]
    [InlineData("bad name", ErrorCode.InvalidTopicException)]
    public async Task BadTopicNamesAreRefused(string name, ErrorCode expected)
    {
        await using var cluster = await BrokerCluster.StartAsync();
        var error = await Assert.ThrowsAsync<KafkaException>(() => cluster.CreateTopicAsync(name));
        Assert.Equal(expected, error.Code);
        Assert.StartsWith("INVALID_TOPIC_EXCEPTION", error.Message);
    }

    [Fact]
    public async Task AdminErrorsCarryKafkasCodes()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("t", 2);
        Assert.Equal(ErrorCode.TopicAlreadyExists, (await Assert.ThrowsAsync<KafkaException>(() => cluster.CreateTopicAsync("t"))).Code);
        Assert.Equal(ErrorCode.InvalidPartitions, (await Assert.ThrowsAsync<KafkaException>(() => cluster.CreateTopicAsync("u", 0))).Code);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, (await cluster.Controller.CreateTopic("u", 1, 3, new Dictionary<string, string>())).Error);
        var badConfig = await Assert.ThrowsAsync<KafkaException>(() => cluster.CreateTopicAsync("u", 1, new() { ["retention.ms"] = "soon" }));
        Assert.Equal(ErrorCode.InvalidConfig, badConfig.Code);
        Assert.Contains("retention.ms", badConfig.Message);
        Assert.Equal(ErrorCode.InvalidConfig, (await Assert.ThrowsAsync<KafkaException>(() => cluster.CreateTopicAsync("u", 1, new() { ["no.such.config"] = "1" }))).Code);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await cluster.Controller.DescribeTopic("missing")).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await cluster.Controller.DeleteTopic("missing")).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await cluster.Controller.AddPartitions("t", 1)).Error);
        Assert.Empty(await cluster.Controller.GetTopics(["u"]));
    }

    [Fact]
    public async Task BadProduceAndFetchInputGetTheirErrorsAndLeaveTheLogUnchanged()
    {
        await using var cluster = await BrokerCluster.StartAsync();
        await cluster.CreateTopicAsync("strict", 1, new() { ["max.message.bytes"] = "2000" });
        await cluster.ProduceAsync("strict", 0, Batches.Of("good"));

        var corrupt = Batches.Of("x");
        corrupt[^1] ^= 0xFF;
        Assert.Equal(ErrorCode.CorruptMessage, (await cluster.ProduceAsync("strict", 0, corrupt)).Error);
        Assert.Equal(ErrorCode.MessageTooLarge, (await cluster.ProduceAsync("strict", 0, Batches.Of(new string('x', 5000)))).Error);
        Assert.Equal(ErrorCode.CorruptMessage, (await cluster.ProduceAsync("strict", 0, [1, 2, 3])).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await cluster.ProduceAsync("nope", 0, Batches.Of("x"))).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await cluster.ProduceAsync("strict", 7, Batches.Of("x"))).Error);

        var outOfRange = await cluster.FetchAsync("strict", 0, 5);
        Assert.Equal(ErrorCode.OffsetOutOfRange, outOfRange.Error);
        Assert.Contains("0 to 1", outOfRange.ErrorMessage);

        var fetched = await cluster.FetchAsync("strict", 0, 0);
        Assert.Equal(["good"], Batches.Read(fetched.Records).Select(r => r.Value));
        Assert.Equal(1, fetched.HighWatermark);
    }

    private static async Task<(ErrorCode, long)> ProduceTo(BrokerCluster cluster, string topic, int partition)
    {
        var result = await cluster.ProduceAsync(topic, partition, Batches.Of("x"));
        return (result.Error, result.BaseOffset);
    }
}
