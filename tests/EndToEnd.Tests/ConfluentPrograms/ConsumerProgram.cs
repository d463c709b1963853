// A consumer written for Confluent.Kafka, in the style of its README and examples (see ProducerProgram.cs).
using Confluent.Kafka;

public static class ConsumerProgram
{
    /// <summary>Reads the <paramref name="expected"/> records of a two-partition topic as a group member, then by hand.</summary>
    public static async Task RunAsync(string bootstrapServers, string topic, int expected, TextWriter log)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "compat-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            SessionTimeoutMs = 10000,
            HeartbeatIntervalMs = 3000,
            MaxPollIntervalMs = 300000,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            IsolationLevel = IsolationLevel.ReadCommitted,
            StatisticsIntervalMs = 200,
        };
        var statistics = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var assigned = new List<TopicPartition>();
        var revoked = new List<TopicPartitionOffset>();
        using (var consumer = new ConsumerBuilder<string, string>(config)
            .SetErrorHandler((_, e) => log.WriteLine($"error: {e.Reason}"))
            .SetLogHandler((_, m) => log.WriteLine(m.Message))
            .SetStatisticsHandler((_, json) => statistics.Enqueue(json))
            .SetPartitionsAssignedHandler((c, partitions) =>
            {
                assigned.AddRange(partitions);
                log.WriteLine($"assigned: [{string.Join(", ", partitions)}]");
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                revoked.AddRange(partitions);
                log.WriteLine($"revoked: [{string.Join(", ", partitions)}]");
            })
            .SetPartitionsLostHandler((c, partitions) => log.WriteLine($"lost: [{string.Join(", ", partitions)}]"))
            .Build())
        {
            consumer.Subscribe(topic);
            var seen = 0;
            var eofs = new HashSet<int>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((seen < expected || eofs.Count < 2) && DateTime.UtcNow < deadline)
            {
                try
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                    if (result is null)
                    {
                        continue;
                    }
                    if (result.IsPartitionEOF)
                    {
                        eofs.Add(result.Partition.Value);
                        continue;
                    }
                    seen++;
                    consumer.StoreOffset(result);
                    Check(result.Message.Value is not null && result.TopicPartitionOffset.Offset == result.Offset, "a record has its value and place");
                }
                catch (ConsumeException e)
                {
                    throw new InvalidOperationException($"consuming failed: {e.Error.Reason} at {e.ConsumerRecord.TopicPartitionOffset}", e);
                }
            }
            Check(seen == expected, $"the group member read every record ({seen} of {expected})");
            var committed = consumer.Commit();
            Check(committed.Sum(c => c.Offset.Value) == expected, "Commit commits every stored offset");
            var back = consumer.Committed(TimeSpan.FromSeconds(10));
            Check(back.Where(c => c.Offset != Offset.Unset).Sum(c => c.Offset.Value) == expected, "Committed reads back what was committed");
            foreach (var partition in consumer.Assignment)
            {
                var marks = consumer.GetWatermarkOffsets(partition);
                var queried = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
                Check(consumer.Position(partition) == queried.High, "the position is at the end after reading everything");
                Check(marks.High.Value <= queried.High.Value, "the cached watermarks are not ahead of the queried ones");
            }
            Check(assigned.Count == 2, "both partitions were assigned");
            Check(consumer.MemberId.Length > 0, "the member has an id");
            Check(consumer.ConsumerGroupMetadata != null, "a group member has group metadata for a transactional producer");
            var statisticsDeadline = DateTime.UtcNow.AddSeconds(10);
            while (!statistics.Any(json => json.Contains($"\"rxmsgs\":{expected},", StringComparison.Ordinal)) && DateTime.UtcNow < statisticsDeadline)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            Check(statistics.Any(json => json.Contains($"\"rxmsgs\":{expected},", StringComparison.Ordinal) && json.Contains("\"type\":\"consumer\"", StringComparison.Ordinal)),
                "the statistics handler got the consumer's statistics with every record counted");
            consumer.Close();
        }
        Check(revoked.Count == 2, "Close revoked both partitions");

        // By hand: assign, seek, pause and resume, and look offsets up by time.
        var manual = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "compat-manual", EnableAutoCommit = false };
        using var reader = new ConsumerBuilder<Ignore, string>(manual).Build();
        var zero = new TopicPartition(topic, new Partition(0));
        reader.Assign(new TopicPartitionOffset(zero, Offset.Beginning));
        var first = reader.Consume(TimeSpan.FromSeconds(10));
        Check(first is not null && first.Offset == 0, "a partition assigned at Beginning starts at 0");
        reader.Seek(new TopicPartitionOffset(zero, new Offset(0)));
        reader.Pause(new[] { zero });
        Check(reader.Consume(TimeSpan.FromMilliseconds(300)) is null, "a paused partition returns nothing");
        reader.Resume(new[] { zero });
        Check(reader.Consume(TimeSpan.FromSeconds(10))?.Offset == 0, "after Seek and Resume the record at 0 comes again");
        var times = reader.OffsetsForTimes(new[] { new TopicPartitionTimestamp(zero, new Timestamp(DateTime.UtcNow.AddHours(-1))) }, TimeSpan.FromSeconds(10));
        Check(times.Single().Offset == 0, "an hour ago is before the first record");
        reader.IncrementalAssign(new[] { new TopicPartitionOffset(topic, 1, Offset.Beginning) });
        Check(reader.Assignment.Count == 2, "IncrementalAssign adds a partition");
        reader.IncrementalUnassign(new[] { zero });
        Check(reader.Assignment.Single().Partition == 1, "IncrementalUnassign takes one away");
        reader.Unassign();
        await Task.CompletedTask;
        log.WriteLine("consumer done");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"expected: {what}");
        }
    }
}
