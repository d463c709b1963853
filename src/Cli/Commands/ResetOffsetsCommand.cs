using System.CommandLine;
using System.Globalization;
using Orlog.Cli.Output;
using Orlog.Client;
using Orlog.Client.Admin;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog groups reset-offsets GROUP (--topic T[:p,...]... | --all-topics) SCENARIO [--execute]`: prints the plan
/// (GROUP, TOPIC, PARTITION, NEW-OFFSET) and commits it only with --execute, and only while the group is inactive.
/// </summary>
internal static class ResetOffsetsCommand
{
    public static Command Create(Argument<string> group)
    {
        var topics = new Option<string[]>("--topic", "-t") { Description = "A topic, or topic:p,p,... for some partitions (repeatable)", AllowMultipleArgumentsPerToken = false };
        var allTopics = new Option<bool>("--all-topics") { Description = "Every topic the group has committed offsets for" };
        var toEarliest = new Option<bool>("--to-earliest") { Description = "Reset to the log start offset" };
        var toLatest = new Option<bool>("--to-latest") { Description = "Reset to the log end offset" };
        var toDatetime = new Option<string?>("--to-datetime") { Description = "Reset to the first record at or after an ISO 8601 time (local time without a zone), e.g. 2025-01-31T12:00:00Z" };
        var shiftBy = new Option<long?>("--shift-by") { Description = "Move the committed offset by N (negative: back)" };
        var toOffset = new Option<long?>("--to-offset") { Description = "Reset to this offset" };
        var execute = new Option<bool>("--execute") { Description = "Commit the new offsets (without it, only the plan is printed)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the plan (the default)" };
        var command = new Command("reset-offsets", "Move an inactive group's committed offsets; prints the plan, applies it with --execute")
        {
            group, topics, allTopics, toEarliest, toLatest, toDatetime, shiftBy, toOffset, execute, dryRun,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var scenarios = new List<(OffsetResetScenario Scenario, long Value)>();
            if (parse.GetValue(toEarliest))
            {
                scenarios.Add((OffsetResetScenario.ToEarliest, 0));
            }
            if (parse.GetValue(toLatest))
            {
                scenarios.Add((OffsetResetScenario.ToLatest, 0));
            }
            if (parse.GetValue(toDatetime) is { } datetime)
            {
                scenarios.Add((OffsetResetScenario.ToDatetime, ParseDatetime(datetime)));
            }
            if (parse.GetValue(shiftBy) is { } shift)
            {
                scenarios.Add((OffsetResetScenario.ShiftBy, shift));
            }
            if (parse.GetValue(toOffset) is { } offset)
            {
                scenarios.Add((OffsetResetScenario.ToOffset, offset >= 0 ? offset : throw new ArgumentException($"--to-offset {offset}: an offset is 0 or more.")));
            }
            if (scenarios.Count != 1)
            {
                throw new ArgumentException("reset-offsets: give exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset.");
            }
            var selected = parse.GetValue(topics) ?? [];
            if (selected.Length > 0 == parse.GetValue(allTopics))
            {
                throw new ArgumentException("reset-offsets: give --topic (repeatable) or --all-topics.");
            }
            if (parse.GetValue(execute) && parse.GetValue(dryRun))
            {
                throw new ArgumentException("reset-offsets: --execute and --dry-run contradict each other.");
            }
            var requests = selected.Select(ParseTopic).ToList();
            var groupId = parse.GetValue(group)!;

            await using var admin = await GroupsCommand.Admin(parse, cancel);
            await CheckInactiveAsync(admin, groupId, cancel);
            var committed = (await admin.ListConsumerGroupOffsetsAsync(groupId, cancellationToken: cancel)).ToDictionary(o => o.TopicPartition, o => o.Offset.Value);
            if (parse.GetValue(allTopics))
            {
                requests = [.. committed.Keys.GroupBy(p => p.Topic).Select(t => (t.Key, (int[]?)[.. t.Select(p => p.Partition)]))];
            }
            var (scenario, value) = scenarios[0];
            var plan = await PlanAsync(admin, requests, scenario, value, committed, cancel);

            var rows = plan.Select(p => new[] { groupId, p.Topic, GroupsCommand.Number(p.Partition), GroupsCommand.Number(p.Offset.Value) }).ToList<string?[]>();
            Listing.Write(parse.GetValue(GlobalOptions.Output), ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"], rows,
                plan.Select(p => new ResetRow(groupId, p.Topic, p.Partition, p.Offset.Value)).ToList());
            if (parse.GetValue(execute))
            {
                await admin.AlterConsumerGroupOffsetsAsync(groupId, plan, cancel);
                Console.Error.WriteLine($"Reset the offsets of consumer group '{groupId}' on {plan.Count} partition(s).");
            }
            else
            {
                Console.Error.WriteLine("Dry run: nothing was changed. Add --execute to commit these offsets.");
            }
            return ExitCodes.Success;
        });
        return command.WithOutput();
    }

    /// <summary>Refuses a group with members: their positions would overwrite the reset (a group that does not exist yet is fine).</summary>
    private static async Task CheckInactiveAsync(IAdminClient admin, string groupId, CancellationToken cancel)
    {
        string state;
        try
        {
            state = (await admin.DescribeConsumerGroupAsync(groupId, cancel)).State.ToString();
        }
        catch (KafkaException error) when (error.Code == ErrorCode.GroupIdNotFound)
        {
            return;
        }
        if (state != "Empty")
        {
            throw new KafkaException(ErrorCode.NonEmptyGroup, $"Assignments can only be reset if the group '{groupId}' is inactive, but the current state is {state}.");
        }
    }

    private static async Task<List<TopicPartitionOffset>> PlanAsync(IAdminClient admin, List<(string Topic, int[]? Partitions)> requests,
        OffsetResetScenario scenario, long value, Dictionary<TopicPartition, long> committed, CancellationToken cancel)
    {
        var partitions = new List<(TopicPartition Partition, long Start, long End)>();
        foreach (var (topic, numbers) in requests)
        {
            var description = await admin.DescribeTopicAsync(topic, cancel);
            foreach (var number in numbers ?? [.. description.Partitions.Select(p => p.Partition)])
            {
                var found = description.Partitions.FirstOrDefault(p => p.Partition == number)
                    ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' has no partition {number}; it has {description.Partitions.Count}.");
                partitions.Add((new TopicPartition(topic, number), found.LogStartOffset, found.HighWatermark));
            }
        }
        var forTimestamp = new Dictionary<TopicPartition, long>();
        if (scenario == OffsetResetScenario.ToDatetime && partitions.Count > 0)
        {
            var asked = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p.Partition, OffsetSpec = OffsetSpec.ForTimestamp(value) });
            var found = await admin.ListOffsetsAsync(asked, cancellationToken: cancel);
            foreach (var offset in found.ResultInfos)
            {
                forTimestamp[offset.TopicPartitionOffsetError.TopicPartition] = offset.TopicPartitionOffsetError.Offset.Value;
            }
        }
        var plan = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var (partition, start, end) in partitions.Distinct().OrderBy(p => p.Partition.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Partition))
        {
            long? current = committed.TryGetValue(partition, out var offset) ? offset : null;
            plan.Add(new TopicPartitionOffset(partition, OffsetReset.NewOffset(scenario, value, current, start, end, forTimestamp.GetValueOrDefault(partition, -1))));
        }
        return plan;
    }

    /// <summary>topic, or topic:0,1,2 (a topic name never holds ':').</summary>
    private static (string Topic, int[]? Partitions) ParseTopic(string value)
    {
        var at = value.IndexOf(':', StringComparison.Ordinal);
        if (at < 0)
        {
            return (value, null);
        }
        var numbers = value[(at + 1)..].Split(',', StringSplitOptions.TrimEntries);
        var partitions = new int[numbers.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            if (!int.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out partitions[i]))
            {
                throw new ArgumentException($"--topic {value}: expected topic or topic:partition,partition,...");
            }
        }
        return (value[..at], partitions);
    }

    /// <summary>ISO 8601; without a zone the time is local, as in Kafka's tool.</summary>
    private static long ParseDatetime(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new ArgumentException($"--to-datetime {value}: expected an ISO 8601 time such as 2025-01-31T12:00:00Z or 2025-01-31T12:00:00.000+01:00.");

    /// <summary>A row of the plan in JSON.</summary>
    private sealed record ResetRow(string Group, string Topic, int Partition, long NewOffset);
}
