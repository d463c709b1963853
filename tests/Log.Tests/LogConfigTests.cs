namespace Orlog.Log.Tests;

public sealed class LogConfigTests
{
    [Fact]
    public void DefaultsAreKafkasExceptFlushMs()
    {
        var config = new LogConfig();
        Assert.Equal(1L << 30, config.SegmentBytes);
        Assert.Equal(604_800_000, config.RetentionMs);
        Assert.Equal(-1, config.RetentionBytes);
        Assert.Equal(4096, config.IndexIntervalBytes);
        Assert.Equal(1_048_588, config.MaxMessageBytes);
        Assert.Equal(1000, config.FlushMs);
        Assert.Equal(long.MaxValue, config.FlushMessages);
    }

    [Fact]
    public void KafkaNamedSettingsOverrideTheDefaults()
    {
        var config = new LogConfig().With(new Dictionary<string, string>
        {
            ["segment.bytes"] = "1048576",
            ["retention.ms"] = "-1",
            ["flush.messages"] = "1",
            ["message.timestamp.type"] = "LogAppendTime",
        });
        Assert.Equal(1_048_576, config.SegmentBytes);
        Assert.Equal(-1, config.RetentionMs);
        Assert.True(config.FlushesEveryAppend);
        Assert.Equal(TimestampType.LogAppendTime, config.MessageTimestampType);
    }

    [Theory]
    [InlineData("segment.bytes", "10", "segment.bytes=10")]
    [InlineData("segment.bytes", "lots", "not a 32-bit integer")]
    [InlineData("retention.ms", "-2", "retention.ms=-2")]
    [InlineData("flush.messages", "0", "flush.messages=0")]
    [InlineData("index.interval.bytes", "-1", "index.interval.bytes=-1")]
    [InlineData("message.timestamp.type", "Now", "CreateTime or LogAppendTime")]
    [InlineData("segment.jitter", "1", "Unknown log config 'segment.jitter'")]
    public void BadSettingIsInvalidConfigNamingIt(string name, string value, string message)
    {
        var error = Assert.Throws<KafkaException>(() => new LogConfig().With([new(name, value)]));
        Assert.Equal(ErrorCode.InvalidConfig, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void OpeningWithAnInvalidConfigIsRefused()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<KafkaException>(() => PartitionLog.Open(temp.Partition(), new LogConfig { FlushMs = -5 }));
        Assert.Contains("flush.ms=-5", error.Message);
    }
}
