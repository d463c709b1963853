using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Orlog.Benchmarks.Compare;
using Orlog.Client;

namespace Orlog.Benchmarks.Streams;

/// <summary>
/// The streams load program (issue 17): an embedded silo in this process with the Orlog stream provider and
/// Orleans' memory provider side by side (<see cref="StreamsSilo"/>), and, over several rounds:
/// events published by 1,000 grains one event per OnNextAsync call through the topic router, against the SDK
/// producer (in the same silo) writing the same events; events delivered to implicitly subscribed grains (1,000
/// streams, 100-byte values) by each provider, measured from the first to the last delivery while a producer in the
/// silo writes them as fast as it can (the Orlog topic by the SDK producer; the memory provider's queues by
/// OnNextBatchAsync, as the compare run does); and end-to-end latency from the SDK's Produce call to the grain's
/// OnNextAsync at a steady rate. Medians go to the "streams" section of docs/benchmarks.md (a full run) or to a temp
/// file (--quick), or to --out.
/// </summary>
internal static class StreamsLoad
{
    private const string Section = "streams";
    private const int ValueBytes = 100;
    /// <summary>Events per OnNextBatchAsync in the memory provider's best case (the compare run's batch): one queue message, one delivery call.</summary>
    private const int MemoryBatch = 100;
    private const int MemoryInFlight = 16;
    private static readonly TimeSpan _stall = TimeSpan.FromSeconds(30);

    public static int Run(string[] args) =>
        GCSettings.IsServerGC || Environment.GetEnvironmentVariable(ServerGcVariable) is not null ? RunAsync(args).GetAwaiter().GetResult() : RunWithServerGc(args);

    private const string ServerGcVariable = "DOTNET_gcServer";

    /// <summary>
    /// The silo ships with server GC (src/Silo), and an embedded silo is measured as it ships: started without it,
    /// this program runs itself again with it (the other programs here keep workstation GC, so their figures stay
    /// comparable with earlier runs). With workstation GC the latency run's p99 is about 10-15 ms here, with server GC about 5.
    /// </summary>
    private static int RunWithServerGc(string[] args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(StreamsLoad).Assembly.Location);
        }
        info.ArgumentList.Add("streams");
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment[ServerGcVariable] = "1";
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"{host} did not start");
        child.WaitForExit();
        return child.ExitCode;
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        Log($"{Section}: {options.Describe()}");
        var loadBefore = MachineLoad.Average();
        var rounds = new List<Round>();
        await using (var silo = await StreamsSilo.StartAsync(options.Partitions))
        {
            Log($"silo in this process (pid {Environment.ProcessId}), data in {silo.Directory}");
            await using var client = OrlogClient.FromGrainFactory(silo.Grains);
            await WarmUpAsync(silo, client, options);
            for (var round = 1; round <= options.Rounds; round++)
            {
                rounds.Add(await RoundAsync(silo, client, options, round));
            }
        }
        var text = Render(options, rounds, loadBefore, MachineLoad.Average());
        Console.Out.WriteLine(text);
        var root = MarkdownSection.RepositoryRoot();
        var path = options.Out ?? (options.Quick ? Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md") : Path.Combine(root, "docs", "benchmarks.md"));
        MarkdownSection.Write(path, Section, text);
        Log($"wrote {path}");
        return 0;
    }

    /// <summary>Activates the publishers, the subscribers of every stream and both providers' pub-sub once.</summary>
    private static async Task WarmUpAsync(StreamsSilo silo, OrlogClient client, Options options)
    {
        var warm = options with { Events = options.Streams * 10, PerPublisher = 5, LatencySeconds = 3, WarmupSeconds = 0 };
        await PublishFromGrainsAsync(silo, warm);
        await PublishWithSdkAsync(client, warm);
        await DeliverOrlogAsync(silo, client, warm, StreamsSilo.OrlogNamespace);
        await DeliverOrlogAsync(silo, client, warm, StreamsSilo.BatchedNamespace);
        await DeliverMemoryAsync(silo, warm, 1);
        await DeliverMemoryAsync(silo, warm, MemoryBatch);
        await LatencyAsync(silo, client, warm);
        Log("warm-up done");
    }

    private static async Task<Round> RoundAsync(StreamsSilo silo, OrlogClient client, Options options, int round)
    {
        var fromGrains = options.Runs("publish") ? await PublishFromGrainsAsync(silo, options) : double.NaN;
        var sdk = options.Runs("publish") ? await PublishWithSdkAsync(client, options) : double.NaN;
        double orlog = double.NaN, orlogBatched = double.NaN, memory = double.NaN, memoryBatched = double.NaN;
        // The providers take turns going first: a machine that is busier in one half of a round favours neither.
        if (options.Runs("delivery") && round % 2 == 1)
        {
            orlog = await DeliverOrlogAsync(silo, client, options, StreamsSilo.OrlogNamespace);
            orlogBatched = await DeliverOrlogAsync(silo, client, options, StreamsSilo.BatchedNamespace);
            memory = await DeliverMemoryAsync(silo, options, 1);
            memoryBatched = await DeliverMemoryAsync(silo, options, MemoryBatch);
        }
        else if (options.Runs("delivery"))
        {
            memoryBatched = await DeliverMemoryAsync(silo, options, MemoryBatch);
            memory = await DeliverMemoryAsync(silo, options, 1);
            orlogBatched = await DeliverOrlogAsync(silo, client, options, StreamsSilo.BatchedNamespace);
            orlog = await DeliverOrlogAsync(silo, client, options, StreamsSilo.OrlogNamespace);
        }
        var latency = options.Runs("latency") ? await LatencyAsync(silo, client, options) : new Latency(double.NaN, double.NaN, double.NaN, double.NaN);
        var result = new Round(fromGrains, sdk, orlog, orlogBatched, memory, memoryBatched, latency);
        Log(FormattableString.Invariant($"round {round}: published by grains {fromGrains:N0}/s, by the SDK {sdk:N0}/s; delivered orlog {orlog:N0}/s, orlog in deliveries of {StreamsSilo.DeliveryBatch} {orlogBatched:N0}/s, memory {memory:N0}/s, memory in batches {memoryBatched:N0}/s; latency p50 {latency.P50:F2} p99 {latency.P99:F2} p99.9 {latency.P999:F2} max {latency.Max:F2} ms"));
        return result;
    }

    /// <summary>Events per second: 1,000 grains, each awaiting one OnNextAsync per event on its own stream.</summary>
    private static async Task<double> PublishFromGrainsAsync(StreamsSilo silo, Options options)
    {
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.Publishers).Select(publisher => silo.Grains.GetGrain<IStreamPublisherGrain>(PublisherKey(publisher))
            .Publish(StreamsSilo.OrlogProvider, StreamsSilo.PublishNamespace, options.PerPublisher, ValueBytes)));
        return options.Published / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Events per second: the SDK producer in the silo writing the same records (the publishers' keys in turn), until flushed.</summary>
    private static async Task<double> PublishWithSdkAsync(OrlogClient client, Options options)
    {
        var config = new ProducerConfig { Acks = Acks.All, LingerMs = 5, BatchSize = 16_384 };
        var keys = Enumerable.Range(0, options.Publishers).Select(publisher => Encoding.UTF8.GetBytes(PublisherKey(publisher))).ToArray();
        var start = Stopwatch.GetTimestamp();
        await ProduceAsync(client, config, StreamsSilo.PublishNamespace, options.Published, keys, _ => new byte[ValueBytes]);
        return options.Published / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Events per second delivered to an Orlog provider's subscribers (of <paramref name="streamNamespace"/>), first to last delivery.</summary>
    private static async Task<double> DeliverOrlogAsync(StreamsSilo silo, OrlogClient client, Options options, string streamNamespace)
    {
        silo.Meter.Reset();
        var keys = StreamKeys(options);
        var value = new byte[ValueBytes];
        await ProduceAsync(client, new ProducerConfig { Acks = Acks.All }, streamNamespace, options.Events, keys, _ => value);
        await silo.Meter.WaitForAsync(options.Events, _stall, streamNamespace + " delivery");
        return options.Events / silo.Meter.Span.TotalSeconds;
    }

    /// <summary>
    /// Events per second delivered to the memory provider's subscribers, first to last delivery, produced
    /// <paramref name="batch"/> events of a stream per OnNextBatchAsync call (1: one event per call, as the Orlog
    /// provider's events are records of their own), <see cref="MemoryInFlight"/> calls in flight.
    /// </summary>
    private static async Task<double> DeliverMemoryAsync(StreamsSilo silo, Options options, int batch)
    {
        silo.Meter.Reset();
        var provider = silo.Client.GetStreamProvider(StreamsSilo.MemoryProvider);
        var streams = Enumerable.Range(0, options.Streams).Select(stream => provider.GetStream<byte[]>(StreamId.Create(StreamsSilo.MemoryNamespace, StreamKey(stream)))).ToArray();
        var value = new byte[ValueBytes];
        var inFlight = new Queue<Task>();
        long sent = 0;
        for (var call = 0; sent < options.Events; call++)
        {
            var count = (int)Math.Min(batch, options.Events - sent);
            if (inFlight.Count == MemoryInFlight)
            {
                await inFlight.Dequeue();
            }
            inFlight.Enqueue(streams[call % streams.Length].OnNextBatchAsync(Enumerable.Repeat(value, count).ToList()));
            sent += count;
        }
        await Task.WhenAll(inFlight);
        await silo.Meter.WaitForAsync(options.Events, _stall, "memory delivery");
        return options.Events / silo.Meter.Span.TotalSeconds;
    }

    /// <summary>
    /// Produce-to-OnNextAsync latency with the Orlog provider: the SDK producer (linger.ms=0, acks=all) sends at a
    /// steady rate over the 1,000 streams, each value stamped with the send moment and a sequence number; the
    /// warm-up's events are left out.
    /// </summary>
    private static async Task<Latency> LatencyAsync(StreamsSilo silo, OrlogClient client, Options options)
    {
        var warmup = (long)(options.LatencyRate * options.WarmupSeconds);
        var total = warmup + (long)(options.LatencyRate * options.LatencySeconds);
        var latencies = new long[total];
        silo.Meter.Reset(latencies);
        var keys = StreamKeys(options);
        await using var producer = await new ProducerBuilder<byte[], byte[]>(new ProducerConfig { Acks = Acks.All, LingerMs = 0 }).SetClient(client).BuildAsync();
        long failed = 0;
        Action<DeliveryReport<byte[], byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        long sequence = 0;
        await Task.Factory.StartNew(() => SteadyRate.Run(total, options.LatencyRate, () =>
        {
            var value = new byte[ValueBytes];
            BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(8), sequence);
            BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
            producer.Produce(StreamsSilo.OrlogNamespace, new Message<byte[], byte[]> { Key = keys[sequence % keys.Length], Value = value }, onDelivery);
            sequence++;
        }, CancellationToken.None), TaskCreationOptions.LongRunning);
        await producer.FlushAsync();
        if (failed > 0)
        {
            throw new InvalidOperationException($"latency: {failed} of {total} events were not appended.");
        }
        await silo.Meter.WaitForAsync(total, _stall, "latency");
        var measured = latencies.AsSpan((int)warmup).ToArray();
        Array.Sort(measured);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double At(double quantile) => Ms(measured[Math.Min(measured.Length - 1, (int)(quantile * measured.Length))]);
        return new Latency(At(0.50), At(0.99), At(0.999), Ms(measured[^1]));
    }

    private static async Task ProduceAsync(OrlogClient client, ProducerConfig config, string topic, long events, byte[][] keys, Func<long, byte[]> value)
    {
        long failed = 0;
        Error? firstError = null;
        await using var producer = await new ProducerBuilder<byte[], byte[]>(config).SetClient(client)
            .SetBatchDeliveryHandler((_, batch) =>
            {
                if (batch.Error.IsError && Interlocked.Add(ref failed, batch.Count) == batch.Count)
                {
                    firstError = batch.Error;
                }
            })
            .BuildAsync();
        // Produce has serialized a message when it returns, so one message per key serves every event of that key.
        var messages = keys.Select(key => new Message<byte[], byte[]> { Key = key }).ToArray();
        for (long i = 0; i < events; i++)
        {
            var message = messages[i % messages.Length];
            message.Value = value(i);
            producer.Produce(topic, message);
        }
        await producer.FlushAsync();
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {events} events to {topic} were not appended; first error: {firstError}");
        }
    }

    private static string PublisherKey(int publisher) => "p" + publisher.ToString(CultureInfo.InvariantCulture);

    private static string StreamKey(int stream) => "s" + stream.ToString(CultureInfo.InvariantCulture);

    private static byte[][] StreamKeys(Options options) => Enumerable.Range(0, options.Streams).Select(stream => Encoding.UTF8.GetBytes(StreamKey(stream))).ToArray();

    private static string Render(Options options, List<Round> rounds, string loadBefore, string loadAfter)
    {
        string Rate(Func<Round, double> pick) => Stats.Summary(rounds.Select(pick).ToList(), "N0");
        string Ratio(Func<Round, double> pick) => Stats.Summary(rounds.Select(pick).ToList(), "F2");
        string Ms(Func<Latency, double> pick) => Stats.Summary(rounds.Select(r => pick(r.Latency)).ToList(), "F2");
        var text = new StringBuilder();
        text.AppendLine("## streams: the Orleans stream provider on Orlog (issue 17)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench/Orlog.Benchmarks -- streams` ({options.Describe()}).");
        text.AppendLine("One embedded silo in the benchmark's process (AddOrlogBroker, data on local disk, the silo's default storage as PubSubStore) carries the Orlog provider and Orleans' memory provider side by side, with server GC as the silo ships; every producer below is in that silo. Median (min, max) of the rounds; ratios are per round, then the median.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average before {loadBefore}, after {loadAfter} (2 cores, shared machine).");
        text.AppendLine();
        text.AppendLine("| measure | median (min, max) |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| published by {options.Publishers:N0} grains, one event per `OnNextAsync` through the topic router (acks=all), events/s | {Rate(r => r.FromGrains)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| published by the SDK producer in the silo, same events and keys (acks=all, linger.ms 5), events/s | {Rate(r => r.Sdk)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| grains through the router / SDK producer | {Ratio(r => r.FromGrains / r.Sdk)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| delivered to implicitly subscribed grains, Orlog provider ({options.Streams:N0} streams, {options.Partitions} partitions), events/s | {Rate(r => r.Orlog)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the same, Orlog provider with `DeliveryBatchSize` {StreamsSilo.DeliveryBatch} (up to {StreamsSilo.DeliveryBatch} events of a stream per delivery call), events/s | {Rate(r => r.OrlogBatched)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| delivered to the same grains, Orleans memory provider ({options.Partitions} queues, nothing kept), one event per `OnNextBatchAsync`, events/s | {Rate(r => r.Memory)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Orlog / memory provider, one event per call | {Ratio(r => r.Orlog / r.Memory)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| delivered by the memory provider, {MemoryBatch} events of a stream per `OnNextBatchAsync` (one queue message, one delivery call), events/s | {Rate(r => r.MemoryBatched)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Orlog / memory provider in batches of {MemoryBatch} | {Ratio(r => r.Orlog / r.MemoryBatched)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Orlog with `DeliveryBatchSize` {StreamsSilo.DeliveryBatch} / memory provider in batches of {MemoryBatch} | {Ratio(r => r.OrlogBatched / r.MemoryBatched)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| produce to `OnNextAsync` at {options.LatencyRate:N0} events/s, p50 ms | {Ms(l => l.P50)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| same, p99 ms (goal ≤ 10) | {Ms(l => l.P99)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| same, p99.9 ms | {Ms(l => l.P999)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| same, max ms | {Ms(l => l.Max)} |");
        return text.ToString();
    }

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private readonly record struct Latency(double P50, double P99, double P999, double Max);

    private readonly record struct Round(double FromGrains, double Sdk, double Orlog, double OrlogBatched, double Memory, double MemoryBatched, Latency Latency);

    private sealed record Options(int Rounds, long Events, int Streams, int Partitions, int Publishers, int PerPublisher, int LatencyRate, double LatencySeconds,
        double WarmupSeconds, bool Quick, string? Out, string? Only)
    {
        /// <summary>Whether a round measures <paramref name="part"/> (publish, delivery, latency): all of them unless --only names one.</summary>
        public bool Runs(string part) => Only is null || Only == part;

        public long Published => (long)Publishers * PerPublisher;

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            return new Options(
                LoadArguments.Int(args, "--rounds", quick ? 1 : 5),
                LoadArguments.Int(args, "--events", quick ? 100_000 : 1_000_000),
                LoadArguments.Int(args, "--streams", 1000),
                LoadArguments.Int(args, "--partitions", 8),
                LoadArguments.Int(args, "--publishers", 1000),
                LoadArguments.Int(args, "--per-publisher", quick ? 20 : 200),
                LoadArguments.Int(args, "--rate", 50_000),
                LoadArguments.Int(args, "--seconds", quick ? 3 : 10),
                2,
                quick,
                LoadArguments.String(args, "--out"),
                LoadArguments.String(args, "--only"));
        }

        public string Describe() => FormattableString.Invariant(
            $"{Rounds} round(s); publish {Publishers:N0} grains x {PerPublisher:N0} events; delivery {Events:N0} events of {ValueBytes} B over {Streams:N0} streams, {Partitions} partitions/queues; latency {LatencySeconds:F0} s at {LatencyRate:N0}/s after {WarmupSeconds:F0} s");
    }
}
