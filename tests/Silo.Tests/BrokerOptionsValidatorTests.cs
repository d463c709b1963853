using Orlog.Grains.Hosting;

namespace Orlog.Silo.Tests;

public sealed class BrokerOptionsValidatorTests
{
    private static readonly BrokerOptionsValidator _validator = new();

    private static BrokerOptions WithDefault(string name, string value) => new() { Defaults = new() { [name] = value } };

    [Fact]
    public void The_defaults_of_BrokerOptions_are_valid() => Assert.True(_validator.Validate(null, new BrokerOptions()).Succeeded);

    [Fact]
    public void Every_known_broker_setting_with_a_good_value_is_accepted()
    {
        var options = new BrokerOptions
        {
            Defaults = new()
            {
                ["log.retention.ms"] = "-1",
                ["log.retention.bytes"] = "1073741824",
                ["log.segment.bytes"] = "1048576",
                ["log.roll.ms"] = "3600000",
                ["log.index.interval.bytes"] = "4096",
                ["log.index.size.max.bytes"] = "10485760",
                ["log.flush.interval.messages"] = "1",
                ["log.flush.interval.ms"] = "1000",
                ["message.max.bytes"] = "1048588",
                ["log.message.timestamp.type"] = "LogAppendTime",
                ["producer.id.expiration.ms"] = "86400000",
                ["num.partitions"] = "3",
                ["default.replication.factor"] = "1",
                ["min.insync.replicas"] = "1",
                ["auto.create.topics.enable"] = "FALSE",
                ["log.retention.check.interval.ms"] = "300000",
                ["group.min.session.timeout.ms"] = "1000",
                ["group.max.session.timeout.ms"] = "1800000",
                ["group.initial.rebalance.delay.ms"] = "0",
                ["group.consumer.heartbeat.interval.ms"] = "5000",
                ["group.max.size"] = "100",
                ["offsets.retention.minutes"] = "10080",
                ["offsets.retention.check.interval.ms"] = "600000",
                ["unclean.leader.election.enable"] = "false",
                ["auto.leader.rebalance.enable"] = "true",
                ["replica.lag.time.max.ms"] = "30000",
                ["replica.fetch.max.bytes"] = "1048576",
                ["replica.fetch.wait.max.ms"] = "500",
                ["leader.replication.throttled.rate"] = "9223372036854775807",
            },
        };
        var result = _validator.Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(options.Defaults.Keys.Order(StringComparer.Ordinal), BrokerOptionsValidator.KnownDefaultNames);
    }

    [Theory]
    [InlineData("log.segment.bytes", "abc", "not a 32-bit integer")]
    [InlineData("log.segment.bytes", "12", "out of range")]
    [InlineData("log.retention.ms", "-2", "out of range")]
    [InlineData("log.retention.bytes", "1e9", "not a 64-bit integer")]
    [InlineData("log.roll.ms", "0", "out of range")]
    [InlineData("log.index.interval.bytes", "-1", "out of range")]
    [InlineData("log.flush.interval.messages", "0", "out of range")]
    [InlineData("log.flush.interval.ms", "soon", "not a 64-bit integer")]
    [InlineData("message.max.bytes", "3000000000", "not a 32-bit integer")]
    [InlineData("log.message.timestamp.type", "Now", "CreateTime or LogAppendTime")]
    [InlineData("num.partitions", "0", "between 1 and")]
    [InlineData("default.replication.factor", "40000", "between 1 and 32767")]
    [InlineData("auto.create.topics.enable", "yes", "true or false")]
    [InlineData("leader.replication.throttled.rate", "0", "between 1 and 9223372036854775807")]
    [InlineData("leader.replication.throttled.rate", "10MB", "not a 64-bit integer")]
    public void A_bad_value_is_refused_naming_the_setting(string name, string value, string problem)
    {
        var result = _validator.Validate(null, WithDefault(name, value));

        Assert.True(result.Failed);
        Assert.Contains($"Orlog:Defaults:{name}", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"{name}=", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(problem, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_broker_setting_s_default_passes_its_own_check_and_names_its_kind()
    {
        foreach (var setting in BrokerSettings.All)
        {
            Assert.Null(setting.Check(setting.Default));
            Assert.Equal(setting.TopicConfig is not null, setting.Kind == BrokerSettingKind.TopicDefault);
            Assert.False(string.IsNullOrWhiteSpace(setting.Description), setting.Name);
        }
        var unset = new BrokerDefaults(new Dictionary<string, string>());
        Assert.Equal((1, (short)1, false, 300_000, 30_000), (unset.NumPartitions, unset.DefaultReplicationFactor, unset.AutoCreateTopics, unset.RetentionCheckIntervalMs, unset.ReplicaLagTimeMaxMs));
    }

    [Fact]
    public void The_replication_throttle_is_unlimited_unless_set()
    {
        Assert.Equal(long.MaxValue, new BrokerDefaults(new Dictionary<string, string>()).LeaderReplicationThrottledRate);
        Assert.Equal(10_485_760, new BrokerDefaults(new Dictionary<string, string> { ["leader.replication.throttled.rate"] = "10485760" }).LeaderReplicationThrottledRate);
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_it_and_listing_the_known_ones()
    {
        var result = _validator.Validate(null, WithDefault("log.retention.dayz", "1"));

        Assert.True(result.Failed);
        Assert.Contains("Orlog:Defaults:log.retention.dayz is not a broker setting", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("log.retention.ms", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Kafka_name_Orlog_does_not_take_points_at_the_one_to_use()
    {
        var result = _validator.Validate(null, WithDefault("log.retention.hours", "168"));

        Assert.Contains("Orlog:Defaults:log.retention.hours", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Use log.retention.ms instead", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "data", "orlog", "Orlog:BrokerId=-1")]
    [InlineData(0, "", "orlog", "Orlog:DataDirectory is empty")]
    [InlineData(0, "data", " ", "Orlog:ClusterId is empty")]
    [InlineData(0, "data", "my cluster", "Orlog:ClusterId='my cluster'")]
    public void Identity_and_directory_are_checked(int brokerId, string dataDirectory, string clusterId, string failure)
    {
        var result = _validator.Validate(null, new BrokerOptions { BrokerId = brokerId, DataDirectory = dataDirectory, ClusterId = clusterId });

        Assert.True(result.Failed);
        Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var options = new BrokerOptions { BrokerId = -5, Defaults = new() { ["num.partitions"] = "0", ["nope"] = "1" } };

        var failures = _validator.Validate(null, options).Failures!.ToList();
        Assert.Equal(3, failures.Count);
    }
}
