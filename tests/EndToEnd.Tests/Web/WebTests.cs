using System.Globalization;
using System.Net;
using System.Text.Json;
using Orlog.Client;

namespace Orlog.EndToEnd.Tests.Web;

/// <summary>
/// The web surface of a real silo with a topic, traffic and a lagging group: the JSON API agrees with the SDK,
/// /metrics parses as Prometheus' text format and moves with the traffic, and the pages in chromium show what the
/// API says, draw their charts and log no error.
/// </summary>
public sealed class WebTests(WebSiloFixture silo) : IClassFixture<WebSiloFixture>
{
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync(silo.Web + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{what} within {seconds} s; last: {value}");
            await Task.Delay(250);
        }
    }

    private static long[] Ids(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];

    [Fact]
    public async Task Every_api_figure_agrees_with_what_the_SDK_reports()
    {
        await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(silo.Client).BuildAsync();

        var described = await admin.DescribeTopicAsync(WebSiloFixture.Topic);
        var topic = await GetAsync($"/api/topics/{WebSiloFixture.Topic}");
        Assert.Equal(described.TopicId.ToString(), topic.GetProperty("topicId").GetString());
        var partitions = topic.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(described.Partitions.Count, partitions.Count);
        long sizes = 0;
        foreach (var (expected, shown) in described.Partitions.Zip(partitions))
        {
            Assert.Equal(expected.Partition, shown.GetProperty("partition").GetInt32());
            Assert.Equal(expected.LeaderId, shown.GetProperty("leader").GetInt32());
            Assert.Equal(expected.LeaderEpoch, shown.GetProperty("leaderEpoch").GetInt32());
            Assert.Equal(expected.ReplicaIds.Select(r => (long)r), Ids(shown.GetProperty("replicas")));
            Assert.Equal(expected.IsrIds.Select(r => (long)r), Ids(shown.GetProperty("isr")));
            Assert.Equal(expected.LogStartOffset, shown.GetProperty("logStartOffset").GetInt64());
            Assert.Equal(expected.HighWatermark, shown.GetProperty("highWatermark").GetInt64());
            // One broker, acks=all: the log ends at the high watermark.
            Assert.Equal(expected.HighWatermark, shown.GetProperty("logEndOffset").GetInt64());
            var size = shown.GetProperty("sizeBytes").GetInt64();
            Assert.True(expected.HighWatermark == 0 ? size == 0 : size > 0, $"partition {expected.Partition}: {size} bytes for {expected.HighWatermark} records");
            sizes += size;
        }
        Assert.Equal(WebSiloFixture.Produced, described.Partitions.Sum(p => p.HighWatermark));

        var listed = (await GetAsync("/api/topics")).EnumerateArray().Single(t => t.GetProperty("name").GetString() == WebSiloFixture.Topic);
        Assert.Equal((3, 1, 0, (long)WebSiloFixture.Produced),
            (listed.GetProperty("partitions").GetInt32(), listed.GetProperty("replicationFactor").GetInt32(), listed.GetProperty("underReplicated").GetInt32(), listed.GetProperty("records").GetInt64()));

        var brokers = await admin.ListBrokersAsync();
        var shownBrokers = (await GetAsync("/api/brokers")).EnumerateArray().ToList();
        Assert.Equal(brokers.Count, shownBrokers.Count);
        foreach (var (expected, shown) in brokers.Zip(shownBrokers))
        {
            Assert.Equal((expected.Id, expected.Address, expected.Status, expected.Leaders, expected.Controller),
                (shown.GetProperty("id").GetInt32(), shown.GetProperty("address").GetString(), shown.GetProperty("status").GetString(),
                 shown.GetProperty("leaders").GetInt32(), shown.GetProperty("controller").GetBoolean()));
            Assert.Equal(3, shown.GetProperty("replicas").GetInt32());
            Assert.Equal(sizes, shown.GetProperty("bytesOnDisk").GetInt64());
        }

        var overview = await GetAsync("/api/overview");
        Assert.Equal((1, 1, 3, 0, 0), (overview.GetProperty("brokersAlive").GetInt32(), overview.GetProperty("topics").GetInt32(),
            overview.GetProperty("partitions").GetInt32(), overview.GetProperty("underReplicated").GetInt32(), overview.GetProperty("offline").GetInt32()));

        var group = await admin.DescribeConsumerGroupAsync(WebSiloFixture.Group);
        var shownGroup = await GetAsync($"/api/groups/{WebSiloFixture.Group}");
        Assert.Equal((group.State.ToString(), group.GroupType.ToString().ToLowerInvariant(), group.Epoch, group.Coordinator!.Id),
            (shownGroup.GetProperty("state").GetString(), shownGroup.GetProperty("type").GetString(), shownGroup.GetProperty("epoch").GetInt32(), shownGroup.GetProperty("coordinator").GetInt32()));
        var member = Assert.Single(group.Members);
        var shownMember = Assert.Single(shownGroup.GetProperty("members").EnumerateArray().ToList());
        Assert.Equal(member.ConsumerId, shownMember.GetProperty("memberId").GetString());
        Assert.Equal(member.Assignment.TopicPartitions.Select(p => $"{p.Topic}-{p.Partition}"),
            shownMember.GetProperty("assignment").EnumerateArray().Select(p => $"{p.GetProperty("topic").GetString()}-{p.GetProperty("partition").GetInt32()}"));
        var shownOffsets = shownGroup.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(group.Partitions.Count, shownOffsets.Count);
        foreach (var (expected, shown) in group.Partitions.Zip(shownOffsets))
        {
            var tp = shown.GetProperty("topicPartition");
            Assert.Equal((expected.TopicPartition.Topic, expected.TopicPartition.Partition, expected.CurrentOffset, expected.LogEndOffset, expected.Lag),
                (tp.GetProperty("topic").GetString(), tp.GetProperty("partition").GetInt32(), shown.GetProperty("currentOffset").GetInt64(),
                 shown.GetProperty("logEndOffset").GetInt64(), shown.GetProperty("lag").ValueKind == JsonValueKind.Null ? null : shown.GetProperty("lag").GetInt64()));
        }
        var lag = group.Partitions.Sum(p => p.Lag ?? 0);
        Assert.Equal(WebSiloFixture.Produced - WebSiloFixture.Consumed, lag);
        Assert.Equal(lag, shownGroup.GetProperty("lag").GetInt64());

        // The groups list carries the sampled members and lag: the next samples agree.
        var listing = await EventuallyAsync(async () => (await GetAsync("/api/groups")).EnumerateArray().Single(g => g.GetProperty("groupId").GetString() == WebSiloFixture.Group),
            g => g.GetProperty("members").ValueKind == JsonValueKind.Number && g.GetProperty("members").GetInt32() == 1 && g.GetProperty("lag").GetInt64() == lag,
            "the group's sampled members and lag");
        Assert.Equal(group.State.ToString(), listing.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_their_counters_move_with_the_traffic()
    {
        var before = await ScrapeAsync();
        var inBefore = Value(before, "kafka_message_count_total", ("topic", WebSiloFixture.Topic), ("direction", "in"));
        var requestsBefore = HistogramCount(before, "kafka_request_time_seconds", ("type", "produce"));
        Assert.True(inBefore >= WebSiloFixture.Produced, $"records in {inBefore}");

        await silo.ProduceAsync(50);
        await using (var reader = await new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(silo.Client).BuildAsync())
        {
            reader.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(WebSiloFixture.Topic, p, Offset.Beginning)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            for (var read = 0; read < WebSiloFixture.Produced + 50; Assert.True(DateTime.UtcNow < deadline, $"read {read}"))
            {
                if (reader.Consume(TimeSpan.FromMilliseconds(500)) is not null)
                {
                    read++;
                }
            }
        }

        var after = await ScrapeAsync();
        Assert.Equal(inBefore + 50, Value(after, "kafka_message_count_total", ("topic", WebSiloFixture.Topic), ("direction", "in")));
        Assert.True(Value(after, "kafka_message_count_total", ("topic", WebSiloFixture.Topic), ("direction", "out")) >= WebSiloFixture.Produced + 50);
        Assert.True(Value(after, "kafka_network_io_bytes_total", ("topic", WebSiloFixture.Topic), ("direction", "in")) > Value(before, "kafka_network_io_bytes_total", ("topic", WebSiloFixture.Topic), ("direction", "in")));
        Assert.True(HistogramCount(after, "kafka_request_time_seconds", ("type", "produce")) > requestsBefore);
        Assert.True(HistogramCount(after, "kafka_request_time_seconds", ("type", "fetch")) > 0);
        Assert.True(HistogramCount(after, "kafka_logs_flush_time_seconds") > 0);
        Assert.Equal(WebSiloFixture.Produced + 50, Enumerable.Range(0, 3).Sum(p => Value(after, "kafka_log_end_offset", ("topic", WebSiloFixture.Topic), ("partition", P(p)))));
        Assert.True(Enumerable.Range(0, 3).Sum(p => Value(after, "kafka_log_size_bytes", ("topic", WebSiloFixture.Topic), ("partition", P(p)))) > 0);
        Assert.Equal(0, Value(after, "kafka_partition_under_replicated"));
        Assert.Equal(0, Value(after, "kafka_partition_offline"));
        Assert.True(Value(after, "kafka_connection_count", ("listener", "gateway")) >= 1);

        // The group's lag grew by the 50 records; its gauges follow at the next samples.
        var lag = WebSiloFixture.Produced + 50 - WebSiloFixture.Consumed;
        var sampled = await EventuallyAsync(ScrapeAsync, m => Sum(m, "kafka_consumer_group_lag", ("group", WebSiloFixture.Group)) == lag, $"kafka_consumer_group_lag {lag}");
        Assert.Equal(WebSiloFixture.Consumed, Sum(sampled, "kafka_consumer_group_offset", ("group", WebSiloFixture.Group)));
        Assert.Equal(1, Value(sampled, "kafka_consumer_group_members", ("group", WebSiloFixture.Group)));
        Assert.True(Value(sampled, "kafka_consumer_group_rebalance_count_total", ("group", WebSiloFixture.Group)) >= 1);
    }

    [Fact]
    public async Task The_pages_in_chromium_show_what_the_api_says_draw_their_charts_and_log_no_error()
    {
        // Charts need two samples of traffic and of lag: the fixture samples every 500 ms.
        await EventuallyAsync(() => GetAsync("/api/overview"), o => o.GetProperty("throughput").GetArrayLength() >= 2, "two throughput samples");
        await EventuallyAsync(() => GetAsync($"/api/groups/{WebSiloFixture.Group}"), g => g.GetProperty("lagHistory").GetArrayLength() >= 2, "two lag samples");
        var screenshots = Environment.GetEnvironmentVariable("ORLOG_TEST_ARTIFACTS") is { Length: > 0 } artifacts
            ? Path.Combine(artifacts, "web")
            : Path.Combine(WebScript.Directory, "screenshots");
        var output = await WebScript.RunAsync("pages.mjs", [silo.Web, screenshots, WebSiloFixture.Topic, WebSiloFixture.Group], timeout: TimeSpan.FromSeconds(90));
        Assert.Contains("\"pages\":7", output, StringComparison.Ordinal);
        foreach (var page in new[] { "overview", "brokers", "topics", "topic", "groups", "group", "dashboard" })
        {
            Assert.True(new FileInfo(Path.Combine(screenshots, page + ".png")).Length > 0, $"no screenshot of {page}");
        }
    }

    private async Task<JsonElement> ScrapeAsync()
    {
        using var response = await _http.GetAsync(silo.Web + "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var parsed = await WebScript.RunAsync("metrics.py", [], await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(parsed);
        return json.RootElement.Clone();
    }

    // The samples named so (a counter's with _total, a histogram's _count) with the labels given, among those the parser read.
    private static IEnumerable<JsonElement> Samples(JsonElement samples, string name, (string Label, string Value)[] labels)
    {
        var named = samples.EnumerateArray().Where(s => s.GetProperty("name").GetString() == name).ToList();
        Assert.True(named.Count > 0, $"{name} is not in /metrics");
        return named.Where(s => labels.All(l => s.GetProperty("labels").TryGetProperty(l.Label, out var v) && v.GetString() == l.Value));
    }

    private static long Value(JsonElement samples, string name, params (string Label, string Value)[] labels) =>
        (long)Assert.Single(Samples(samples, name, labels)).GetProperty("value").GetDouble();

    private static long Sum(JsonElement samples, string name, params (string Label, string Value)[] labels) =>
        Samples(samples, name, labels).Sum(s => (long)s.GetProperty("value").GetDouble());

    private static long HistogramCount(JsonElement samples, string name, params (string Label, string Value)[] labels) => Sum(samples, name + "_count", labels);

    private static string P(int partition) => partition.ToString(CultureInfo.InvariantCulture);
}
