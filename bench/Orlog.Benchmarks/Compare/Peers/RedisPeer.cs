using System.Diagnostics;
using Orlog.Benchmarks.Streaming;
using StackExchange.Redis;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Redis Streams as its docs suggest for throughput with durability: a private redis-server with the append-only file
/// on and fsync once a second, XADD pipelined from StackExchange.Redis with a bounded window in flight, XREADGROUP
/// with a large COUNT in a consumer group and XACK per batch. Partitions are separate stream keys ("stream-0".."-11"),
/// the key's hash choosing one, since a Redis stream has no partitions of its own.
/// </summary>
internal sealed class RedisPeer : IPeer
{
    private const int ProduceWindow = 2_000;
    private const int ReadCount = 10_000;
    private const string Group = "bench";

    private ServerProcess? _server;
    private ConnectionMultiplexer? _connection;
    private int _port;

    public string Name => "Redis Streams";

    public string AckPromise => "page cache (AOF write), fsync every second (appendfsync everysec)";

    public string Description { get; private set; } = "not started";

    /// <summary>The redis-server process (its PID and CPU time).</summary>
    public ServerProcess? Server => _server;

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        _port = PeerEnvironment.FreePort();
        var directory = Path.Combine(environment.Directory, "redis");
        Directory.CreateDirectory(directory);
        _server = await ServerProcess.StartAsync(
            "redis-server",
            [
                "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", directory,
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--save", string.Empty,
                "--protected-mode", "no",
                "--daemonize", "no",
            ],
            _port,
            TimeSpan.FromSeconds(30),
            directory).ConfigureAwait(false);
        environment.Log($"redis-server started, PID {_server.ProcessId}, port {_port}");
        _connection = await ConnectAsync().ConfigureAwait(false);
        // INFO needs admin mode in StackExchange.Redis; the server's version from the connection handshake is the same redis_version.
        var version = _connection.GetServers()[0].Version;
        var client = typeof(ConnectionMultiplexer).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split(['+', ' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
        Description = $"redis-server {version}, StackExchange.Redis {client}; appendonly yes, appendfsync everysec, save off; " +
            $"XADD pipelined ({ProduceWindow:N0} in flight per producer, fields k and v), partitions as separate stream keys chosen by the key's hash; " +
            $"XREADGROUP COUNT {ReadCount:N0} in one consumer group, XACK per batch, consumers splitting the stream keys; latency: XREADGROUP BLOCK on its own connection, NOACK";
    }

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var database = Connection.GetDatabase();
        var keys = StreamKeys(stream, workload.Partitions);
        var value = (RedisValue)records.Value;
        var started = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, workload.Producers).Select(_ => Task.Run(
            async () =>
            {
                var inFlight = new Queue<Task<RedisValue>>(ProduceWindow);
                for (long i = 0; i < workload.RecordsPerProducer; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var key = records.Key(i);
                    var streamKey = keys.Length == 1 ? keys[0] : keys[PartitionOf(key, keys.Length)];
                    NameValueEntry[] fields = workload.Keyed ? [new("k", key), new("v", value)] : [new("v", value)];
                    inFlight.Enqueue(database.StreamAddAsync(streamKey, fields));
                    if (inFlight.Count >= ProduceWindow)
                    {
                        Check(await inFlight.Dequeue().ConfigureAwait(false));
                    }
                }
                while (inFlight.Count > 0)
                {
                    Check(await inFlight.Dequeue().ConfigureAwait(false));
                }
            },
            cancellationToken)).ToArray();
        await Task.WhenAll(producers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        long length = 0;
        foreach (var key in keys)
        {
            length += await database.StreamLengthAsync(key).ConfigureAwait(false);
        }
        if (length != workload.TotalRecords)
        {
            throw new InvalidOperationException($"Redis: {workload.TotalRecords:N0} XADDs acknowledged but the streams hold {length:N0} entries.");
        }
        return new Rate(workload.TotalRecords, workload.TotalRecords * (long)workload.RecordBytes, elapsed);

        static void Check(RedisValue id)
        {
            if (id.IsNull)
            {
                throw new InvalidOperationException("Redis: XADD returned no id.");
            }
        }
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        var database = Connection.GetDatabase();
        var keys = StreamKeys(stream, workload.Partitions);
        foreach (var key in keys)
        {
            await database.StreamCreateConsumerGroupAsync(key, Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        var total = workload.TotalRecords;
        long read = 0;
        long bytes = 0;
        var deadline = Deadline(total);
        var consumers = Math.Min(workload.Consumers, keys.Length);
        var started = Stopwatch.GetTimestamp();
        var readers = Enumerable.Range(0, consumers).Select(c => Task.Run(
            async () =>
            {
                var mine = keys.Where((_, p) => p % consumers == c).ToArray();
                var consumer = $"consumer-{c}";
                var acks = new List<Task<long>>();
                while (Interlocked.Read(ref read) < total)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (DateTime.UtcNow > deadline)
                    {
                        break;
                    }
                    var got = 0;
                    if (mine.Length == 1)
                    {
                        var entries = await database.StreamReadGroupAsync(mine[0], Group, consumer, StreamPosition.NewMessages, ReadCount).ConfigureAwait(false);
                        got += Take(mine[0], entries, acks);
                    }
                    else
                    {
                        var positions = mine.Select(k => new StreamPosition(k, StreamPosition.NewMessages)).ToArray();
                        var streams = await database.StreamReadGroupAsync(positions, Group, consumer, ReadCount).ConfigureAwait(false);
                        foreach (var s in streams)
                        {
                            got += Take(s.Key, s.Entries, acks);
                        }
                    }
                    if (got == 0)
                    {
                        // Another consumer may still be draining its keys; poll briefly rather than spin.
                        await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                    }
                }
                foreach (var ack in acks)
                {
                    await ack.ConfigureAwait(false);
                }
            },
            cancellationToken)).ToArray();
        await Task.WhenAll(readers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (read != total)
        {
            throw new InvalidOperationException($"Redis: read {read:N0} of {total:N0} records written to {stream}.");
        }
        return new Rate(read, bytes, elapsed);

        int Take(RedisKey key, StreamEntry[] entries, List<Task<long>> acks)
        {
            if (entries.Length == 0)
            {
                return 0;
            }
            long size = 0;
            var ids = new RedisValue[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                ids[i] = entries[i].Id;
                size += ((byte[]?)entries[i]["v"])?.Length ?? throw new InvalidOperationException($"Redis: entry {entries[i].Id} of {key} has no value.");
            }
            // The acknowledgement of a batch goes out beside the next read; all are awaited before the reader finishes.
            acks.Add(database.StreamAcknowledgeAsync(key, Group, ids));
            Interlocked.Add(ref read, entries.Length);
            Interlocked.Add(ref bytes, size);
            return entries.Length;
        }
    }

    public async Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken)
    {
        var database = Connection.GetDatabase();
        RedisKey key = stream;
        await database.StreamCreateConsumerGroupAsync(key, Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var ages = new double[total];
        long received = 0;
        var deadline = DateTime.UtcNow + duration + TimeSpan.FromSeconds(30);

        // XREADGROUP BLOCK holds its connection until data arrives, so the reader gets a connection of its own.
        await using var readerConnection = await ConnectAsync().ConfigureAwait(false);
        var readerDatabase = readerConnection.GetDatabase();
        var reader = Task.Run(
            async () =>
            {
                while (received < total && DateTime.UtcNow < deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = await readerDatabase.ExecuteAsync("XREADGROUP", "GROUP", Group, "latency", "COUNT", 1000, "BLOCK", 100, "NOACK", "STREAMS", key, ">").ConfigureAwait(false);
                    if (result.IsNull)
                    {
                        continue;
                    }
                    foreach (var entries in EntriesOf((RedisResult[])result!))
                    {
                        foreach (var entry in entries)
                        {
                            var fields = (RedisResult[])((RedisResult[])entry!)[1]!;
                            for (var f = 0; f + 1 < fields.Length; f += 2)
                            {
                                if ((string?)fields[f] == "v")
                                {
                                    var age = RecordGenerator.AgeMs((byte[])fields[f + 1]!);
                                    if (received < total)
                                    {
                                        ages[received] = age;
                                    }
                                    received++;
                                }
                            }
                        }
                    }
                }
            },
            cancellationToken);

        var inFlight = new Queue<Task<RedisValue>>();
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond));
            for (; sent < due; sent++)
            {
                inFlight.Enqueue(database.StreamAddAsync(key, [new NameValueEntry("v", records.StampedValue())]));
            }
            while (inFlight.Count > 0 && (inFlight.Peek().IsCompleted || inFlight.Count > ProduceWindow * 10))
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
        while (inFlight.Count > 0)
        {
            await inFlight.Dequeue().ConfigureAwait(false);
        }
        await reader.ConfigureAwait(false);
        if (received != total)
        {
            throw new InvalidOperationException($"Redis: the latency reader got {received:N0} of {total:N0} records.");
        }
        return LatencyOf(ages);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    /// <summary>
    /// The entry lists of a raw XREADGROUP reply: over RESP2 a list of [stream, entries] pairs, over RESP3 a map that
    /// the client flattens to stream, entries, stream, entries.
    /// </summary>
    private static IEnumerable<RedisResult[]> EntriesOf(RedisResult[] reply)
    {
        for (var i = 0; i < reply.Length; i++)
        {
            if (reply[i].Resp2Type == ResultType.Array)
            {
                yield return (RedisResult[])((RedisResult[])reply[i]!)[1]!;
            }
            else if (i + 1 < reply.Length)
            {
                yield return (RedisResult[])reply[++i]!;
            }
        }
    }

    /// <summary>A stable hash of the key to a partition (FNV-1a), the same in every process.</summary>
    internal static int PartitionOf(byte[] key, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    /// <summary>Percentiles of the ages (sorted in place).</summary>
    internal static Latency LatencyOf(double[] ages)
    {
        Array.Sort(ages);
        double At(double q) => ages.Length == 0 ? double.NaN : ages[Math.Min(ages.Length - 1, (int)Math.Ceiling(q * ages.Length) - 1)];
        return new Latency(At(0.50), At(0.99), At(0.999), ages.Length);
    }

    /// <summary>How long a read may take before missing records count as lost: generous, so only a real loss fails.</summary>
    internal static DateTime Deadline(long records) => DateTime.UtcNow + TimeSpan.FromSeconds(60 + (records / 20_000.0));

    private static RedisKey[] StreamKeys(string stream, int partitions) =>
        partitions <= 1 ? [stream] : Enumerable.Range(0, partitions).Select(p => (RedisKey)$"{stream}-{p}").ToArray();

    private ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Redis: not started.");

    private Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
    {
        EndPoints = { { "127.0.0.1", _port } },
        AbortOnConnectFail = true,
        SyncTimeout = 60_000,
        AsyncTimeout = 60_000,
    });
}
