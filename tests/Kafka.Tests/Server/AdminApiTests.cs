using Orlog.Kafka.Protocol.Messages;
using Orlog.Kafka.Server;

namespace Orlog.Kafka.Tests.Server;

/// <summary>The admin APIs through the listener over a fake broker, at their lowest and highest advertised versions.</summary>
public sealed class AdminApiTests : ListenerHarness
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task CreateTopicsCreatesEachTopicWithItsOwnOutcomeAndDefaultsForMinusOne(short version)
    {
        var request = new CreateTopicsRequest { TimeoutMs = 1000 };
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "new-topic", NumPartitions = -1, ReplicationFactor = -1, Configs = [new() { Name = "segment.bytes", Value = "1048576" }] });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "orders", NumPartitions = 3, ReplicationFactor = 1 });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "placed", NumPartitions = 1, ReplicationFactor = 1, Assignments = [new() { PartitionIndex = 0, BrokerIds = [1] }] });
        var answer = await AskAsync(CreateTopicsRequest.ApiKey, version, request, CreateTopicsResponse.Read);

        Assert.Equal([("new-topic", (short)0), ("orders", (short)ErrorCode.TopicAlreadyExists), ("placed", (short)ErrorCode.InvalidRequest)], answer.Topics.Select(t => (t.Name, t.ErrorCode)));
        Assert.Equal(1, Backend.Admin.Topics["new-topic"].Partitions);
        if (version >= 5)
        {
            var created = answer.Topics[0];
            Assert.Equal((1, (short)1), (created.NumPartitions, created.ReplicationFactor));
            Assert.Contains(created.Configs!, c => (c.Name, c.Value, c.ConfigSource) == ("segment.bytes", "1048576", (sbyte)KafkaConfigSource.TopicConfig));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task DeleteTopicsAnswersEachTopic(short version)
    {
        var answer = await AskAsync(DeleteTopicsRequest.ApiKey, version, new DeleteTopicsRequest { TopicNames = ["orders", "nope"], TimeoutMs = 1000 }, DeleteTopicsResponse.Read);
        Assert.Equal([("orders", (short)0), ("nope", (short)ErrorCode.UnknownTopicOrPartition)], answer.Responses.Select(r => (r.Name!, r.ErrorCode)));
        Assert.False(Backend.Admin.Topics.ContainsKey("orders"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task CreatePartitionsGrowsATopicAndValidateOnlyChangesNothing(short version)
    {
        var check = new CreatePartitionsRequest { ValidateOnly = true, TimeoutMs = 1000, Topics = [new() { Name = "orders", Count = 5, Assignments = null }] };
        Assert.Equal(0, (await AskAsync(CreatePartitionsRequest.ApiKey, version, check, CreatePartitionsResponse.Read)).Results.Single().ErrorCode);
        Assert.Equal(3, Backend.Admin.Topics["orders"].Partitions);

        var grow = new CreatePartitionsRequest { TimeoutMs = 1000, Topics = [new() { Name = "orders", Count = 5, Assignments = null }, new() { Name = "nope", Count = 2, Assignments = null }] };
        var answer = await AskAsync(CreatePartitionsRequest.ApiKey, version, grow, CreatePartitionsResponse.Read);
        Assert.Equal([(short)0, (short)ErrorCode.UnknownTopicOrPartition], answer.Results.Select(r => r.ErrorCode));
        Assert.Equal(5, Backend.Admin.Topics["orders"].Partitions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task DescribeConfigsGivesEveryTopicConfigWithItsSourceAndThisBrokersOwn(short version)
    {
        var request = new DescribeConfigsRequest();
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "orders", ConfigurationKeys = null });
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "orders", ConfigurationKeys = ["segment.bytes"] });
        request.Resources.Add(new() { ResourceType = 4, ResourceName = "1", ConfigurationKeys = null });
        request.Resources.Add(new() { ResourceType = 4, ResourceName = "2", ConfigurationKeys = null });
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "nope", ConfigurationKeys = null });
        var answer = await AskAsync(DescribeConfigsRequest.ApiKey, version, request, DescribeConfigsResponse.Read);

        var all = answer.Results[0].Configs;
        Assert.Equal(["retention.ms", "segment.bytes"], all.Select(c => c.Name));
        Assert.Equal(version >= 1 ? [(sbyte)KafkaConfigSource.TopicConfig, (sbyte)KafkaConfigSource.DefaultConfig] : [(sbyte)-1, (sbyte)-1], all.Select(c => c.ConfigSource));
        Assert.Equal(version == 0 ? [false, true] : [false, false], all.Select(c => c.IsDefault));
        Assert.Equal("segment.bytes", Assert.Single(answer.Results[1].Configs).Name);
        Assert.Equal(["broker.id", "log.retention.ms"], answer.Results[2].Configs.Select(c => c.Name));
        Assert.Equal([(short)0, (short)0, (short)0, (short)ErrorCode.InvalidRequest, (short)ErrorCode.UnknownTopicOrPartition], answer.Results.Select(r => r.ErrorCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task AlterConfigsReplacesATopicsWholeSetAndRefusesBrokerConfigs(short version)
    {
        var request = new AlterConfigsRequest();
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "orders", Configs = [new() { Name = "segment.bytes", Value = "2097152" }] });
        request.Resources.Add(new() { ResourceType = 4, ResourceName = "1", Configs = [new() { Name = "log.retention.ms", Value = "1" }] });
        var answer = await AskAsync(AlterConfigsRequest.ApiKey, version, request, AlterConfigsResponse.Read);

        Assert.Equal([(short)0, (short)ErrorCode.InvalidRequest], answer.Responses.Select(r => r.ErrorCode));
        // retention.ms was set on the topic and is not named: it goes back to its default.
        Assert.Equal(new Dictionary<string, string> { ["segment.bytes"] = "2097152" }, Backend.Admin.Topics["orders"].Configs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task IncrementalAlterConfigsSetsAndDeletesOneByOneAndRefusesListOperations(short version)
    {
        var request = new IncrementalAlterConfigsRequest();
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "orders", Configs = [new() { Name = "segment.bytes", ConfigOperation = 0, Value = "2097152" }, new() { Name = "retention.ms", ConfigOperation = 1, Value = null }] });
        request.Resources.Add(new() { ResourceType = 2, ResourceName = "orders", Configs = [new() { Name = "cleanup.policy", ConfigOperation = 2, Value = "compact" }] });
        var answer = await AskAsync(IncrementalAlterConfigsRequest.ApiKey, version, request, IncrementalAlterConfigsResponse.Read);

        Assert.Equal([(short)0, (short)ErrorCode.InvalidConfig], answer.Responses.Select(r => r.ErrorCode));
        Assert.Equal(new Dictionary<string, string> { ["segment.bytes"] = "2097152" }, Backend.Admin.Topics["orders"].Configs);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(4, 5, 2)]
    public async Task GroupsAreListedDescribedAndDeleted(short listVersion, short describeVersion, short deleteVersion)
    {
        var listed = await AskAsync(ListGroupsRequest.ApiKey, listVersion, new ListGroupsRequest { StatesFilter = listVersion >= 4 ? ["stable"] : [] }, ListGroupsResponse.Read);
        Assert.Equal(listVersion >= 4 ? ["g-classic"] : ["g-classic", "g-empty"], listed.Groups.Select(g => g.GroupId));

        var described = await AskAsync(DescribeGroupsRequest.ApiKey, describeVersion, new DescribeGroupsRequest { Groups = ["g-classic", "nope"] }, DescribeGroupsResponse.Read);
        var group = described.Groups[0];
        Assert.Equal(("Stable", "consumer", "range"), (group.GroupState, group.ProtocolType, group.ProtocolData));
        var member = Assert.Single(group.Members);
        Assert.Equal(("m-1", describeVersion >= 4 ? "host-a" : null, "app", "10.0.0.1"), (member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost));
        Assert.Equal([2, 3], member.MemberAssignment.ToArray());
        Assert.Equal("Dead", described.Groups[1].GroupState);

        var deleted = await AskAsync(DeleteGroupsRequest.ApiKey, deleteVersion, new DeleteGroupsRequest { GroupsNames = ["g-empty", "g-classic", "nope"] }, DeleteGroupsResponse.Read);
        Assert.Equal([(short)0, (short)ErrorCode.NonEmptyGroup, (short)ErrorCode.GroupIdNotFound], deleted.Results.Select(r => r.ErrorCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DescribeClusterNamesTheClusterTheControllerAndTheBrokers(short version)
    {
        var answer = await AskAsync(DescribeClusterRequest.ApiKey, version, new DescribeClusterRequest { EndpointType = 1 }, DescribeClusterResponse.Read);
        Assert.Equal(("orlog-cluster", 2), (answer.ClusterId, answer.ControllerId));
        Assert.Equal([(1, 19092, (string?)null), (2, 29092, "rack-b")], answer.Brokers.Select(b => (b.BrokerId, b.Port, b.Rack)));
    }
}
