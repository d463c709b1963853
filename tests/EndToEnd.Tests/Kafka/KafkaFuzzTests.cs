using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Orlog.Log;
using Orlog.Records;
using Orlog.TestSupport;
using Ck = Confluent.Kafka;

namespace Orlog.EndToEnd.Tests.Kafka;

/// <summary>
/// Real clients' frames, mutated, against a real silo: Confluent.Kafka talks to the silo through a recording proxy
/// (the silo advertises the proxy, so every connection passes it), then those frames are flipped, cut, extended and
/// replaced with garbage and thrown at the Kafka listener for a bounded time. Afterwards the silo still serves a
/// normal client, holds exactly the records the clients were acknowledged, and every partition log verifies batch
/// by batch (framing, CRC, records) when opened again after a crash.
/// </summary>
public sealed class KafkaFuzzTests() : SiloTest("kafka-fuzz", "--kafka-port", _kafkaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    "--advertised-listeners", $"PLAINTEXT://127.0.0.1:{_proxyPort}", "--config", "group.initial.rebalance.delay.ms=0", "--config", "group.min.session.timeout.ms=1000")
{
    private static readonly int _kafkaPort = FreePort.Next();
    // Bound before the silo starts, so that no port the silo picks for itself can take the proxy's.
    private static readonly TcpListener _proxyListener = Listen();
    private static readonly int _proxyPort = ((IPEndPoint)_proxyListener.LocalEndpoint).Port;
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(8);

    // The administration APIs are left out of the seeds: replayed with a byte changed they would legitimately
    // create, delete or alter things (a topic with another valid name), which is not what this test is about.
    private static readonly HashSet<short> _destructive = [19, 20, 21, 33, 37, 42, 44];

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    /// <summary>Forwards connections to the silo's Kafka listener and records every request frame the clients send.</summary>
    private sealed class RecordingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = _proxyListener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _pumps = [];
        private readonly Task _accepting;

        public RecordingProxy(IPEndPoint target)
        {
            _accepting = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    var server = new TcpClient();
                    await server.ConnectAsync(target);
                    lock (_pumps)
                    {
                        _pumps.Add(RequestsAsync(client, server));
                        _pumps.Add(CopyAsync(server.GetStream(), client.GetStream()));
                    }
                }
            });
        }

        public ConcurrentQueue<byte[]> Frames { get; } = new();

        private async Task RequestsAsync(TcpClient client, TcpClient server)
        {
            using (client)
            using (server)
            {
                var from = client.GetStream();
                var to = server.GetStream();
                var prefix = new byte[4];
                try
                {
                    while (await ReadExactlyAsync(from, prefix, _stop.Token))
                    {
                        var frame = new byte[4 + BinaryPrimitives.ReadInt32BigEndian(prefix)];
                        prefix.CopyTo(frame, 0);
                        if (!await ReadExactlyAsync(from, frame.AsMemory(4), _stop.Token))
                        {
                            return;
                        }
                        Frames.Enqueue(frame);
                        await to.WriteAsync(frame, _stop.Token);
                    }
                }
                catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        private async Task CopyAsync(Stream from, Stream to)
        {
            try
            {
                await from.CopyToAsync(to, _stop.Token);
            }
            catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            Task[] pumps;
            lock (_pumps)
            {
                pumps = [.. _pumps];
            }
            await Task.WhenAny(Task.WhenAll(pumps), Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var got = await stream.ReadAsync(buffer[read..], cancellationToken);
            if (got == 0)
            {
                return false;
            }
            read += got;
        }
        return true;
    }

    // ApiVersions v0, correlation id 0x0F0F0F0F: after a mutated frame, the connection answers it or is closed.
    private static readonly byte[] _probe = [0, 0, 0, 10, 0, 18, 0, 0, 0x0F, 0x0F, 0x0F, 0x0F, 0, 0];

    [Fact]
    public async Task Mutated_client_frames_never_take_the_silo_down_nor_damage_a_log_and_a_normal_client_is_served_after()
    {
        const string topic = "fuzz";
        await CreateTopicAsync(topic, 2);
        var listener = new IPEndPoint(IPAddress.Loopback, _kafkaPort);
        var bootstrap = $"127.0.0.1:{_proxyPort}";
        var proxy = new RecordingProxy(listener);
        var expected = new Dictionary<int, List<string>> { [0] = [], [1] = [] };
        try
        {
            // Record: an idempotent, compressing producer, a group consumer that commits, metadata and offsets lookups.
            Produce(bootstrap, topic, 0, 200, expected);
            Consume(bootstrap, topic, "fuzz-app", 200);
            var seeds = proxy.Frames.Where(f => !_destructive.Contains(BinaryPrimitives.ReadInt16BigEndian(f.AsSpan(4)))).ToList();
            Assert.True(seeds.Select(f => BinaryPrimitives.ReadInt16BigEndian(f.AsSpan(4))).Distinct().Count() >= 8,
                $"recorded too few kinds of request: {string.Join(',', seeds.Select(f => BinaryPrimitives.ReadInt16BigEndian(f.AsSpan(4))).Distinct())}");

            // Fuzz: two connections' worth of mutated frames for the budget.
            var seed = Environment.TickCount;
            var sent = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
            {
                var random = new Random(seed + worker);
                TcpClient? connection = null;
                try
                {
                    while (watch.Elapsed < _budget)
                    {
                        if (connection is null)
                        {
                            connection = new TcpClient { NoDelay = true };
                            await connection.ConnectAsync(listener);
                        }
                        var frame = FrameMutator.Mutate(seeds[random.Next(seeds.Count)], random);
                        var stream = connection.GetStream();
                        await stream.WriteAsync(frame);
                        await stream.WriteAsync(_probe);
                        Interlocked.Increment(ref sent);
                        if (!await AnsweredOrClosedAsync(stream, seed + worker))
                        {
                            connection.Dispose();
                            connection = null;
                        }
                    }
                }
                finally
                {
                    connection?.Dispose();
                }
            })));
            Assert.True(sent > 50, $"only {sent} frames sent in {_budget.TotalSeconds} s (seed {seed})");
            Assert.DoesNotContain("closed: the request failed", Silo.Output, StringComparison.Ordinal);

            // A normal client is served, and the log holds exactly what clients were acknowledged, in order.
            Produce(bootstrap, topic, 200, 50, expected);
            var read = ReadAll(bootstrap, topic, 250);
            foreach (var partition in new[] { 0, 1 })
            {
                Assert.Equal(expected[partition], read.Where(r => r.Partition.Value == partition).OrderBy(r => r.Offset.Value).Select(r => r.Message.Value));
            }
        }
        finally
        {
            await proxy.DisposeAsync();
        }

        // Every partition log, opened again after a crash, verifies batch by batch.
        await Silo.KillAsync();
        var verified = 0;
        foreach (var directory in Directory.GetDirectories(Silo.DataDirectory).Where(d => Directory.GetFiles(d, "*.log").Length > 0))
        {
            using var log = PartitionLog.Open(directory, new LogConfig());
            for (var offset = log.LogStartOffset; offset < log.LogEndOffset;)
            {
                var batches = log.Read(offset, 1 << 20).Records;
                for (var at = 0; at < batches.Length;)
                {
                    var header = RecordBatchHeader.Read(batches.AsSpan(at));
                    RecordBatchValidator.Validate(batches.AsSpan(at, header.TotalSize), int.MaxValue);
                    at += header.TotalSize;
                    offset = header.LastOffset + 1;
                }
            }
            verified++;
        }
        Assert.True(verified >= 2, $"{verified} logs verified");
    }

    // After a mutated frame and the probe: true when the probe was answered (the connection can go on), false when
    // the broker closed the connection. Anything else within 30 s (the longest a fetch may long-poll, and more) is a hang.
    private static async Task<bool> AnsweredOrClosedAsync(NetworkStream stream, int seed)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var prefix = new byte[4];
        try
        {
            while (await ReadExactlyAsync(stream, prefix, deadline.Token))
            {
                var size = BinaryPrimitives.ReadInt32BigEndian(prefix);
                var body = new byte[size];
                if (!await ReadExactlyAsync(stream, body, deadline.Token))
                {
                    return false;
                }
                if (size >= 4 && BinaryPrimitives.ReadInt32BigEndian(body) == 0x0F0F0F0F)
                {
                    return true;
                }
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The listener neither answered nor closed within 30 s (seed {seed}).");
            return false;
        }
        catch (IOException)
        {
            return false; // reset by the broker
        }
    }

    private static void Produce(string bootstrap, string topic, int from, int count, Dictionary<int, List<string>> expected)
    {
        using var producer = new ProducerBuilder<string, string>(new Ck.ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            CompressionType = Ck.CompressionType.Lz4,
            LingerMs = 5,
        }).Build();
        for (var i = from; i < from + count; i++)
        {
            var report = producer.ProduceAsync(new Ck.TopicPartition(topic, i % 2), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }).GetAwaiter().GetResult();
            expected[report.Partition.Value].Add(report.Message.Value);
        }
    }

    private static void Consume(string bootstrap, string topic, string group, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
        }).Build();
        consumer.Subscribe(topic);
        var read = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (read < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false })
            {
                read++;
            }
        }
        Assert.Equal(count, read);
        consumer.Commit();
        consumer.Close();
    }

    private static List<ConsumeResult<string, string>> ReadAll(string bootstrap, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new Ck.ConsumerConfig { BootstrapServers = bootstrap, GroupId = "fuzz-check", EnableAutoCommit = false }).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
        var records = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                records.Add(result);
            }
        }
        // Nothing beyond what was acknowledged arrives either.
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));
        return records;
    }
}
