using System.Text;
using Confluent.Kafka;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// Confluent.Kafka (librdkafka 2.16) against a real silo's Kafka listener, and the Orlog SDK beside it on the same
/// topic: what one writes the other reads, byte for byte, keys, headers and order per partition.
/// </summary>
public sealed class ConfluentKafkaTests() : SiloTest("kafka")
{
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

    [Fact]
    public async Task A_group_resumes_where_the_other_protocol_committed_and_the_CLI_reads_what_Kafka_wrote()
    {
        const string topic = "crosstalk", group = "crosstalk-app";
        await CreateTopicAsync(topic, 1);
        using (var producer = new ProducerBuilder<string, string>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        // The SDK's group consumer (server-side assignment) reads the first 10 and commits after them, then leaves.
        await using (var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap }))
        await using (var sdk = await new Client.ConsumerBuilder<string, string>(new Client.ConsumerConfig
        {
            GroupId = group,
            AutoOffsetReset = Client.AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetClient(client).BuildAsync())
        {
            sdk.Subscribe(topic);
            Client.ConsumeResult<string, string>? last = null;
            for (var read = 0; read < 10;)
            {
                if (sdk.Consume(TimeSpan.FromSeconds(30)) is { } result)
                {
                    Assert.Equal($"v{read}", result.Message!.Value);
                    last = result;
                    read++;
                }
            }
            sdk.Commit(last!);
            sdk.Close();
        }

        // A Kafka consumer (classic protocol) in the same group starts at offset 10, reads 10 more and commits.
        using (var kafka = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig
        {
            BootstrapServers = Silo.KafkaBootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            kafka.Subscribe(topic);
            var values = new List<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            ConsumeResult<string, string>? last = null;
            while (values.Count < 10 && DateTime.UtcNow < deadline)
            {
                if (kafka.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    values.Add(result.Message.Value);
                    last = result;
                }
            }
            Assert.Equal(Enumerable.Range(10, 10).Select(i => $"v{i}"), values);
            kafka.Commit(last!);
            kafka.Close();
        }

        // The CLI, as a member of the same group, prints the last 10, from where the Kafka consumer committed.
        var (exit, stdout, stderr) = await OrlogCli.RunAsync(Silo.Bootstrap, "consume", topic, "--group", group, "--max-messages", "10", "--timeout-ms", "30000");
        Assert.True(exit == 0, stderr);
        Assert.Equal(Enumerable.Range(20, 10).Select(i => $"v{i}"), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task What_the_SDK_compresses_and_the_CLI_writes_a_Kafka_consumer_reads()
    {
        const string topic = "sdk-to-kafka-compressed", cliTopic = "cli-to-kafka";
        Orlog.Client.CompressionType[] codecs = [Orlog.Client.CompressionType.None, Orlog.Client.CompressionType.Gzip, Orlog.Client.CompressionType.Snappy, Orlog.Client.CompressionType.Lz4, Orlog.Client.CompressionType.Zstd];
        await CreateTopicAsync(topic, codecs.Length);
        await CreateTopicAsync(cliTopic, 1);
        // Partition i gets 50 records from an SDK producer compressing with codec i.
        await using (var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap }))
        {
            for (var p = 0; p < codecs.Length; p++)
            {
                await using var producer = await new Client.ProducerBuilder<string, string>(new Client.ProducerConfig { CompressionType = codecs[p], LingerMs = 20 })
                    .SetClient(client).BuildAsync();
                var partition = p;
                await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
                    producer.ProduceAsync(new Client.TopicPartition(topic, partition), new Client.Message<string, string> { Key = $"k{i}", Value = $"{codecs[partition]}-{i}" })));
            }
        }
        // The CLI's lines, keyed, compressed with zstd.
        var lines = string.Concat(Enumerable.Range(0, 20).Select(i => $"cli-key-{i}:cli-{i}\n"));
        var (exit, _, stderr) = await OrlogCli.RunWithInputAsync(Silo.Bootstrap, lines, "produce", cliTopic, "--key-separator=:", "--compression", "zstd");
        Assert.True(exit == 0, stderr);

        var read = ConsumeWithKafka(topic, codecs.Length, codecs.Length * 50);
        for (var p = 0; p < codecs.Length; p++)
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"k{i} {codecs[p]}-{i}").Order(),
                read.Where(r => r.Partition.Value == p).Select(r => $"{r.Message.Key} {r.Message.Value}").Order());
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), read.Where(r => r.Partition.Value == p).Select(r => r.Offset.Value));
        }
        var fromCli = ConsumeWithKafka(cliTopic, 1, 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => ((long)i, $"cli-key-{i}", $"cli-{i}")), fromCli.Select(r => (r.Offset.Value, r.Message.Key, r.Message.Value)));
    }

    [Fact]
    public async Task A_produce_with_a_damaged_batch_is_refused_with_CORRUPT_MESSAGE_and_the_log_is_untouched()
    {
        const string topic = "corrupt";
        await CreateTopicAsync(topic, 1);
        byte[] batch;
        using (var builder = new Records.RecordBatchBuilder())
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Records.RecordBytes.Null, Encoding.UTF8.GetBytes("fine"));
            batch = builder.ToArray();
        }
        var damaged = (byte[])batch.Clone();
        damaged[^1] ^= 0x55; // a record byte: the CRC no longer matches

        Assert.Equal(Orlog.Client.ErrorCode.CorruptMessage, await ProduceRawAsync(topic, damaged));
        Assert.Equal(Orlog.Client.ErrorCode.None, await ProduceRawAsync(topic, batch));
        var read = ConsumeWithKafka(topic, 1, 1);
        Assert.Equal((0L, "fine"), (read[0].Offset.Value, read[0].Message.Value));
    }

    // One Produce v9 (acks=1) with the batch as it is, on a bare connection; the partition's error code.
    private async Task<Orlog.Client.ErrorCode> ProduceRawAsync(string topic, byte[] batch)
    {
        const short Version = 9;
        var request = new Orlog.Kafka.Protocol.Messages.ProduceRequest { Acks = 1, TimeoutMs = 10_000 };
        var data = new Orlog.Kafka.Protocol.Messages.ProduceRequest.TopicProduceData { Name = topic };
        data.PartitionData.Add(new Orlog.Kafka.Protocol.Messages.ProduceRequest.PartitionProduceData { Index = 0, Records = batch });
        request.TopicData.Add(data);
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new Orlog.Kafka.Protocol.KafkaWriter(body);
        new Orlog.Kafka.Protocol.RequestHeader(Orlog.Kafka.Protocol.Messages.ProduceRequest.ApiKey, Version, 5, "raw")
            .Write(writer, Orlog.Kafka.Protocol.ApiCatalog.RequestHeaderVersion(Orlog.Kafka.Protocol.Messages.ProduceRequest.ApiKey, Version));
        request.Write(writer, Version);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPEndPoint.Parse(Silo.KafkaBootstrap));
        var stream = tcp.GetStream();
        var prefix = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prefix, body.WrittenCount);
        await stream.WriteAsync(prefix);
        await stream.WriteAsync(body.WrittenMemory);
        await stream.ReadExactlyAsync(prefix);
        var frame = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await stream.ReadExactlyAsync(frame);
        var reader = new Orlog.Kafka.Protocol.KafkaReader(frame);
        Orlog.Kafka.Protocol.ResponseHeader.Read(ref reader, Orlog.Kafka.Protocol.ApiCatalog.ResponseHeaderVersion(Orlog.Kafka.Protocol.Messages.ProduceRequest.ApiKey, Version));
        var response = Orlog.Kafka.Protocol.Messages.ProduceResponse.Read(ref reader, Version);
        return (Orlog.Client.ErrorCode)response.Responses.Single().PartitionResponses.Single().ErrorCode;
    }

    [Fact]
    public async Task A_record_over_max_message_bytes_is_refused_with_MESSAGE_TOO_LARGE_and_nothing_is_written()
    {
        const string topic = "too-large";
        await CreateTopicAsync(topic, 1);
        // The client's own limit is raised, so the broker's (max.message.bytes, 1 MiB by default) is the one that refuses.
        using var producer = new ProducerBuilder<Null, byte[]>(new Ck.ProducerConfig { BootstrapServers = Silo.KafkaBootstrap, MessageMaxBytes = 8_000_000 }).Build();
        var report = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() => producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[2_000_000] }));
        Assert.Equal(Ck.ErrorCode.MsgSizeTooLarge, report.Error.Code);
        var ok = await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[100] });
        Assert.Equal(0L, ok.Offset.Value);
    }
}
