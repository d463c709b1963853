using Orlog.Grains.Controller;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Tests.Controller;

/// <summary>Every Kafka topic config is applied, accepted with no effect, or refused with a reason; an unknown one gets the closest name.</summary>
public sealed class TopicSettingsTests
{
    private static readonly BrokerDefaults _defaults = new(new Dictionary<string, string>());

    // Kafka 4.1's topic configs (TopicConfig) and the throttled-replica lists of its QuotaConfig.
    public static TheoryData<string> KafkaTopicConfigs() =>
    [
        "cleanup.policy", "compression.gzip.level", "compression.lz4.level", "compression.type", "compression.zstd.level", "delete.retention.ms",
        "file.delete.delay.ms", "flush.messages", "flush.ms", "follower.replication.throttled.replicas", "index.interval.bytes",
        "leader.replication.throttled.replicas", "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
        "message.downconversion.enable", "message.format.version", "message.timestamp.after.max.ms", "message.timestamp.before.max.ms",
        "message.timestamp.difference.max.ms", "message.timestamp.type", "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas",
        "preallocate", "remote.log.copy.disable", "remote.log.delete.on.disable", "remote.storage.enable", "retention.bytes", "retention.ms",
        "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms", "unclean.leader.election.enable",
    ];

    [Theory]
    [MemberData(nameof(KafkaTopicConfigs))]
    public void EveryKafkaTopicConfigIsKnown(string name)
    {
        var setting = TopicSettings.Find(name);
        Assert.NotNull(setting);
        if (setting.Effect == TopicSettingEffect.NoEffect)
        {
            Assert.False(string.IsNullOrWhiteSpace(setting.Why));
        }
    }

    [Fact]
    public void SettingsWithNoEffectAreAcceptedKeptAndSaid()
    {
        var configs = new Dictionary<string, string> { ["preallocate"] = "true", ["segment.jitter.ms"] = "1000", ["retention.ms"] = "60000" };
        TopicConfigs.Validate(configs, _defaults, 1);
        Assert.Equal(2, TopicConfigs.NoEffectNotes(configs).Count());
        var described = TopicConfigs.Describe(configs, new Dictionary<string, string>());
        Assert.Contains(described, c => c is { Name: "preallocate", Value: "true", Source: TopicConfigSource.Topic });
        Assert.Contains(described, c => c is { Name: "compression.type", Value: "producer", Source: TopicConfigSource.Default });
    }

    [Theory]
    [InlineData("cleanup.policy", "compact", "compaction")]
    [InlineData("compression.type", "lz4", "producer")]
    [InlineData("remote.storage.enable", "true", "tiered storage")]
    public void RefusedValuesSayWhy(string name, string value, string why)
    {
        var error = Assert.Throws<KafkaException>(() => TopicConfigs.Validate(new Dictionary<string, string> { [name] = value }, _defaults, 1));
        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownTopicConfigSuggestsTheClosestOne()
    {
        var error = Assert.Throws<KafkaException>(() => TopicConfigs.Validate(new Dictionary<string, string> { ["retention.m"] = "1" }, _defaults, 1));
        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains("Did you mean 'retention.ms'?", error.Message, StringComparison.Ordinal);
    }
}
