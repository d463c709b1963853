using System.Globalization;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// Debian's kcat (librdkafka 2.0.2, older protocol versions than Confluent.Kafka's) against a real silo's Kafka
/// listener: produce with keys and headers, consume from offsets and from a timestamp, and as a balanced group
/// member. ./test.sh installs kcat when it is missing.
/// </summary>
public sealed class KcatTests() : SiloTest("kcat", "--config", "group.initial.rebalance.delay.ms=0")
{
    /// <summary>Runs kcat with <paramref name="input"/> on stdin; returns stdout, failing the test on a non-zero exit or after 60 s.</summary>
    private static async Task<string> KcatAsync(string? input, params string[] args)
    {
        return await ExternalProgram.RunAsync("kcat", args, input);
    }

    [Fact]
    public async Task Kcat_produces_with_keys_and_headers_and_consumes_from_offsets_timestamps_and_as_a_group()
    {
        const string topic = "kcat-orders";
        await CreateTopicAsync(topic, 2);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = string.Concat(Enumerable.Range(0, 10).Select(i => $"key-{i}:value-{i}\n"));
        await KcatAsync(lines, "-P", "-b", Silo.KafkaBootstrap, "-t", topic, "-p", "0", "-K:", "-H", "source=kcat", "-H", "n=1");

        // Every record back with its key, value and both headers in order, at offsets 0..9.
        var all = await KcatAsync(null, "-C", "-b", Silo.KafkaBootstrap, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%o %k %s %h\n");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i} key-{i} value-{i} source=kcat,n=1"), all.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // From an offset, and from a timestamp (all records are newer than the moment before the produce).
        var fromSeven = await KcatAsync(null, "-C", "-b", Silo.KafkaBootstrap, "-t", topic, "-p", "0", "-o", "7", "-e", "-f", "%s\n");
        Assert.Equal(["value-7", "value-8", "value-9"], fromSeven.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var byTime = await KcatAsync(null, "-C", "-b", Silo.KafkaBootstrap, "-t", topic, "-p", "0", "-o", "s@" + before.ToString(CultureInfo.InvariantCulture), "-e", "-f", "%o\n");
        Assert.Equal("0", byTime.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);

        // A balanced consumer (-G) joins a group, gets both partitions, reads everything and commits.
        await KcatAsync("x:on-one\n", "-P", "-b", Silo.KafkaBootstrap, "-t", topic, "-p", "1", "-K:");
        var grouped = await KcatAsync(null, "-b", Silo.KafkaBootstrap, "-G", "kcat-group", "-o", "beginning", "-c", "11", "-f", "%p:%o\n", topic);
        Assert.Equal(11, grouped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        var group = await admin.DescribeConsumerGroupAsync("kcat-group");
        Assert.Equal(Client.ConsumerGroupType.Classic, group.GroupType);
    }
}
