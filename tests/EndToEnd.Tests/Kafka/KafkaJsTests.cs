using System.Text.Json;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// KafkaJS 2.2.4 (pure JavaScript, its own protocol code) against a real silo's Kafka listener, through
/// tests/KafkaJs/roundtrip.js: admin creates a topic, an idempotent producer writes, a group of two consumers
/// reads everything and commits, admin reads the group's offsets. ./test.sh installs Node and the package.
/// </summary>
public sealed class KafkaJsTests() : SiloTest("kafkajs", "--config", "group.initial.rebalance.delay.ms=0")
{
    /// <summary>tests/KafkaJs, found from the test's build output up to the repository.</summary>
    private static string ScriptDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "KafkaJs");
            if (File.Exists(Path.Combine(candidate, "roundtrip.js")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/KafkaJs/roundtrip.js not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task KafkaJS_creates_a_topic_produces_idempotently_and_consumes_as_a_group_of_two_that_commits()
    {
        var scripts = ScriptDirectory();
        Assert.True(Directory.Exists(Path.Combine(scripts, "node_modules", "kafkajs")),
            $"KafkaJS is not installed in {scripts}: ./test.sh runs `npm ci` there (or run it by hand)");
        var output = await ExternalProgram.RunAsync("node", ["roundtrip.js", Silo.KafkaBootstrap, "js-orders", "300"], workingDirectory: scripts, timeout: TimeSpan.FromSeconds(120));

        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(300, result.RootElement.GetProperty("read").GetInt32());
        Assert.Equal(300, result.RootElement.GetProperty("committed").GetInt32());
        Assert.Contains("js-orders-group", result.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));

        // The SDK sees the group KafkaJS committed for, with every record committed.
        await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = Silo.Bootstrap });
        await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
        var offsets = await admin.ListConsumerGroupOffsetsAsync("js-orders-group");
        Assert.Equal(300, offsets.Sum(o => o.Offset.Value));
    }
}
