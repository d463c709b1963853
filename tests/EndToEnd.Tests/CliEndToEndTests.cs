namespace Orlog.EndToEnd.Tests;

/// <summary>The real silo process driven by the real CLI, including a SIGKILL of the silo.</summary>
public sealed class CliEndToEndTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "orlog-e2e", Guid.NewGuid().ToString("N"));

    public CliEndToEndTests() => Directory.CreateDirectory(_temp);

    [Fact]
    public async Task RecordsSurviveASigkillOfTheSilo()
    {
        var data = Path.Combine(_temp, "data");
        var input = Path.Combine(_temp, "lines.txt");
        var lines = Enumerable.Range(0, 100_000).Select(i => $"record-{i:D6}-{new string('x', 80)}").ToArray();
        await File.WriteAllLinesAsync(input, lines);

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "e2e", "--partitions", "3"));
            Ok(await OrlogCli.RunAsync(silo.Bootstrap, "produce", "e2e", "--file", input));
            var consumed = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "e2e", "--from-beginning", "--max-messages", "100000", "--timeout-ms", "20000"));
            Assert.Equal(lines.Order(StringComparer.Ordinal), Lines(consumed).Order(StringComparer.Ordinal));
            await silo.KillAsync();
        }

        // Restarted on the same data directory after the SIGKILL: the topic and every record are back.
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            Assert.Equal("e2e", Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "list")).Trim());
            var consumed = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "e2e", "--from-beginning", "--max-messages", "100000", "--timeout-ms", "20000"));
            Assert.Equal(lines.Order(StringComparer.Ordinal), Lines(consumed).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task SettingsComeFromAPropertiesFileSharedByProducerAndConsumerAndXWins()
    {
        await using var silo = await SiloProcess.StartAsync(Path.Combine(_temp, "data"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "props"));
        var settings = Path.Combine(_temp, "client.properties");
        await File.WriteAllTextAsync(settings, """
            # One file for the producer and the consumer, as Kafka users keep it.
            ! librdkafka's and the Java client's names alike
            queue.buffering.max.ms: 0
            request.required.acks = all
            auto.offset.reset earliest
            heartbeat.interval.ms=3000
            """);
        var input = Path.Combine(_temp, "three.txt");
        await File.WriteAllLinesAsync(input, ["a", "b", "c"]);
        var produced = await OrlogCli.RunAsync(silo.Bootstrap, "produce", "props", "--file", input, "--producer.config", settings);
        Ok(produced);
        Assert.Contains("ignoring settings of other kinds of client: auto.offset.reset, heartbeat.interval.ms", produced.Stderr);

        // The file's auto.offset.reset=earliest applies: a new group reads from the beginning.
        var consumed = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "props", "--group", "from-file", "--max-messages", "3", "--timeout-ms", "20000",
            "--consumer.config", settings));
        Assert.Equal(["a", "b", "c"], Lines(consumed).Order(StringComparer.Ordinal));
        // -X wins over the file: latest, so nothing old arrives.
        var latest = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "props", "--group", "x-wins", "--max-messages", "1", "--timeout-ms", "3000",
            "-F", settings, "-X", "auto.offset.reset=latest"));
        Assert.Empty(Lines(latest));

        var missing = await OrlogCli.RunAsync(silo.Bootstrap, "topics", "list", "--command-config", Path.Combine(_temp, "nope.properties"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.properties", missing.Stderr);
        var typo = Path.Combine(_temp, "typo.properties");
        await File.WriteAllTextAsync(typo, "lnger.ms=5\n");
        var unknown = await OrlogCli.RunAsync(silo.Bootstrap, "topics", "list", "--command-config", typo);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Did you mean 'linger.ms'?", unknown.Stderr);
    }

    [Fact]
    public async Task ErrorsMapToTheDocumentedExitCodes()
    {
        await using var silo = await SiloProcess.StartAsync(Path.Combine(_temp, "data"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "codes"));
        var exists = await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "codes");
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("TOPIC_ALREADY_EXISTS", exists.Stderr);
        Assert.Empty(exists.Stdout);

        var unknown = await OrlogCli.RunAsync(silo.Bootstrap, "consume", "nope", "--max-messages", "1", "--timeout-ms", "1000");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", unknown.Stderr);

        var range = await OrlogCli.RunAsync(silo.Bootstrap, "consume", "codes", "--partition", "0", "--offset", "5");
        Assert.Equal(1, range.ExitCode);
        Assert.Contains("OFFSET_OUT_OF_RANGE", range.Stderr);
        Assert.Contains("0 to 0", range.Stderr);

        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create")).ExitCode);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "consume", "codes", "--format", "xml")).ExitCode);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "topics", "list", "-X", "no.such.setting=1")).ExitCode);

        var closed = await OrlogCli.RunAsync($"127.0.0.1:{FreePort.Next()}", "topics", "list", "-X", "socket.connection.setup.timeout.ms=2000");
        Assert.Equal(3, closed.ExitCode);
    }

    private static string Ok((int ExitCode, string Stdout, string Stderr) result)
    {
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        return result.Stdout;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
