namespace Orlog.Client.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void DefaultsAreKafkas()
    {
        var producer = new ProducerConfig();
        Assert.Equal((Acks.All, true, 5, 16384, 5, 120_000), (producer.Acks, producer.IsIdempotent, producer.LingerMs, producer.BatchSize, producer.MaxInFlight, producer.DeliveryTimeoutMs));
        Assert.Equal("127.0.0.1:30000", producer.BootstrapServers);
        Assert.Equal(10_000, producer.SocketConnectionSetupTimeoutMs);
        var consumer = new ConsumerConfig();
        Assert.Equal((AutoOffsetReset.Latest, 1, 500, 1_048_576, 52_428_800), (consumer.AutoOffsetReset, consumer.FetchMinBytes, consumer.FetchMaxWaitMs, consumer.MaxPartitionFetchBytes, consumer.FetchMaxBytes));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void AcksBelowAllAloneTurnsIdempotenceOff(string acks)
    {
        var config = new ProducerConfig();
        config.Set("acks", acks);
        Assert.False(config.IsIdempotent);
        config.Validate();
    }

    [Fact]
    public void AcksAllExplicitKeepsIdempotence()
    {
        var config = new ProducerConfig { Acks = Acks.All };
        Assert.True(config.IsIdempotent);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void AcksBelowAllWithIdempotenceExplicitlyOnIsAnError(string acks)
    {
        var config = new ProducerConfig(new Dictionary<string, string> { ["acks"] = acks, ["enable.idempotence"] = "true" });
        var error = Assert.Throws<ConfigException>(config.Validate);
        Assert.Contains("enable.idempotence", error.Message);
        Assert.Contains("acks", error.Message);
        Assert.Throws<ConfigException>(() => new ProducerBuilder<string, string>(config).Build());
    }

    [Fact]
    public void IdempotenceAllowsAtMostFiveInFlight()
    {
        var config = new ProducerConfig { MaxInFlight = 6 };
        Assert.Contains("max.in.flight.requests.per.connection", Assert.Throws<ConfigException>(config.Validate).Message);
        config.EnableIdempotence = false;
        config.Validate();
    }

    [Fact]
    public void UnknownSettingsAndBadValuesAreNamed()
    {
        var config = new ProducerConfig();
        Assert.Contains("'lnger.ms'", Assert.Throws<ConfigException>(() => config.Set("lnger.ms", "5")).Message);
        Assert.Contains("'linger.ms'", Assert.Throws<ConfigException>(() => config.Set("linger.ms", "soon")).Message);
        Assert.Contains("'compression.type'", Assert.Throws<ConfigException>(() => config.Set("compression.type", "brotli")).Message);
        Assert.Contains("'auto.offset.reset'", Assert.Throws<ConfigException>(() => new ConsumerConfig().Set("auto.offset.reset", "soonest")).Message);
        Assert.Contains("'bootstrap.servers'", Assert.Throws<ConfigException>(() => config.Set("bootstrap.servers", "localhost")).Message);
        Assert.Contains("'acks'", Assert.Throws<ConfigException>(() => config.Set("acks", "2")).Message);
    }

    [Fact]
    public void SettingsFromACommandLineMapStraightIn()
    {
        var pairs = new[] { "linger.ms=20", "compression.type=zstd", "acks=1", "client.id=cli" }
            .Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]));
        var config = new ProducerConfig(pairs);
        Assert.Equal((20, Orlog.Client.CompressionType.Zstd, Acks.Leader, "cli", false),
            (config.LingerMs, config.CompressionType, config.Acks, config.ClientId, config.IsIdempotent));
        Assert.Equal("20", config.Get("linger.ms"));
        Assert.Null(config.Get("batch.size"));
        Assert.Equal(4, config.Count());
    }
}
