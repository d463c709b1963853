using System.Collections.Concurrent;
using System.Text.Json;

namespace Orlog.Client.Tests;

/// <summary>The statistics handler gets librdkafka-shaped JSON every statistics.interval.ms, with what the client did.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public async Task ProducerAndConsumerReportWhatTheyDidInLibrdkafkasShape()
    {
        await using var cluster = await ClientCluster.StartAsync();
        await cluster.CreateTopicAsync("stats", partitions: 2);
        await using var client = cluster.Connect();

        var produced = new ConcurrentQueue<string>();
        await using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { ClientId = "stats-p", StatisticsIntervalMs = 50 })
            .SetClient(client).SetStatisticsHandler((p, json) => produced.Enqueue(json)).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition("stats", 0), new Message<string, string> { Key = "k", Value = $"v{i}" });
            }
            await Eventually.True(() => produced.Any(json => Number(json, "txmsgs") == 10), "the producer's statistics count 10 records delivered");
        }
        using (var last = JsonDocument.Parse(produced.Last()))
        {
            var root = last.RootElement;
            Assert.Equal(("stats-p", "producer", 0L), (root.GetProperty("client_id").GetString(), root.GetProperty("type").GetString(), root.GetProperty("msg_cnt").GetInt64()));
            Assert.True(root.GetProperty("txmsg_bytes").GetInt64() > 0);
            Assert.True(root.GetProperty("time").GetInt64() > 1_700_000_000);
        }

        var consumed = new ConcurrentQueue<string>();
        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { ClientId = "stats-c", StatisticsIntervalMs = 50 })
            .SetClient(client).SetStatisticsHandler((c, json) => consumed.Enqueue(json)).Build();
        consumer.Assign(new TopicPartitionOffset("stats", 0, Offset.Beginning));
        Eventually.Consume(consumer, 4);
        await Eventually.True(() => consumed.Any(json => Number(json, "rxmsgs") == 4 && PartitionField(json, "consumer_lag") == 6),
            "the consumer's statistics count 4 records and a lag of 6");
        using var document = JsonDocument.Parse(consumed.Last(json => Number(json, "rxmsgs") == 4));
        var partition = document.RootElement.GetProperty("topics").GetProperty("stats").GetProperty("partitions").GetProperty("0");
        Assert.Equal((4L, 0L, 10L, "active"), (partition.GetProperty("app_offset").GetInt64(), partition.GetProperty("lo_offset").GetInt64(),
            partition.GetProperty("hi_offset").GetInt64(), partition.GetProperty("fetch_state").GetString()));
        Assert.Equal("consumer", document.RootElement.GetProperty("type").GetString());
        Assert.False(document.RootElement.TryGetProperty("cgrp", out _)); // no group
    }

    [Fact]
    public async Task AnAdminClientGetsTheHeader()
    {
        await using var cluster = await ClientCluster.StartAsync();
        await using var client = cluster.Connect();
        var documents = new ConcurrentQueue<string>();
        await using (var admin = new AdminClientBuilder(new AdminClientConfig { ClientId = "stats-a", StatisticsIntervalMs = 50 })
            .SetClient(client).SetStatisticsHandler((_, json) => documents.Enqueue(json)).Build())
        {
            Assert.Equal("stats-a", admin.Name);
            await Eventually.True(() => !documents.IsEmpty, "the admin client's statistics came");
        }
        using var document = JsonDocument.Parse(documents.First());
        Assert.Equal(("stats-a", "admin"), (document.RootElement.GetProperty("client_id").GetString(), document.RootElement.GetProperty("type").GetString()));
    }

    [Fact]
    public void TheIntervalIsCheckedAndZeroTurnsItOff()
    {
        Assert.Equal(0, new ClientConfig().Int(ClientSettings.StatisticsIntervalMs));
        var error = Assert.ThrowsAny<ArgumentException>(() => new ClientConfig { StatisticsIntervalMs = -1 });
        Assert.Contains("statistics.interval.ms", error.Message, StringComparison.Ordinal);
    }

    private static long Number(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetInt64();
    }

    private static long PartitionField(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("topics").TryGetProperty("stats", out var topic)
            ? topic.GetProperty("partitions").GetProperty("0").GetProperty(name).GetInt64()
            : -2;
    }
}
