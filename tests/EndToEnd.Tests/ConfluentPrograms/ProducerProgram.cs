// A producer written for Confluent.Kafka, in the style of its README and examples. The compatibility test compiles
// it as it is against Confluent.Kafka, and again with only the using line below changed to Orlog.Client, and runs
// that build against a silo. Everything it checks, it checks itself: it throws when the client does not behave.
using Confluent.Kafka;

public static class ProducerProgram
{
    public static async Task RunAsync(string bootstrapServers, string topic, TextWriter log)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "compat-producer",
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            BatchSize = 16384,
            CompressionType = CompressionType.Lz4,
            MessageTimeoutMs = 30000,
            MessageSendMaxRetries = 10,
            SocketTimeoutMs = 60000,
            StatisticsIntervalMs = 0,
        };
        var errors = new List<Error>();
        using var producer = new ProducerBuilder<string, string>(config)
            .SetErrorHandler((_, e) => errors.Add(e))
            .SetLogHandler((_, message) => log.WriteLine($"{message.Level} {message.Facility}: {message.Message}"))
            .Build();
        log.WriteLine($"producer {producer.Name}");

        // ProduceAsync: the delivery result says where the record went.
        for (var i = 0; i < 5; i++)
        {
            var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = $"key-{i}", Value = $"value-{i}" });
            Check(result.Status == PersistenceStatus.Persisted, $"record {i} is persisted");
            Check(result.Offset.Value >= 0 && result.Partition.Value >= 0, "the result has an offset and a partition");
            Check(result.Value == $"value-{i}" && result.Key == $"key-{i}", "the result carries the record");
            log.WriteLine($"delivered '{result.Value}' to {result.TopicPartitionOffset}");
        }

        // Produce with a delivery handler, to a partition given as Confluent's Partition.
        var reports = new List<DeliveryReport<string, string>>();
        var target = new TopicPartition(topic, new Partition(0));
        for (var i = 0; i < 5; i++)
        {
            producer.Produce(target, new Message<string, string>
            {
                Key = $"handled-{i}",
                Value = $"handled-{i}",
                Headers = new Headers { { "trace", new byte[] { 1, 2, 3 } } },
                Timestamp = new Timestamp(DateTime.UtcNow),
            }, report =>
            {
                lock (reports)
                {
                    reports.Add(report);
                }
            });
        }
        var left = producer.Flush(TimeSpan.FromSeconds(30));
        Check(left == 0, "Flush leaves nothing undelivered");
        lock (reports)
        {
            Check(reports.Count == 5, "every record got its delivery report");
            foreach (var report in reports)
            {
                Check(!report.Error.IsError && report.Error.Code == ErrorCode.NoError, $"report without error ({report.Error.Reason})");
                Check(report.Partition == 0 && report.TopicPartition.Partition.Value == 0, "the record went to the partition asked for");
            }
        }

        // A topic that does not exist fails the delivery with Confluent's error code name.
        try
        {
            await producer.ProduceAsync("compat-no-such-topic", new Message<string, string> { Value = "lost" });
            throw new InvalidOperationException("a record to a missing topic was delivered");
        }
        catch (ProduceException<string, string> e)
        {
            Check(e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic, $"a missing topic is an unknown topic ({e.Error.Code})");
            Check(e.DeliveryResult.Status == PersistenceStatus.NotPersisted, "the failed record is not persisted");
            Check(!e.Error.IsFatal, "the error is not fatal");
            log.WriteLine($"refused: {e.Error.Reason}");
        }
        catch (KafkaException e)
        {
            throw new InvalidOperationException($"a missing topic threw {e.GetType().Name} ({e.Error.Code}), not ProduceException", e);
        }
        Check(errors.Count == 0, "the error handler saw no error");

        // Transactions need a transactional.id: without one they fail with a KafkaException.
        try
        {
            producer.InitTransactions(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException("InitTransactions without a transactional.id failed to fail");
        }
        catch (KafkaException e)
        {
            log.WriteLine($"transactions: {e.Error.Code}: {e.Error.Reason}");
        }
        log.WriteLine("producer done");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"expected: {what}");
        }
    }
}
