using System.Text;
using Confluent.Kafka;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// Confluent.Kafka (librdkafka 2.16) against a real silo's Kafka listener, and the Orlog SDK beside it on the same
/// topic: what one writes the other reads, byte for byte, keys, headers and order per partition.
/// </summary>
public sealed class ConfluentKafkaTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orlog-e2e-kafka", Guid.NewGuid().ToString("N"));
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _silo = await SiloProcess.StartAsync(Path.Combine(_directory, "data"), "--kafka-port", "0");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task CreateTopicAsync(string name, int partitions)
    {
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        await admin.CreateTopicAsync(name, partitions);
    }

    private static Headers HeadersOf(int i) => [new Header("n", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>Consumes with librdkafka from the start of every partition (assigned, no group) until <paramref name="count"/> records.</summary>
    private List<ConsumeResult<string, string>> ConsumeWithKafka(string topic, int partitions, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig
        {
            BootstrapServers = Silo.KafkaBootstrap,
            GroupId = "unused-assign-only",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                records.Add(result);
            }
        }
        Assert.True(records.Count == count, $"consumed {records.Count} of {count} within 60 s");
        return records;
    }

    [Theory]
    [InlineData(Ck.CompressionType.None)]
    [InlineData(Ck.CompressionType.Gzip)]
    [InlineData(Ck.CompressionType.Snappy)]
    [InlineData(Ck.CompressionType.Lz4)]
    [InlineData(Ck.CompressionType.Zstd)]
    public async Task An_idempotent_Kafka_producer_writes_what_a_Kafka_consumer_and_the_SDK_read_back_in_order(Ck.CompressionType compression)
    {
        var topic = $"kafka-{compression.ToString().ToLowerInvariant()}";
        const int partitions = 3, count = 3000;
        await CreateTopicAsync(topic, partitions);

        var delivered = new List<DeliveryReport<string, string>>();
        using (var producer = new ProducerBuilder<string, string>(new Ck.ProducerConfig
        {
            BootstrapServers = Silo.KafkaBootstrap,
            EnableIdempotence = true,
            Acks = Ck.Acks.All,
            LingerMs = 5,
            CompressionType = compression,
        }).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"key-{i % 17}", Value = $"value-{i}", Headers = HeadersOf(i) }, report =>
                {
                    lock (delivered)
                    {
                        delivered.Add(report);
                    }
                });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        Assert.Equal(count, delivered.Count);
        Assert.All(delivered, d => Assert.Equal((Ck.ErrorCode.NoError, PersistenceStatus.Persisted), (d.Error.Code, d.Status)));
        // Offsets are dense per partition: nothing lost, nothing written twice.
        foreach (var partition in delivered.GroupBy(d => d.Partition.Value))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(o => (long)o), partition.Select(d => d.Offset.Value).Order());
        }

        // librdkafka reads every record back with its key, value and header, in send order per key.
        var read = ConsumeWithKafka(topic, partitions, count);
        Assert.All(read, r => Assert.Equal(r.Message.Value, "value-" + Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("n"))));
        foreach (var key in read.GroupBy(r => r.Message.Key))
        {
            var numbers = key.Select(r => int.Parse(r.Message.Value["value-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Order(), numbers);
        }
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"value-{i}").Order(), read.Select(r => r.Message.Value).Order());

        // The Orlog SDK, through Orleans, reads the same records at the same offsets.
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var sdk = await new Client.ConsumerBuilder<string, string>(new Client.ConsumerConfig()).SetClient(client).BuildAsync();
        sdk.Assign(Enumerable.Range(0, partitions).Select(p => new Client.TopicPartitionOffset(topic, p, Client.Offset.Beginning)));
        var bySdk = new Dictionary<(int, long), string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (bySdk.Count < count && DateTime.UtcNow < deadline)
        {
            if (sdk.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                bySdk[(result.Partition, result.Offset.Value)] = result.Message!.Value;
            }
        }
        Assert.Equal(read.ToDictionary(r => (r.Partition.Value, r.Offset.Value), r => r.Message.Value), bySdk);
    }

    [Fact]
    public async Task What_the_SDK_writes_a_Kafka_consumer_reads_and_watermarks_and_times_agree()
    {
        const string topic = "sdk-to-kafka";
        await CreateTopicAsync(topic, 2);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap }))
        await using (var producer = await new Client.ProducerBuilder<string, string>(new Client.ProducerConfig()).SetClient(client).BuildAsync())
        {
            for (var i = 0; i < 200; i++)
            {
                await producer.ProduceAsync(new Client.TopicPartition(topic, i % 2), new Client.Message<string, string> { Key = $"k{i}", Value = $"sdk-{i}" });
            }
        }

        var read = ConsumeWithKafka(topic, 2, 200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"sdk-{i}").Order(), read.Select(r => r.Message.Value).Order());
        Assert.All(read, r => Assert.Equal($"k{r.Message.Value["sdk-".Length..]}", r.Message.Key));

        using var consumer = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig { BootstrapServers = Silo.KafkaBootstrap, GroupId = "unused" }).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new Ck.TopicPartition(topic, 1), TimeSpan.FromSeconds(30));
        Assert.Equal((0L, 100L), (watermarks.Low.Value, watermarks.High.Value));
        var byTime = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(before, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        Assert.Equal(0L, Assert.Single(byTime).Offset.Value);
        var future = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(before + 3_600_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        Assert.Equal(Offset.End, Assert.Single(future).Offset);
    }
}
