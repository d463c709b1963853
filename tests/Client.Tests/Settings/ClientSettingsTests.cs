namespace Orlog.Client.Tests.Settings;

/// <summary>Every Kafka client setting is understood: applied, taken with no effect, or refused with a reason; never unknown.</summary>
public sealed class ClientSettingsTests
{
    private static readonly string _listFile = Path.Combine(AppContext.BaseDirectory, "Settings", "kafka-client-settings.txt");

    public static TheoryData<string, string, string> KafkaClientSettings()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(_listFile))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var columns = line.Split('\t');
            data.Add(columns[0], columns[1], columns[2]);
        }
        return data;
    }

    [Fact]
    public void TheListHoldsBothClientsSettings()
    {
        var rows = KafkaClientSettings().Select(r => ((string)r[0], (string)r[1])).ToList();
        Assert.True(rows.Count(r => r.Item1 == "librdkafka") > 180);
        Assert.True(rows.Count(r => r is ("java", "producer")) > 90);
        Assert.True(rows.Count(r => r is ("java", "consumer")) > 90);
        Assert.True(rows.Count(r => r is ("java", "admin")) > 70);
    }

    [Theory]
    [MemberData(nameof(KafkaClientSettings))]
    public void EverySettingOfTheJavaClientAndLibrdkafkaIsKnown(string source, string scope, string name)
    {
        var setting = ClientSettings.Find(name);
        Assert.True(setting is not null, $"{source} {scope} setting '{name}' resolves to unknown");
        Assert.False(string.IsNullOrWhiteSpace(setting.Description));
        if (setting.Effect != SettingEffect.Applied)
        {
            Assert.False(string.IsNullOrWhiteSpace(setting.Why), $"'{name}' has no effect or is refused without saying why");
        }
    }

    [Fact]
    public void AKafkaUsersSettingsWorkAsTheyAre()
    {
        var consumer = new ConsumerConfig(new Dictionary<string, string>
        {
            ["heartbeat.interval.ms"] = "3000",
            ["max.poll.records"] = "500",
            ["partition.assignment.strategy"] = "cooperative-sticky",
            ["group.protocol"] = "classic",
            ["isolation.level"] = "read_committed",
            ["client.rack"] = "rack-1",
            ["security.protocol"] = "PLAINTEXT",
            ["allow.auto.create.topics"] = "false",
            ["statistics.interval.ms"] = "5000",
            ["reconnect.backoff.ms"] = "50",
            ["socket.timeout.ms"] = "60000",
            ["fetch.wait.max.ms"] = "100",
        });
        Assert.Equal(100, consumer.FetchMaxWaitMs);
        Assert.Equal("plaintext", consumer.Get("security.protocol"));
        var notes = consumer.Notes(SettingScope.Consumer).ToList();
        // Under the classic protocol the heartbeat interval applies; the cooperative assignor is not offered, and says so.
        Assert.DoesNotContain(notes, n => n.StartsWith("heartbeat.interval.ms", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.StartsWith("group.protocol", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("partition.assignment.strategy=cooperative-sticky has no effect in Orlog: ", StringComparison.Ordinal)
            && n.Contains("offers range instead", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.StartsWith("fetch.max.wait.ms", StringComparison.Ordinal));
        var producer = new ProducerConfig(new Dictionary<string, string>
        {
            ["queue.buffering.max.ms"] = "20",
            ["request.required.acks"] = "1",
            ["message.max.bytes"] = "2000000",
            ["message.timeout.ms"] = "60000",
            ["compression.codec"] = "lz4",
            ["max.in.flight"] = "3",
        });
        Assert.Equal((20, Acks.Leader, 2_000_000, 60_000, Orlog.Client.CompressionType.Lz4, 3),
            (producer.LingerMs, producer.Acks, producer.MaxRequestSize, producer.DeliveryTimeoutMs, producer.CompressionType, producer.MaxInFlight));
        Assert.Equal("20", producer.Get("linger.ms"));
    }

    [Fact]
    public void AFractionalLingerRoundsUp()
    {
        var config = new ProducerConfig();
        config.Set("linger.ms", "0.5");
        Assert.Equal(1, config.LingerMs);
    }

    [Fact]
    public void QueueBufferingMaxKbytesStandsForBufferMemory()
    {
        var config = new ProducerConfig();
        config.Set("queue.buffering.max.kbytes", "2048");
        Assert.Equal(2048 * 1024, new ProducerSettings(config).BufferMemory);
        config.Set("buffer.memory", "1000000");
        Assert.Equal(1_000_000, new ProducerSettings(config).BufferMemory);
    }

    [Theory]
    [InlineData("security.protocol", "SASL_SSL", "plaintext")]
    [InlineData("security.protocol", "ssl", "plaintext")]
    [InlineData("transactional.id", "orders-tx", "no transactions")]
    [InlineData("partitioner.class", "com.example.MyPartitioner", "murmur2")]
    [InlineData("partitioner", "consistent_random", "murmur2")]
    [InlineData("bootstrap.controllers", "localhost:9093", "bootstrap.servers")]
    public void RefusedSettingsSayWhatToDoInstead(string name, string value, string advice)
    {
        var error = Assert.Throws<ConfigException>(() => new ProducerConfig().Set(name, value));
        Assert.Equal(name, error.Setting);
        Assert.Contains(advice, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lnger.ms", "linger.ms")]
    [InlineData("bootstrap.server", "bootstrap.servers")]
    [InlineData("group.instanceid", "group.instance.id")]
    [InlineData("enable.auto.comit", "enable.auto.commit")]
    public void AnUnknownNameSuggestsTheClosestKnownOne(string given, string suggested)
    {
        var error = Assert.Throws<ConfigException>(() => new ConsumerConfig().Set(given, "1"));
        Assert.Contains($"Did you mean '{suggested}'?", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameFarFromAnyKnownOneSuggestsNothing()
    {
        var error = Assert.Throws<ConfigException>(() => new ConsumerConfig().Set("colour.of.the.sky", "blue"));
        Assert.DoesNotContain("Did you mean", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("session.timeout.ms", "0", "at least 1")]
    [InlineData("queued.max.messages.kbytes", "3000000", "between 1 and 2097151")]
    [InlineData("linger.ms", "-1", "between 0 and 900000")]
    [InlineData("heartbeat.interval.ms", "often", "an integer")]
    [InlineData("enable.auto.commit", "yes", "true or false")]
    public void ValuesAreCheckedWithTheSettingsNameInTheMessage(string name, string value, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => new ConsumerConfig().Set(name, value));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryNameBelongsToOneSetting()
    {
        var names = ClientSettings.All.SelectMany(s => s.Names).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ClientSettings.All.Where(s => s.Default is not null && s.Effect == SettingEffect.Applied),
            s => Assert.Equal(s.Default, s.Parse(s.Name, s.Default!)));
    }
}
