using Orlog.Cli.Input;
using Orlog.Cli.Output;
using Orlog.Client;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog consume TOPIC` without --group: reads the chosen partitions (all by default) from a start to an optional
/// end, each resolved to an offset before reading: earliest, latest, an offset, or the first record at or after a
/// time. With an end the command exits once every partition reached it (the records before it printed, none after).
/// </summary>
internal sealed class PartitionConsume
{
    private readonly Dictionary<int, long> _ends;
    private readonly HashSet<int> _open;

    private PartitionConsume(List<TopicPartitionOffset> starts, Dictionary<int, long> ends)
    {
        Starts = starts;
        _ends = ends;
        _open = [.. starts.Where(s => !ends.TryGetValue(s.Partition, out var end) || s.Offset.Value < end).Select(s => s.Partition.Value)];
    }

    /// <summary>Where each partition starts, as offsets.</summary>
    public List<TopicPartitionOffset> Starts { get; }

    /// <summary>Resolves the partitions, their starts and their ends against the topic as it is now.</summary>
    public static async Task<PartitionConsume> PlanAsync(IAdminClient admin, IConsumer<byte[]?, byte[]?> consumer, string topic, int[] partitions, OffsetArgument start,
        OffsetArgument? end, CancellationToken cancel)
    {
        var description = await admin.DescribeTopicAsync(topic, cancel);
        var chosen = new List<TopicPartitionInfo>();
        foreach (var number in partitions.Length == 0 ? description.Partitions.Select(p => p.Partition) : partitions.Distinct())
        {
            chosen.Add(description.Partitions.FirstOrDefault(d => d.Partition == number)
                ?? throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' has no partition {number}; it has {description.Partitions.Count}."));
        }
        var starts = await ResolveAsync(consumer, topic, chosen, start, "--offset", cancel);
        var ends = end is { } given ? await ResolveAsync(consumer, topic, chosen, given, "--end-offset", cancel) : [];
        return new PartitionConsume(
            [.. chosen.Select(p => new TopicPartitionOffset(topic, p.Partition, starts[p.Partition]))],
            end is null ? [] : ends);
    }

    /// <summary>Prints records until --max-messages, --timeout-ms without one, every partition at its end, or cancellation.</summary>
    public long Run(IConsumer<byte[]?, byte[]?> consumer, RecordWriter writer, long? maxMessages, int? timeoutMs, CancellationToken cancel)
    {
        long count = 0;
        while (_open.Count > 0 && !cancel.IsCancellationRequested && (maxMessages is null || count < maxMessages))
        {
            // Hand what is printed to the pipe before waiting, so a reader downstream is never kept waiting.
            var result = consumer.Consume(TimeSpan.Zero);
            if (result is null)
            {
                writer.Flush();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                if (timeoutMs is { } idleMs)
                {
                    wait.CancelAfter(idleMs);
                }
                try
                {
                    result = consumer.Consume(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (result is null || result.IsPartitionEOF || result.Message is null)
            {
                continue;
            }
            var partition = result.Partition.Value;
            var hasEnd = _ends.TryGetValue(partition, out var end);
            if (hasEnd && result.Offset.Value >= end)
            {
                Close(consumer, result.TopicPartition);
                continue;
            }
            writer.Write(ConsumeCommand.ToRecord(result));
            count++;
            if (hasEnd && result.Offset.Value + 1 >= end)
            {
                Close(consumer, result.TopicPartition);
            }
        }
        writer.Flush();
        return count;
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        consumer.Pause([partition]);
        _open.Remove(partition.Partition.Value);
    }

    private static async Task<Dictionary<int, long>> ResolveAsync(IConsumer<byte[]?, byte[]?> consumer, string topic, List<TopicPartitionInfo> partitions,
        OffsetArgument position, string option, CancellationToken cancel)
    {
        var offsets = new Dictionary<int, long>(partitions.Count);
        if (position.Kind == OffsetKind.Time)
        {
            var asked = partitions.Select(p => new TopicPartitionTimestamp(topic, p.Partition, new Timestamp(position.Value, TimestampType.CreateTime))).ToList();
            var found = await Task.Run(() => consumer.OffsetsForTimes(asked, TimeSpan.FromSeconds(30)), cancel);
            foreach (var partition in partitions)
            {
                // No record at or after the time: the partition's end.
                var offset = found.FirstOrDefault(f => f.Partition == partition.Partition)?.Offset ?? Offset.End;
                offsets[partition.Partition] = offset.Value >= 0 ? offset.Value : partition.HighWatermark;
            }
            return offsets;
        }
        foreach (var partition in partitions)
        {
            offsets[partition.Partition] = position.Kind switch
            {
                OffsetKind.Earliest => partition.LogStartOffset,
                OffsetKind.Latest => partition.HighWatermark,
                _ when option == "--offset" && (position.Value < partition.LogStartOffset || position.Value > partition.HighWatermark) =>
                    throw new KafkaException(ErrorCode.OffsetOutOfRange,
                        $"Offset {position.Value} is outside partition {partition.Partition}'s range: valid offsets are {partition.LogStartOffset} to {partition.HighWatermark}."),
                _ => position.Value,
            };
        }
        return offsets;
    }
}
