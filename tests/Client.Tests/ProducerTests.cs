using System.Text;
using Orlog.Records;

namespace Orlog.Client.Tests;

public sealed class ProducerTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ClientCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData("21", 12)]
    [InlineData("foobar", 7)]
    [InlineData("a-little-bit-long-string", 5)]
    public async Task KeyedRecordsGoWhereKafkasPartitionerSends(string key, int partitions)
    {
        var topic = $"keyed-{key}-{partitions}";
        await Cluster.CreateTopicAsync(topic, partitions);
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = "v" });
        Assert.Equal(Murmur2Partitioner.Partition(Encoding.UTF8.GetBytes(key), partitions), result.Partition.Value);
    }

    [Fact]
    public async Task ManyRecordsAcrossPartitionsTravelInFewLargeRequests()
    {
        await Cluster.CreateTopicAsync("spread", 8);
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        var config = new ProducerConfig { LingerMs = 200, BatchSize = 1 << 20 };
        await using var producer = new ProducerBuilder<string, string>(config).SetClient(client).Build();
        var delivered = 0;
        for (var i = 0; i < 4000; i++)
        {
            producer.Produce("spread", new Message<string, string> { Key = $"key-{i}", Value = $"value-{i}" }, report =>
            {
                Assert.False(report.Error.IsError, report.Error.ToString());
                Interlocked.Increment(ref delivered);
            });
        }
        await producer.FlushAsync();
        Assert.Equal(4000, delivered);
        // One request for the broker carries a batch for every partition: not one call per partition or record.
        var requests = gateway!.ProduceRequests;
        Assert.InRange(requests.Count, 1, 4);
        Assert.Contains(requests, r => r.Batches.Count == 8);
    }

    [Fact]
    public async Task RecordsWithoutKeyStickToAPartitionUntilItsBatchIsComplete()
    {
        await Cluster.CreateTopicAsync("sticky", 4);
        await using var client = Cluster.Connect();
        var config = new ProducerConfig { BatchSize = 1024, LingerMs = 60_000 };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        var sends = Enumerable.Range(0, 200).Select(_ => producer.ProduceAsync("sticky", new Message<Null, string> { Value = new string('s', 90) })).ToList();
        await producer.FlushAsync();
        var partitions = sends.Select(s => s.Result.Partition).ToList();
        // A batch of 1 KiB holds several of these records: each run on one partition is at least that long.
        var runs = new List<int>();
        for (var i = 0; i < partitions.Count; i++)
        {
            if (i == 0 || partitions[i] != partitions[i - 1])
            {
                runs.Add(0);
            }
            runs[^1]++;
        }
        Assert.True(runs.Count > 1, "Every record went to one partition.");
        Assert.All(runs.SkipLast(1), run => Assert.InRange(run, 5, 20));
    }

    [Fact]
    public async Task ABatchWaitsForLingerThenGoesAlone()
    {
        await Cluster.CreateTopicAsync("linger");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { LingerMs = 300 }).SetClient(client).Build();
        var started = DateTime.UtcNow;
        var first = producer.ProduceAsync("linger", new Message<Null, string> { Value = "a" });
        var second = producer.ProduceAsync("linger", new Message<Null, string> { Value = "b" });
        await Task.WhenAll(first, second);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250), "The batch left before linger.ms.");
        Assert.Equal(1, gateway!.ProduceCalls);
        Assert.Equal((0L, 1L), ((await first).Offset.Value, (await second).Offset.Value));
    }

    [Fact]
    public async Task ARequestTakesTheOtherPartitionsOpenBatchesAlong()
    {
        await Cluster.CreateTopicAsync("piggyback", 2);
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { Acks = Acks.Leader, LingerMs = 300 }).SetClient(client).Build();
        var first = producer.ProduceAsync(new TopicPartition("piggyback", 0), new Message<Null, string> { Value = "a" });
        var second = producer.ProduceAsync(new TopicPartition("piggyback", 1), new Message<Null, string> { Value = "b" });
        await Task.WhenAll(first, second);
        // Partition 1's batch was younger than linger.ms when partition 0's left, and went with it.
        Assert.Equal(2, Assert.Single(gateway!.ProduceRequests).Batches.Count);
    }

    [Fact]
    public async Task AFullBatchLeavesWithoutWaitingForLinger()
    {
        await Cluster.CreateTopicAsync("full");
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        var config = new ProducerConfig { LingerMs = 60_000, BatchSize = 1024 };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        var results = new List<Task<DeliveryResult<Null, string>>>();
        for (var i = 0; i < 40; i++)
        {
            results.Add(producer.ProduceAsync("full", new Message<Null, string> { Value = new string('x', 100) }));
        }
        // batch.size holds about 8 of these: full batches go at once, well before linger.ms.
        var deadline = Task.Delay(TimeSpan.FromSeconds(20));
        Assert.NotSame(deadline, await Task.WhenAny(results[0], deadline));
        Assert.All(gateway!.ProduceRequests.SelectMany(r => r.Batches), b => Assert.True(b.Records.Length <= 1024, $"a batch of {b.Records.Length} bytes"));
        await producer.FlushAsync();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), results.Select(r => r.Result.Offset.Value));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task EveryCompressionTypeRoundTrips(CompressionType compression)
    {
        var topic = $"compressed-{compression}".ToLowerInvariant();
        await Cluster.CreateTopicAsync(topic);
        await using var client = Cluster.Connect();
        var config = new ProducerConfig { CompressionType = compression, LingerMs = 50 };
        await using var producer = new ProducerBuilder<string, string>(config).SetClient(client).Build();
        for (var i = 0; i < 500; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"value {i} {new string('z', i % 50)}" });
        }
        await producer.FlushAsync();
        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = Eventually.Consume(consumer, 500);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"value {i} {new string('z', i % 50)}"), records.Select(r => r.Message!.Value));
    }

    [Fact]
    public async Task DisposeDeliversEverythingQueued()
    {
        await Cluster.CreateTopicAsync("dispose", 3);
        await using var client = Cluster.Connect();
        var delivered = 0;
        var producer = new ProducerBuilder<string, string>(new ProducerConfig { LingerMs = 1000 }).SetClient(client).Build();
        for (var i = 0; i < 300; i++)
        {
            producer.Produce("dispose", new Message<string, string> { Key = $"{i}", Value = "v" }, r =>
            {
                if (!r.Error.IsError)
                {
                    Interlocked.Increment(ref delivered);
                }
            });
        }
        producer.Dispose();
        Assert.Equal(300, delivered);
    }

    [Fact]
    public async Task FlushWithTimeoutReportsNothingLeft()
    {
        await Cluster.CreateTopicAsync("flush");
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { LingerMs = 10_000 }).SetClient(client).Build();
        var pending = producer.ProduceAsync("flush", new Message<Null, string> { Value = "x" });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        Assert.True(pending.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AcksZeroCompletesWithoutAnOffset()
    {
        await Cluster.CreateTopicAsync("acks0");
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { Acks = Acks.None }).SetClient(client).Build();
        var result = await producer.ProduceAsync("acks0", new Message<Null, string> { Value = "fire and forget" });
        Assert.Equal(Offset.Unset, result.Offset);
        Assert.Equal(PersistenceStatus.PossiblyPersisted, result.Status);
    }

    [Fact]
    public async Task HeadersAndTimestampsRoundTrip()
    {
        await Cluster.CreateTopicAsync("headers");
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        var headers = new Headers { { "trace", Encoding.UTF8.GetBytes("abc") }, { "empty", null } };
        var sent = await producer.ProduceAsync("headers", new Message<string, string>
        {
            Key = "k",
            Value = "v",
            Timestamp = new Timestamp(1_700_000_000_000),
            Headers = headers,
        });
        Assert.Equal(1_700_000_000_000, sent.Timestamp.UnixTimestampMs);
        await using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("headers", 0, Offset.Beginning));
        var record = Assert.Single(Eventually.Consume(consumer, 1));
        Assert.Equal(1_700_000_000_000, record.Message!.Timestamp.UnixTimestampMs);
        Assert.Equal(TimestampType.CreateTime, record.Message.Timestamp.Type);
        Assert.Equal(["trace", "empty"], record.Message.Headers!.Select(h => h.Key));
        Assert.Equal("abc", Encoding.UTF8.GetString(record.Message.Headers!.GetLastBytes("trace")!));
        Assert.Null(record.Message.Headers!.GetLastBytes("empty"));
    }

    [Fact]
    public async Task LogAppendTimeTopicsReportTheBrokersTimestamp()
    {
        await Cluster.CreateTopicAsync("append-time", configs: new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" });
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build();
        var sent = await producer.ProduceAsync("append-time", new Message<Null, string> { Value = "x", Timestamp = new Timestamp(1_000) });
        Assert.Equal(TimestampType.LogAppendTime, sent.Timestamp.Type);
        Assert.True(sent.Timestamp.UnixTimestampMs > 1_000);
        await using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig()).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("append-time", 0, Offset.Beginning));
        var record = Assert.Single(Eventually.Consume(consumer, 1));
        Assert.Equal((TimestampType.LogAppendTime, sent.Timestamp.UnixTimestampMs), (record.Message!.Timestamp.Type, record.Message.Timestamp.UnixTimestampMs));
    }

    [Fact]
    public async Task ProducingToAMissingPartitionFails()
    {
        await Cluster.CreateTopicAsync("two", 2);
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig()).SetClient(client).Build();
        var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() =>
            producer.ProduceAsync(new TopicPartition("two", 5), new Message<Null, string> { Value = "x" }));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
        Assert.Equal(PersistenceStatus.NotPersisted, error.DeliveryResult.Status);
    }

    [Fact]
    public async Task ProduceHasReadTheMessageWhenItReturnsSoTheCallerMayReuseIt()
    {
        await Cluster.CreateTopicAsync("reused-message", 1);
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { LingerMs = 50 }).SetClient(client).Build();
        var key = "k"u8.ToArray();
        var value = new byte[8];
        var headerValue = new byte[1];
        var headers = new Headers { { "h", headerValue } };
        var message = new Message<byte[], byte[]> { Key = key, Value = value, Headers = headers };
        // The first round waits while the topic's metadata is read (the slow lane), the second is appended at once:
        // in both, changing the message and its arrays after Produce returned changes nothing sent.
        for (byte i = 0; i < 20; i++)
        {
            value.AsSpan().Fill(i);
            key[0] = i;
            headerValue[0] = i;
            producer.Produce("reused-message", message);
            value.AsSpan().Fill(0xFF);
            key[0] = 0xFF;
            headerValue[0] = 0xFF;
            if (i == 9)
            {
                await producer.FlushAsync();
            }
        }
        await producer.FlushAsync();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { GroupId = "reused-message-reader" }).SetClient(client).Build();
        consumer.Assign(new TopicPartitionOffset("reused-message", 0, Offset.Beginning));
        for (byte i = 0; i < 20; i++)
        {
            var record = consumer.Consume(Eventually.Timeout) ?? throw new TimeoutException($"record {i} did not arrive");
            var sent = record.Message!;
            Assert.Equal(Enumerable.Repeat(i, 8), sent.Value);
            Assert.Equal(new[] { i }, sent.Key);
            Assert.Equal(new[] { i }, sent.Headers![0].Value);
        }
    }

    [Fact]
    public async Task ABatchDeliveryHandlerAccountsForEveryRecordOncePerBatchInOffsetOrder()
    {
        await Cluster.CreateTopicAsync("batch-reports", 3);
        await using var client = Cluster.Connect();
        var reports = new List<BatchDeliveryReport>();
        var config = new ProducerConfig { BatchSize = 4096, LingerMs = 5 };
        await using var producer = new ProducerBuilder<string, string>(config)
            .SetClient(client)
            .SetBatchDeliveryHandler((_, report) =>
            {
                lock (reports)
                {
                    reports.Add(report);
                }
            })
            .Build();
        var own = new List<DeliveryReport<string, string>>();
        for (var i = 0; i < 3000; i++)
        {
            var message = new Message<string, string> { Key = $"key-{i % 50}", Value = $"value-{i}" };
            if (i % 100 == 0)
            {
                // A record with its own handler is reported both ways: its report, and in its batch's count.
                producer.Produce("batch-reports", message, report =>
                {
                    lock (own)
                    {
                        own.Add(report);
                    }
                });
            }
            else
            {
                producer.Produce("batch-reports", message);
            }
        }
        await producer.FlushAsync();
        Assert.Equal(30, own.Count);
        Assert.All(reports, r => Assert.False(r.Error.IsError, r.Error.ToString()));
        Assert.All(reports, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        Assert.Equal(3000, reports.Sum(r => r.Count));
        // Many records a report, and each partition's batches follow one another without gap or overlap.
        Assert.True(reports.Count < 300, $"{reports.Count} batch reports for 3,000 records.");
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { GroupId = "batch-reports-reader" }).SetClient(client).Build();
        foreach (var partition in reports.GroupBy(r => r.Partition.Value))
        {
            var next = 0L;
            foreach (var report in partition)
            {
                Assert.Equal("batch-reports", report.Topic);
                Assert.Equal(next, report.BaseOffset.Value);
                next += report.Count;
            }
            Assert.Equal(next, reader.QueryWatermarkOffsets(new TopicPartition("batch-reports", partition.Key), Eventually.Timeout).High.Value);
        }
        // The records with a report of their own, among many without, are told their own offsets.
        using var check = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = "batch-reports-check" }).SetClient(client).Build();
        foreach (var report in own)
        {
            Assert.False(report.Error.IsError, report.Error.ToString());
            check.Assign(new TopicPartitionOffset(report.TopicPartition, report.Offset));
            var read = check.Consume(Eventually.Timeout);
            Assert.NotNull(read);
            Assert.Equal(report.Message.Value, read.Message!.Value);
        }
    }

    [Fact]
    public async Task ARecordThatFailsBeforeJoiningABatchIsReportedAsABatchOfOne()
    {
        await using var client = Cluster.Connect();
        var reports = new List<BatchDeliveryReport>();
        await using var producer = new ProducerBuilder<Null, string>(new ProducerConfig())
            .SetClient(client)
            .SetBatchDeliveryHandler((_, report) =>
            {
                lock (reports)
                {
                    reports.Add(report);
                }
            })
            .Build();
        // No handler of its own: without the batch handler this failure would reach nobody. ProduceAsync's records
        // are counted in batch reports too, so its failures are as well.
        producer.Produce("no-such-topic-for-batches", new Message<Null, string> { Value = "x" });
        await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("no-such-topic-for-batches", new Message<Null, string> { Value = "y" }));
        await producer.FlushAsync();
        Assert.Equal(2, reports.Count);
        Assert.All(reports, report =>
        {
            Assert.Equal((ErrorCode.UnknownTopicOrPartition, 1, PersistenceStatus.NotPersisted), (report.Error.Code, report.Count, report.Status));
            Assert.Equal(Offset.Unset, report.BaseOffset);
        });
    }

    [Fact]
    public async Task ProduceWithoutAReportAllocatesNothingPerRecordOnTheCallersThread()
    {
        await Cluster.CreateTopicAsync("no-garbage", 2);
        await using var client = Cluster.Connect();
        await using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BatchSize = 256 * 1024, BufferMemory = 4 << 20 }).SetClient(client).Build();
        var message = new Message<string, byte[]> { Key = "sensor-7", Value = new byte[100], Headers = new Headers { { "trace", [1, 2, 3] } } };
        void ProduceMany(int count)
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce("no-garbage", message);
            }
        }
        ProduceMany(100_000); // the metadata, the JIT, and the pools of builders and lists (up to buffer.memory) warm up
        await producer.FlushAsync();
        const int records = 100_000;
        // The least of three rounds: a busy machine changes how batches close, and the pooled lists and builders take
        // a while to reach the sizes they keep; a record's own allocation would show in every round.
        var allocated = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            ProduceMany(records);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            await producer.FlushAsync();
        }
        // The thread that closes a batch also sends it (a few KiB of request objects for about 2,000 of these
        // records), and waits for room in buffer.memory; one object per record would be 24 bytes or more a record.
        Assert.True(allocated < records * 12, $"Producing {records} records allocated {allocated} bytes on the caller's thread ({(double)allocated / records:F1} a record).");
    }

    [Fact]
    public async Task WithLingerZeroARecordToAnIdleLeaderIsSentFromTheProducingThreadBeforeProduceReturns()
    {
        await Cluster.CreateTopicAsync("linger-zero", 1);
        var gateway = default(InterceptingGateway);
        await using var client = Cluster.Connect(intercept: inner => gateway = new InterceptingGateway(inner));
        var config = new ProducerConfig { LingerMs = 0, Acks = Acks.Leader, EnableIdempotence = false };
        await using var producer = new ProducerBuilder<Null, string>(config).SetClient(client).Build();
        await producer.ProduceAsync("linger-zero", new Message<Null, string> { Value = "metadata" });
        var senders = new List<int>();
        gateway!.AroundProduce = (request, call, send) =>
        {
            lock (senders)
            {
                senders.Add(Environment.CurrentManagedThreadId);
            }
            return send();
        };
        // The leader is idle once the last answer has freed its slot (a moment after the delivery completes): try a
        // few records, each after the one before was delivered.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var sentHere = false;
        while (!sentHere && DateTime.UtcNow < deadline)
        {
            lock (senders)
            {
                senders.Clear();
            }
            var producing = Environment.CurrentManagedThreadId;
            producer.Produce("linger-zero", new Message<Null, string> { Value = "now" });
            lock (senders)
            {
                // No hop to the sender's loop and no timer: the request left before Produce returned, from this thread.
                sentHere = senders.Count == 1 && senders[0] == producing;
            }
            await producer.FlushAsync();
        }
        Assert.True(sentHere, "No record to the idle leader was sent from the producing thread before Produce returned.");
    }
}
