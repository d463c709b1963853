using System.Text.Json;

namespace Orlog.EndToEnd.Tests;

/// <summary>Consumer groups through the real silo and the real CLI: members that die, and the groups commands.</summary>
public sealed class GroupsEndToEndTests(GroupsSiloFixture silo) : IClassFixture<GroupsSiloFixture>
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASurvivorTakesOverFromAKilledMemberAndNothingIsSkipped()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "takeover", "--partitions", "4"));
        var produced = new List<string>();
        await ProduceAsync("takeover", produced, 1000);

        string[] member = ["consume", "takeover", "--group", "takeover-g", "--from-beginning", "--format", "json",
            "-X", "session.timeout.ms=3000", "-X", "auto.commit.interval.ms=1000"];
        await using var survivor = GroupConsumerProcess.Start(silo.Bootstrap, Path.Combine(silo.Directory, "survivor.json"), member);
        await using var victim = GroupConsumerProcess.Start(silo.Bootstrap, Path.Combine(silo.Directory, "victim.json"), member);

        // Keep producing until the group has shared the partitions and both members printed records.
        await Until(async () =>
        {
            await ProduceAsync("takeover", produced, 200);
            return survivor.Records().Count > 0 && victim.Records().Count > 0;
        }, () => $"both members consumed (survivor: {survivor.Stderr}; victim: {victim.Stderr})");

        await victim.KillAsync();
        var printedBeforeKill = survivor.Records().Count;
        await ProduceAsync("takeover", produced, 1000);

        // The survivor gets the dead member's partitions once its session expires, from their last commit.
        await Until(() => Task.FromResult(Missing(produced, survivor, victim).Count == 0),
            () => $"every record was consumed; {Missing(produced, survivor, victim).Count} missing; survivor: {survivor.Stderr}");
        Assert.Equal(0, await survivor.TerminateAsync(TimeSpan.FromSeconds(15)));

        var afterKill = survivor.Records().Skip(printedBeforeKill).Select(r => r.Partition).ToHashSet();
        Assert.Equal([0, 1, 2, 3], afterKill.Order());
        Assert.Empty(Missing(produced, survivor, victim));

        // The survivor committed what it printed before it left: no lag anywhere.
        await Until(async () =>
        {
            var partitions = DescribedPartitions(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", "takeover-g", "--output", "json")));
            return partitions.Count == 4 && partitions.All(p => p.Lag == 0);
        }, () => "the group's lag is 0 on every partition");
        var (code, table, state) = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", "takeover-g");
        Assert.Equal(0, code);
        Assert.Contains("Consumer group 'takeover-g' has no active members.", state);
        var rows = PlainRows(table);
        Assert.Equal(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"], rows[0]);
        Assert.Equal(4, rows.Count - 1);
        Assert.All(rows.Skip(1), row => Assert.Equal(("takeover-g", "takeover", row[4], "0", "-"), (row[0], row[1], row[3], row[5], row[6])));
    }

    [Fact]
    public async Task GroupsCommandsListDescribeResetAndDelete()
    {
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "reset", "--partitions", "2"));
        await ProduceAsync("reset", [], 40);
        var ends = LogEnds(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "topics", "describe", "reset", "--output", "json")));
        Assert.Equal(40, ends.Sum());
        Assert.All(ends, end => Assert.True(end > 0, "both partitions have records"));

        var consumed = Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "reset", "--group", "reset-g", "--from-beginning", "--max-messages", "40", "--timeout-ms", "10000"));
        Assert.Equal(40, consumed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Consumer settings pass through -X, with and without a group.
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "consume", "reset", "--from-beginning", "--max-messages", "1", "-X", "fetch.min.bytes=1"));

        // A session the coordinator does not allow is the group's refusal: exit 1, naming the error.
        var shortSession = await OrlogCli.RunAsync(silo.Bootstrap, "consume", "reset", "--group", "reset-short", "--timeout-ms", "10000", "-X", "session.timeout.ms=100");
        Assert.True(shortSession.ExitCode == 1, $"exit code {shortSession.ExitCode}; stderr: {shortSession.Stderr}");
        Assert.Contains("INVALID_SESSION_TIMEOUT", shortSession.Stderr);

        var listed = PlainRows(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "list")));
        Assert.Equal(["GROUP", "TYPE", "STATE"], listed[0]);
        Assert.Contains(listed, row => row[0] == "reset-g" && row[2] == "Empty");
        using (var json = JsonDocument.Parse(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "list", "--output", "json"))))
        {
            Assert.Contains(json.RootElement.EnumerateArray(), g => g.GetProperty("groupId").GetString() == "reset-g" && g.GetProperty("state").GetString() == "Empty");
        }
        Assert.Equal(ends, await CommittedAsync("reset-g"));

        // A dry run prints the plan and changes nothing.
        var plan = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-earliest");
        Assert.Equal(0, plan.ExitCode);
        Assert.Equal([["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"], ["reset-g", "reset", "0", "0"], ["reset-g", "reset", "1", "0"]], PlainRows(plan.Stdout));
        Assert.Contains("--execute", plan.Stderr);
        Assert.Equal(ends, await CommittedAsync("reset-g"));

        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-earliest", "--execute"));
        Assert.Equal(new[] { 0L, 0L }, await CommittedAsync("reset-g"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset:1", "--shift-by", "3", "--execute"));
        Assert.Equal(new[] { 0L, Math.Min(3, ends[1]) }, await CommittedAsync("reset-g"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--all-topics", "--shift-by", "-100", "--execute"));
        Assert.Equal(new[] { 0L, 0L }, await CommittedAsync("reset-g"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset:0", "--to-offset", "1000000", "--execute"));
        Assert.Equal(new[] { ends[0], 0L }, await CommittedAsync("reset-g"));
        var future = PlainRows(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-datetime", "2100-01-01T00:00:00Z")));
        Assert.Equal(ends.Select(e => e.ToString()), future.Skip(1).Select(row => row[3]));
        var past = PlainRows(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-datetime", "2000-01-01T00:00:00Z")));
        Assert.Equal(["0", "0"], past.Skip(1).Select(row => row[3]));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--all-topics", "--to-latest", "--execute"));
        Assert.Equal(ends, await CommittedAsync("reset-g"));

        foreach (var usage in new[]
        {
            new[] { "groups", "reset-offsets", "reset-g", "--topic", "reset" },
            ["groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-earliest", "--to-latest"],
            ["groups", "reset-offsets", "reset-g", "--to-earliest"],
            ["groups", "reset-offsets", "reset-g", "--topic", "reset", "--all-topics", "--to-earliest"],
            ["groups", "reset-offsets", "reset-g", "--topic", "reset:x", "--to-earliest"],
            ["groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-datetime", "yesterday"],
            ["consume", "reset", "--group", "reset-g", "--partition", "0"],
        })
        {
            var result = await OrlogCli.RunAsync(silo.Bootstrap, usage);
            Assert.True(result.ExitCode == 2, $"orlog {string.Join(' ', usage)}: exit code {result.ExitCode}, stderr {result.Stderr}");
        }

        // While a member is in the group, reset-offsets and delete are refused.
        await using (var member = GroupConsumerProcess.Start(silo.Bootstrap, Path.Combine(silo.Directory, "member.json"), "consume", "reset", "--group", "reset-g", "--format", "json"))
        {
            await Until(async () =>
            {
                var result = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", "reset-g", "--members");
                return result.ExitCode == 0 && PlainRows(result.Stdout) is { Count: 2 } rows && rows[1][5] == "2";
            }, () => $"the member owns both partitions; member: {member.Stderr}");
            var members = PlainRows(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", "reset-g", "--members")));
            Assert.Equal(["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"], members[0]);
            Assert.Equal(("reset-g", "-", "2", "reset(0,1)"), (members[1][0], members[1][2], members[1][5], members[1][6]));

            var refused = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "reset-offsets", "reset-g", "--topic", "reset", "--to-earliest", "--execute");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("Assignments can only be reset if the group 'reset-g' is inactive", refused.Stderr);
            Assert.Empty(refused.Stdout);
            var busy = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "delete", "reset-g");
            Assert.Equal(1, busy.ExitCode);
            Assert.Contains("NON_EMPTY_GROUP", busy.Stderr);
            Assert.Equal(0, await member.TerminateAsync(TimeSpan.FromSeconds(15)));
        }
        Assert.Equal(ends, await CommittedAsync("reset-g"));

        var deleted = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "delete", "reset-g");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("Deletion of requested consumer groups ('reset-g') was successful.", deleted.Stderr);
        Assert.Empty(deleted.Stdout);
        var gone = await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", "reset-g");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("GROUP_ID_NOT_FOUND", gone.Stderr);
        Assert.Contains("Consumer group 'reset-g' does not exist.", gone.Stderr);
        Assert.DoesNotContain(PlainRows(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "list"))), row => row[0] == "reset-g");
    }

    /// <summary>Produces <paramref name="count"/> keyed records (spread over the partitions by key) and remembers their values.</summary>
    private async Task ProduceAsync(string topic, List<string> produced, int count)
    {
        var file = Path.Combine(silo.Directory, $"{topic}-{produced.Count}.txt");
        var values = Enumerable.Range(produced.Count, count).Select(i => $"{topic}-{i:D6}").ToList();
        await File.WriteAllLinesAsync(file, values.Select(v => $"k{v}\t{v}"));
        Ok(await OrlogCli.RunAsync(silo.Bootstrap, "produce", topic, "--file", file, "--key-separator"));
        produced.AddRange(values);
    }

    private static List<string> Missing(List<string> produced, GroupConsumerProcess a, GroupConsumerProcess b)
    {
        var seen = a.Records().Concat(b.Records()).Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
        return [.. produced.Where(v => !seen.Contains(v))];
    }

    private async Task<long[]> CommittedAsync(string group) =>
        [.. DescribedPartitions(Ok(await OrlogCli.RunAsync(silo.Bootstrap, "groups", "describe", group, "--output", "json"))).Select(p => p.Current)];

    private static List<(int Partition, long Current, long? Lag)> DescribedPartitions(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("partitions").EnumerateArray().Select(p => (
            p.GetProperty("topicPartition").GetProperty("partition").GetInt32(),
            p.GetProperty("currentOffset").GetInt64(),
            p.GetProperty("lag").ValueKind == JsonValueKind.Null ? (long?)null : p.GetProperty("lag").GetInt64()))];
    }

    private static long[] LogEnds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("highWatermark").GetInt64())];
    }

    private static List<string[]> PlainRows(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    private static async Task Until(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + _deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what()}.");
            await Task.Delay(100);
        }
    }

    private static string Ok((int ExitCode, string Stdout, string Stderr) result)
    {
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        return result.Stdout;
    }
}
