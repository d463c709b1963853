using System.Diagnostics;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// NATS JetStream as its docs suggest for throughput: a private nats-server with JetStream on and file storage at
/// its defaults, asynchronous publishing with a bounded window of acknowledgements in flight (each PubAck checked),
/// and a durable pull consumer read with ConsumeAsync in large batches. One stream per run with subjects
/// "&lt;stream&gt;.&lt;p&gt;": partitions are subjects chosen by the key's hash (JetStream has no partitions; the key
/// itself is not sent). Consumers in a group share one durable pull consumer, the server handing each pull its messages.
/// </summary>
internal sealed class NatsPeer : IPeer
{
    private const int PublishWindow = 4_000;
    private const int ConsumeBatch = 10_000;

    private ServerProcess? _server;
    private NatsClient? _client;
    private string _url = string.Empty;

    public string Name => "NATS JetStream";

    // nats-server's file store writes through to the OS page cache and forces an fsync periodically; the docs give the
    // default sync interval ("sync_interval") as 2 minutes; this peer runs the server's defaults.
    public string AckPromise => "page cache (file store write), fsync periodically (default sync interval 2 minutes)";

    public string Description { get; private set; } = "not started";

    /// <summary>The nats-server process (its PID and CPU time).</summary>
    public ServerProcess? Server => _server;

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        var port = PeerEnvironment.FreePort();
        var directory = Path.Combine(environment.Directory, "nats");
        Directory.CreateDirectory(directory);
        // No -m: the monitoring port stays off.
        _server = await ServerProcess.StartAsync(
            "nats-server",
            ["-js", "-sd", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            port,
            TimeSpan.FromSeconds(30),
            directory).ConfigureAwait(false);
        environment.Log($"nats-server started, PID {_server.ProcessId}, port {port}");
        _url = $"nats://127.0.0.1:{port}";
        _client = new NatsClient(_url);
        await _client.ConnectAsync().ConfigureAwait(false);
        var server = _client.Connection.ServerInfo?.Version ?? "unknown";
        var clientVersion = typeof(NatsClient).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split(['+', ' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
        Description = $"nats-server {server} (-js, file storage, defaults), NATS.Net {clientVersion}; " +
            $"async publish with {PublishWindow:N0} acks in flight per producer, every PubAck checked; partitions as subjects <stream>.<p> of one stream chosen by the key's hash; " +
            $"a durable pull consumer (AckPolicy none) read with Consume in batches of {ConsumeBatch:N0}, consumers in a group sharing that durable; latency: the same pull consumer created before publishing";
    }

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var js = Client.CreateJetStreamContext();
        await js.CreateStreamAsync(new StreamConfig(stream, [$"{stream}.>"]) { Storage = StreamConfigStorage.File }, cancellationToken).ConfigureAwait(false);
        var partitions = Math.Max(1, workload.Partitions);
        var subjects = Enumerable.Range(0, partitions).Select(p => $"{stream}.{p}").ToArray();
        var value = records.Value;
        var started = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, workload.Producers).Select(_ => Task.Run(
            async () =>
            {
                var inFlight = new Queue<Task<PubAckResponse>>(PublishWindow);
                for (long i = 0; i < workload.RecordsPerProducer; i++)
                {
                    var subject = partitions == 1 ? subjects[0] : subjects[RedisPeer.PartitionOf(records.Key(i), partitions)];
                    inFlight.Enqueue(js.PublishAsync(subject, value, cancellationToken: cancellationToken).AsTask());
                    if (inFlight.Count >= PublishWindow)
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
        var info = await js.GetStreamAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (info.Info.State.Messages != workload.TotalRecords)
        {
            throw new InvalidOperationException($"NATS: {workload.TotalRecords:N0} publishes acknowledged but stream {stream} holds {info.Info.State.Messages:N0} messages.");
        }
        return new Rate(workload.TotalRecords, workload.TotalRecords * (long)workload.RecordBytes, elapsed);

        static void Check(PubAckResponse ack)
        {
            ack.EnsureSuccess();
            if (ack.Duplicate)
            {
                throw new InvalidOperationException($"NATS: publish {ack.Seq} acknowledged as a duplicate.");
            }
        }
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        var js = Client.CreateJetStreamContext();
        var consumer = await CreateConsumerAsync(js, stream, cancellationToken).ConfigureAwait(false);
        var total = workload.TotalRecords;
        long read = 0;
        long bytes = 0;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(RedisPeer.Deadline(total) - DateTime.UtcNow);
        var started = Stopwatch.GetTimestamp();
        var readers = Enumerable.Range(0, Math.Max(1, workload.Consumers)).Select(_ => Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = ConsumeBatch }, cancellationToken: done.Token).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref bytes, message.Data?.Length ?? throw new InvalidOperationException($"NATS: a message of {stream} has no data."));
                        if (Interlocked.Increment(ref read) >= total)
                        {
                            // Every record is in: the other consumers stop waiting for more.
                            await done.CancelAsync().ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException) when (done.IsCancellationRequested)
                {
                    // The last record arrived, or the deadline passed (checked below).
                }
            },
            CancellationToken.None)).ToArray();
        await Task.WhenAll(readers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        cancellationToken.ThrowIfCancellationRequested();
        if (read != total)
        {
            throw new InvalidOperationException($"NATS: read {read:N0} of {total:N0} records written to {stream}.");
        }
        return new Rate(read, bytes, elapsed);
    }

    public async Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken)
    {
        var js = Client.CreateJetStreamContext();
        await js.CreateStreamAsync(new StreamConfig(stream, [$"{stream}.>"]) { Storage = StreamConfigStorage.File }, cancellationToken).ConfigureAwait(false);
        var consumer = await CreateConsumerAsync(js, stream, cancellationToken).ConfigureAwait(false);
        var total = (long)(ratePerSecond * duration.TotalSeconds);
        var ages = new double[total];
        long received = 0;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(duration + TimeSpan.FromSeconds(30));

        // The reader has a connection of its own, as a consuming application would.
        await using var readerClient = new NatsClient(_url);
        await readerClient.ConnectAsync().ConfigureAwait(false);
        var readerConsumer = await readerClient.CreateJetStreamContext().GetConsumerAsync(stream, consumer.Info.Name, cancellationToken).ConfigureAwait(false);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var message in readerConsumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 1_000 }, cancellationToken: done.Token).ConfigureAwait(false))
                    {
                        var age = RecordGenerator.AgeMs(message.Data);
                        if (received < total)
                        {
                            ages[received] = age;
                        }
                        if (++received >= total)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (done.IsCancellationRequested)
                {
                    // Deadline: the count check below reports the loss.
                }
            },
            CancellationToken.None);

        var subject = $"{stream}.0";
        var inFlight = new Queue<Task<PubAckResponse>>();
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (sent < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond));
            for (; sent < due; sent++)
            {
                inFlight.Enqueue(js.PublishAsync(subject, records.StampedValue(), cancellationToken: cancellationToken).AsTask());
            }
            while (inFlight.Count > 0 && (inFlight.Peek().IsCompleted || inFlight.Count > PublishWindow * 10))
            {
                (await inFlight.Dequeue().ConfigureAwait(false)).EnsureSuccess();
            }
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
        while (inFlight.Count > 0)
        {
            (await inFlight.Dequeue().ConfigureAwait(false)).EnsureSuccess();
        }
        await reader.ConfigureAwait(false);
        if (received != total)
        {
            throw new InvalidOperationException($"NATS: the latency reader got {received:N0} of {total:N0} records.");
        }
        return RedisPeer.LatencyOf(ages);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            _client = null;
        }
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    private static Task<INatsJSConsumer> CreateConsumerAsync(INatsJSContext js, string stream, CancellationToken cancellationToken) =>
        js.CreateOrUpdateConsumerAsync(
            stream,
            new ConsumerConfig("readers")
            {
                AckPolicy = ConsumerConfigAckPolicy.None,
                DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            },
            cancellationToken).AsTask();

    private NatsClient Client => _client ?? throw new InvalidOperationException("NATS: not started.");
}
