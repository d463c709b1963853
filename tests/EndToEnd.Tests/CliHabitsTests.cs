using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Orlog.Client;
using Orlog.EndToEnd.Tests.Confluent;

namespace Orlog.EndToEnd.Tests;

/// <summary>
/// The CLI as a Kafka or kcat user expects it: bytes pass through unchanged, null differs from empty, headers and
/// partitions on produce, the console consumer's properties and kcat's templates on consume, positions by time and
/// end offsets, options that do not apply refused, and Ctrl-C / SIGTERM ending every command cleanly.
/// </summary>
public sealed class CliHabitsTests(GroupsSiloFixture silo) : IClassFixture<GroupsSiloFixture>
{
    [Fact]
    public async Task Input_bytes_pass_through_unchanged_and_a_bare_key_separator_takes_no_argument()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "bytes", "--partitions", "1"));
        // Not UTF-8, a carriage return, and a tab between key and value; the option stands before the topic.
        byte[] first = [0xff, 0xfe, (byte)'\t', 0x00, 0x80, (byte)'\r'];
        byte[] second = [.. "k2\tv\u00e9"u8];
        var produced = await OrlogCli.RunBytesAsync(silo.Bootstrap, [.. first, (byte)'\n', .. second, (byte)'\n'], "produce", "--key-separator", "bytes");
        Assert.True(produced.ExitCode == 0, produced.Stderr);
        var consumed = await OrlogCli.RunBytesAsync(silo.Bootstrap, [], "consume", "bytes", "--from-beginning", "--end-offset", "latest", "-f", "%k|%s\\n");
        Assert.True(consumed.ExitCode == 0, consumed.Stderr);
        Assert.Equal([0xff, 0xfe, (byte)'|', 0x00, 0x80, (byte)'\r', (byte)'\n', .. "k2|v\u00e9\n"u8], consumed.Stdout);
    }

    [Fact]
    public async Task Whole_files_are_records_with_a_key_from_a_file()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "files", "--partitions", "1"));
        var directory = Directory.CreateTempSubdirectory("orlog-cli-files");
        try
        {
            var first = Path.Combine(directory.FullName, "first.bin");
            var second = Path.Combine(directory.FullName, "second.txt");
            var key = Path.Combine(directory.FullName, "key");
            await File.WriteAllBytesAsync(first, [0x01, (byte)'\n', 0xff]);
            await File.WriteAllTextAsync(second, "two\nlines");
            await File.WriteAllTextAsync(key, "K");
            Ok(await OrlogCli.RunAsync(silo.Bootstrap, "produce", "files", "--value-file", first, "--value-file", second, "--key-file", key));
            var consumed = await OrlogCli.RunBytesAsync(silo.Bootstrap, [], "consume", "files", "--from-beginning", "--end-offset", "latest", "-f", "%k:%S:%s;");
            Assert.True(consumed.ExitCode == 0, consumed.Stderr);
            Assert.Equal([.. "K:3:"u8, 0x01, (byte)'\n', 0xff, .. ";K:9:two\nlines;"u8], consumed.Stdout);
            Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "produce", "files", "--value-file", Path.Combine(directory.FullName, "missing"))).ExitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_null_marker_sends_nulls_and_null_prints_apart_from_empty()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "nulls", "--partitions", "1"));
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "a:NULL\nNULL:v\nb:\n", "produce", "nulls", "--key-separator=:", "--null-marker", "NULL"));
        var text = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "nulls", "--from-beginning", "--end-offset", "latest", "--format", "key-value"));
        Assert.Equal("a\tnull\nnull\tv\nb\t\n", text);
        var sizes = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "nulls", "--from-beginning", "--end-offset", "latest", "-f", "%K %S\\n"));
        Assert.Equal("1 -1\n-1 1\n1 0\n", sizes);
        var literal = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "nulls", "--from-beginning", "--end-offset", "latest",
            "--property", "print.key=true", "--property", "null.literal=<none>", "--property", "key.separator=="));
        Assert.Equal("a=<none>\n<none>=v\nb=\n", literal);
    }

    [Fact]
    public async Task Headers_and_a_partition_on_produce_show_with_the_console_consumers_properties()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "headers", "--partitions", "3"));
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "one\ntwo\n", "produce", "headers", "--partition", "2", "-H", "a=1", "--header", "b=x", "-H", "a=2"));
        var printed = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "headers", "--from-beginning", "--end-offset", "latest",
            "--property", "print.partition=true", "--property", "print.offset=true", "--property", "print.headers=true"));
        Assert.Equal("Partition:2\tOffset:0\ta:1,b:x,a:2\tone\nPartition:2\tOffset:1\ta:1,b:x,a:2\ttwo\n", printed);
        var timestamped = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "headers", "-p", "2", "--offset", "1", "--end-offset", "2",
            "--property", "print.timestamp=true"));
        Assert.StartsWith("CreateTime:", timestamped, StringComparison.Ordinal);
        Assert.EndsWith("\ttwo\n", timestamped, StringComparison.Ordinal);

        var missing = await OrlogCli.RunWithInputAsync(silo.Bootstrap, "x\n", "produce", "headers", "--partition", "7");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("UNKNOWN_TOPIC_OR_PARTITION", missing.Stderr);
    }

    [Fact]
    public async Task Consume_starts_at_a_time_stops_at_an_end_offset_and_reads_several_partitions()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "times", "--partitions", "3"));
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "p0-a\np0-b\np0-c\n", "produce", "times", "-p", "0"));
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20); // timestamps are milliseconds: the next records are strictly after "between"
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "p0-d\n", "produce", "times", "-p", "0"));
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "p1-a\n", "produce", "times", "-p", "1"));
        Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "p2-a\n", "produce", "times", "-p", "2"));

        var after = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "times", "--offset", between.ToString("O"), "--end-offset", "latest"));
        Assert.Equal(["p0-d", "p1-a", "p2-a"], Lines(after).Order(StringComparer.Ordinal));
        var byEpoch = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "times", "-p", "0", "--offset", $"@{between.ToUnixTimeMilliseconds()}", "--end-offset", "latest"));
        Assert.Equal(["p0-d"], Lines(byEpoch));
        var firstTwo = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "times", "-p", "0", "--from-beginning", "--end-offset", "2"));
        Assert.Equal(["p0-a", "p0-b"], Lines(firstTwo));
        var twoPartitions = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "times", "-p", "1", "-p", "2", "--from-beginning", "--end-offset", "latest"));
        Assert.Equal(["p1-a", "p2-a"], Lines(twoPartitions).Order(StringComparer.Ordinal));
        var future = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "times", "--offset", "@" + DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(), "--end-offset", "latest"));
        Assert.Empty(future);
    }

    [Fact]
    public async Task Options_a_command_does_not_take_are_refused()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "refusals"));
        var output = await OrlogCli.RunAsync(silo.Bootstrap, "consume", "refusals", "--output", "json", "--timeout-ms", "100");
        Assert.Equal(2, output.ExitCode);
        Assert.Contains("--output", output.Stderr);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "consume", "refusals", "--property", "print.colour=true", "--timeout-ms", "100")).ExitCode);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "consume", "refusals", "--format", "json", "--property", "print.key=true")).ExitCode);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "consume", "refusals", "--offset", "yesterday")).ExitCode);
        Assert.Equal(2, (await OrlogCli.RunAsync(silo.Bootstrap, "consume", "refusals", "-f", "%x")).ExitCode);
        // Listings still take it.
        Assert.StartsWith("[", Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "list", "--output", "json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ends_a_consume_and_ctrl_c_a_produce_that_says_what_was_acknowledged()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "signals", "--partitions", "1"));
        using (var consume = OrlogCli.Start(silo.Bootstrap, "consume", "signals", "--from-beginning"))
        {
            var stderr = consume.StandardError.ReadToEndAsync();
            Ok(await OrlogCli.RunWithInputAsync(silo.Bootstrap, "hello\n", "produce", "signals"));
            Assert.Equal("hello", await consume.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await OrlogCli.SignalAsync(consume, "TERM");
            await consume.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, consume.ExitCode);
            Assert.Contains("Processed a total of 1 messages", await stderr);
        }

        using var produce = OrlogCli.Start(silo.Bootstrap, "produce", "signals");
        var produceErrors = produce.StandardError.ReadToEndAsync();
        await produce.StandardInput.WriteAsync("a\nb\nc\n");
        await produce.StandardInput.FlushAsync();
        // stdin stays open, as at a terminal: the three records arrive (linger.ms) before Ctrl-C.
        await using (var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = silo.Bootstrap }))
        await using (var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync())
        {
            var deadline = Stopwatch.StartNew();
            while ((await admin.DescribeTopicAsync("signals")).Partitions[0].HighWatermark < 4)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the produce's records did not arrive");
                await Task.Delay(50);
            }
        }
        await OrlogCli.SignalAsync(produce, "INT");
        await produce.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, produce.ExitCode);
        Assert.Contains("Interrupted: 3 of 3 records acknowledged", await produceErrors);
    }

    [Fact]
    public async Task The_READMEs_SDK_examples_compile_and_run_as_written()
    {
        var readme = File.ReadAllText(FindUp("README.md"));
        var examples = Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, examples.Count);
        // The README's CLI lines make the topic first.
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "orders", "--partitions", "3"));
        for (var i = 0; i < examples.Count; i++)
        {
            var source = examples[i].Replace("127.0.0.1:30000", silo.Bootstrap, StringComparison.Ordinal);
            var (image, errors) = ProgramCompiler.Compile($"readme-{i}", source, againstConfluent: false, OutputKind.ConsoleApplication);
            Assert.True(image is not null, $"README example {i + 1} does not compile:\n{string.Join("\n", errors)}");
            await ProgramCompiler.RunMainAsync(image!, $"readme-{i}").WaitAsync(TimeSpan.FromSeconds(60));
        }
        // The first wrote a record and read it back; the group example joined "billing" (from the latest offset, as
        // written, so it waited for new records) and left it when none came.
        await using var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = silo.Bootstrap });
        await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync();
        Assert.Equal(1, (await admin.DescribeTopicAsync("orders")).Partitions.Sum(p => p.HighWatermark));
        var group = await admin.DescribeConsumerGroupAsync("billing");
        Assert.Equal((ConsumerGroupState.Empty, 0), (group.State, group.Members.Count));
    }

    private static string FindUp(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, file)))
            {
                return Path.Combine(directory.FullName, file);
            }
        }
        throw new FileNotFoundException($"{file} not found above {AppContext.BaseDirectory}");
    }

    private static string Ok((int ExitCode, string Stdout, string Stderr) result)
    {
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        return result.Stdout;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
