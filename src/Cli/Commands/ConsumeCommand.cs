using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog consume TOPIC`: prints records on stdout; exits after --max-messages records or after --timeout-ms
/// without a new one (both a success), or on Ctrl-C / SIGTERM. Without --group it assigns itself the partitions;
/// with --group it subscribes as a member of the consumer group and commits what it printed (<see cref="GroupConsume"/>).
/// </summary>
internal static class ConsumeCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to read" };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the earliest offset (default: only new records)" };
        var group = new Option<string?>("--group", "-g") { Description = "Read as a member of this consumer group, committing what was printed" };
        var partition = new Option<int?>("--partition", "-p") { Description = "Read only this partition" };
        var offset = new Option<string?>("--offset") { Description = "With --partition: a number, earliest or latest" };
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
        var command = new Command("consume", "Read records from a topic") { topic, group, fromBeginning, partition, offset, maxMessages, timeout, format };
        command.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(topic)!;
            if (parse.GetValue(group) is { } groupId)
            {
                if (parse.GetValue(partition) is not null || parse.GetValue(offset) is not null)
                {
                    throw new ArgumentException("--partition and --offset do not go with --group: the group assigns the partitions and keeps the offsets.");
                }
                return await ConsumeInGroupAsync(parse, name, groupId, parse.GetValue(fromBeginning), parse.GetValue(maxMessages), parse.GetValue(timeout), parse.GetValue(format),
                    cancel);
            }
            if (parse.GetValue(offset) is not null && parse.GetValue(partition) is null)
            {
                throw new ArgumentException("--offset needs --partition.");
            }
            var config = GlobalOptions.Config(parse, new ConsumerConfig());
            await using var client = await OrlogClient.ConnectAsync(config, cancellationToken: cancel);
            await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync(cancel);
            var start = await StartingOffsets(admin, name, parse.GetValue(partition), parse.GetValue(offset), parse.GetValue(fromBeginning), cancel);
            await using var consumer = await new ConsumerBuilder<byte[]?, byte[]?>(config)
                .SetClient(client)
                .SetKeyDeserializer(Deserializers.ByteArray)
                .SetValueDeserializer(Deserializers.ByteArray)
                .BuildAsync(cancel);
            consumer.Assign(start);
            using var writer = new RecordWriter(Console.OpenStandardOutput(), parse.GetValue(format));
            var consumed = Consume(consumer, writer, parse.GetValue(maxMessages), parse.GetValue(timeout), cancel);
            Console.Error.WriteLine($"Processed a total of {consumed:N0} messages.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> ConsumeInGroupAsync(ParseResult parse, string topic, string groupId, bool fromBeginning, long? maxMessages, int? timeoutMs,
        RecordFormat format, CancellationToken cancel)
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
        using var writer = new RecordWriter(Console.OpenStandardOutput(), format);
        var run = new GroupConsume(writer, commitIntervalMs);
        await using var consumer = await new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetClient(client)
            .SetKeyDeserializer(Deserializers.ByteArray)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetPartitionsRevokedHandler(run.OnRevoked)
            .SetPartitionsLostHandler(run.OnLost)
            .BuildAsync(cancel);
        // SIGTERM ends a member as Ctrl-C does: it commits what it printed and leaves the group. A second one kills it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        });
        consumer.Subscribe(topic);
        var consumed = await run.RunAsync(consumer, maxMessages, timeoutMs, stop.Token);
        Console.Error.WriteLine($"Processed a total of {consumed:N0} messages.");
        return ExitCodes.Success;
    }

    private static long Consume(IConsumer<byte[]?, byte[]?> consumer, RecordWriter writer, long? maxMessages, int? timeoutMs, CancellationToken cancel)
    {
        long count = 0;
        var idle = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : Timeout.InfiniteTimeSpan;
        while (!cancel.IsCancellationRequested && (maxMessages is null || count < maxMessages))
        {
            // Hand what is printed to the pipe before waiting, so a reader downstream is never kept waiting.
            var result = consumer.Consume(TimeSpan.Zero);
            if (result is null)
            {
                writer.Flush();
                try
                {
                    result = idle == Timeout.InfiniteTimeSpan ? consumer.Consume(cancel) : consumer.Consume(idle);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                if (result is null)
                {
                    break;
                }
            }
            if (result.IsPartitionEOF || result.Message is null)
            {
                continue;
            }
            writer.Write(ToRecord(result));
            count++;
        }
        writer.Flush();
        return count;
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
            message.Key,
            message.Value,
            headers);
    }

    private static async Task<List<TopicPartitionOffset>> StartingOffsets(IAdminClient admin, string topic, int? partition, string? offset, bool fromBeginning, CancellationToken cancel)
    {
        var description = await admin.DescribeTopicAsync(topic, cancel);
        if (partition is { } p)
        {
            var found = description.Partitions.FirstOrDefault(d => d.Partition == p)
                ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' has no partition {p}; it has {description.Partitions.Count}.");
            return [new TopicPartitionOffset(topic, p, ParseOffset(offset, fromBeginning, found))];
        }
        var start = fromBeginning ? Offset.Beginning : Offset.End;
        return [.. description.Partitions.Select(d => new TopicPartitionOffset(topic, d.Partition, start))];
    }

    private static Offset ParseOffset(string? offset, bool fromBeginning, TopicPartitionInfo partition) => offset switch
    {
        null => fromBeginning ? Offset.Beginning : Offset.End,
        "earliest" => Offset.Beginning,
        "latest" => Offset.End,
        _ when long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var number) =>
            number < partition.LogStartOffset || number > partition.HighWatermark
                ? throw new KafkaException(ErrorCode.OffsetOutOfRange,
                    $"Offset {number} is outside partition {partition.Partition}'s range: valid offsets are {partition.LogStartOffset} to {partition.HighWatermark}.")
                : new Offset(number),
        _ => throw new ArgumentException($"--offset {offset}: use a number, earliest or latest."),
    };
}
