using System.CommandLine;
using Orlog.Cli.Input;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog consume TOPIC`: prints records on stdout; exits after --max-messages records, after --timeout-ms without a
/// new one, or once every partition reached --end-offset (each a success), or on Ctrl-C / SIGTERM. Without --group
/// it reads the partitions itself (<see cref="PartitionConsume"/>); with --group it subscribes as a member of the
/// consumer group and commits what it printed (<see cref="GroupConsume"/>).
/// </summary>
internal static class ConsumeCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to read" };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the earliest offset (default: only new records)" };
        var group = new Option<string?>("--group", "-g") { Description = "Read as a member of this consumer group, committing what was printed" };
        var partitions = new Option<int[]>("--partition", "-p") { Description = "Read only this partition (repeatable)", AllowMultipleArgumentsPerToken = false };
        var offset = new Option<string?>("--offset")
        {
            Description = "Where to start: an offset (with --partition), earliest, latest, @<epoch-ms> or an ISO 8601 time (the first record at or after it)",
        };
        var endOffset = new Option<string?>("--end-offset")
        {
            Description = "Stop each partition before this position (an offset, latest for the end at start, @<epoch-ms> or an ISO 8601 time) and exit when all are done",
        };
        var maxMessages = new Option<long?>("--max-messages", "-n") { Description = "Exit after this many records" };
        var timeout = new Option<int?>("--timeout-ms") { Description = "Exit after this long without a new record" };
        var format = new Option<RecordFormat>("--format")
        {
            Description = "value (default), key-value (key, tab, value) or json (one object per line)",
            DefaultValueFactory = _ => RecordFormat.Value,
            CustomParser = result =>
            {
                switch (result.Tokens.Single().Value)
                {
                    case "value":
                        return RecordFormat.Value;
                    case "key-value":
                        return RecordFormat.KeyValue;
                    case "json":
                        return RecordFormat.Json;
                    case var other:
                        result.AddError($"--format {other}: use value, key-value or json.");
                        return RecordFormat.Value;
                }
            },
        };
        var properties = new Option<string[]>("--property")
        {
            Description = "The console consumer's output properties, key=value (repeatable): print.key, print.timestamp, print.partition, print.offset, "
                + "print.headers, print.value, key.separator, line.separator, headers.separator, null.literal",
            AllowMultipleArgumentsPerToken = false,
        };
        var template = new Option<string?>("--template", "-f")
        {
            Description = "kcat's format: %t topic, %p partition, %o offset, %T timestamp, %k key, %K key length, %s value, %S value length, %h headers, \\n",
        };
        var command = new Command("consume", "Read records from a topic")
        {
            topic, group, fromBeginning, partitions, offset, endOffset, maxMessages, timeout, format, properties, template,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(topic)!;
            var layout = RecordWriter.Layout(parse.GetValue(format), GlobalOptions.Pairs(parse.GetValue(properties), "--property"), parse.GetValue(template));
            using var writer = new RecordWriter(Console.OpenStandardOutput(), layout);
            if (parse.GetValue(group) is { } groupId)
            {
                if (parse.GetValue(partitions) is { Length: > 0 } || parse.GetValue(offset) is not null || parse.GetValue(endOffset) is not null)
                {
                    throw new ArgumentException("--partition, --offset and --end-offset do not go with --group: the group assigns the partitions and keeps the offsets.");
                }
                return await ConsumeInGroupAsync(parse, name, groupId, parse.GetValue(fromBeginning), parse.GetValue(maxMessages), parse.GetValue(timeout), writer, cancel);
            }
            var chosen = parse.GetValue(partitions) ?? [];
            var start = parse.GetValue(offset) is { } given ? OffsetArgument.Parse(given, "--offset")
                : new OffsetArgument(parse.GetValue(fromBeginning) ? OffsetKind.Earliest : OffsetKind.Latest, 0);
            if (start.Kind == OffsetKind.Offset && chosen.Length == 0)
            {
                throw new ArgumentException("--offset with an offset needs --partition: offsets are per partition.");
            }
            var end = parse.GetValue(endOffset) is { } last ? OffsetArgument.Parse(last, "--end-offset") : (OffsetArgument?)null;
            var config = GlobalOptions.Config(parse, new ConsumerConfig());
            await using var client = await OrlogClient.ConnectAsync(config, cancellationToken: cancel);
            await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync(cancel);
            await using var consumer = await new ConsumerBuilder<byte[]?, byte[]?>(config)
                .SetClient(client)
                .SetKeyDeserializer(Deserializers.ByteArray)
                .SetValueDeserializer(Deserializers.ByteArray)
                .BuildAsync(cancel);
            var run = await PartitionConsume.PlanAsync(admin, consumer, name, chosen, start, end, cancel);
            consumer.Assign(run.Starts);
            var consumed = run.Run(consumer, writer, parse.GetValue(maxMessages), parse.GetValue(timeout), cancel);
            Console.Error.WriteLine($"Processed a total of {consumed:N0} messages.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> ConsumeInGroupAsync(ParseResult parse, string topic, string groupId, bool fromBeginning, long? maxMessages, int? timeoutMs,
        RecordWriter writer, CancellationToken cancel)
    {
        var config = GlobalOptions.Config(parse, new ConsumerConfig());
        // The CLI stores and commits itself, only what it has printed (see GroupConsume), on auto.commit.interval.ms.
        var commitIntervalMs = config.AutoCommitIntervalMs;
        config.GroupId = groupId;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        if (fromBeginning)
        {
            config.AutoOffsetReset = AutoOffsetReset.Earliest;
        }
        await using var client = await OrlogClient.ConnectAsync(config, cancellationToken: cancel);
        await using (var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync(cancel))
        {
            // A group waits for a topic that does not exist; the CLI says so at once instead (UNKNOWN_TOPIC_OR_PARTITION).
            await admin.DescribeTopicAsync(topic, cancel);
        }
        var run = new GroupConsume(writer, commitIntervalMs);
        await using var consumer = await new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetClient(client)
            .SetKeyDeserializer(Deserializers.ByteArray)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetPartitionsRevokedHandler(run.OnRevoked)
            .SetPartitionsLostHandler(run.OnLost)
            .BuildAsync(cancel);
        // Ctrl-C and SIGTERM cancel (CommandRunner): the member commits what it printed and leaves the group.
        consumer.Subscribe(topic);
        var consumed = await run.RunAsync(consumer, maxMessages, timeoutMs, cancel);
        Console.Error.WriteLine($"Processed a total of {consumed:N0} messages.");
        return ExitCodes.Success;
    }

    internal static ConsumedRecord ToRecord(ConsumeResult<byte[]?, byte[]?> result)
    {
        var message = result.Message!;
        var headers = message.Headers is { Count: > 0 } present
            ? present.Select(h => (h.Key, h.Value is null ? (ReadOnlyMemory<byte>?)null : h.Value)).ToList()
            : [];
        return new ConsumedRecord(
            result.Topic,
            result.Partition,
            result.Offset.Value,
            message.Timestamp.UnixTimestampMs,
            message.Timestamp.Type == TimestampType.LogAppendTime ? "LogAppendTime" : "CreateTime",
            // A null array would become an empty (not a null) memory: the record's null must stay null.
            message.Key is null ? (ReadOnlyMemory<byte>?)null : message.Key,
            message.Value is null ? (ReadOnlyMemory<byte>?)null : message.Value,
            headers);
    }
}
