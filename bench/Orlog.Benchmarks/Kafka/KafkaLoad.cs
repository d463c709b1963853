using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Orlog.Benchmarks.Streaming;
using Ck = Confluent.Kafka;

namespace Orlog.Benchmarks.Kafka;

/// <summary>
/// The Kafka protocol against the SDK, in the same run on the same silo: Confluent.Kafka (librdkafka) producing
/// and consuming 100 B records through the silo's Kafka listener, and the Orlog SDK doing the same through
/// Orleans' gateway, one partition, acks=1, with the silo's CPU per record on each path. Rounds alternate which
/// path goes first. Then fetch with and without zero copy (<see cref="ZeroCopyFetch"/>). Writes the "kafka" section
/// of docs/benchmarks.md (a full run without --out).
/// </summary>
internal static class KafkaLoad
{
    private const string Section = "kafka";
    private const int RecordBytes = 100;

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private sealed record Row(string Path, string Operation, Measured Measured);

    private static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var rounds = LoadArguments.Int(args, "--rounds", quick ? 1 : 3);
        var records = LoadArguments.Int(args, "--records", quick ? 100_000 : 2_000_000);
        var output = LoadArguments.String(args, "--out");
        var fetchMegabytes = LoadArguments.Int(args, "--fetch-mb", quick ? 32 : 256);
        var fetchPasses = LoadArguments.Int(args, "--fetch-passes", quick ? 1 : 4);
        var fetchKilobytes = LoadArguments.Int(args, "--fetch-kb", 1024);
        var root = MarkdownSection.RepositoryRoot();
        var loadBefore = MachineLoad.Average();
        var rows = new List<(int Round, Row Row)>();
        using (var silo = await SiloRunner.StartAsync(SiloRunner.FindSilo(root), [], TimeSpan.FromSeconds(90)))
        {
            var kafka = KafkaEndpoint(silo);
            Log($"silo pid {silo.ProcessId}: gateway {silo.Bootstrap}, Kafka {kafka}; {records:N0} records of {RecordBytes} B, {rounds} round(s) after a warm-up");

            await using var client = await Client.OrlogClient.ConnectAsync(new Client.ClientConfig { BootstrapServers = silo.Bootstrap, ClientId = "orlog-bench" });
            await using var admin = await new Client.AdminClientBuilder(new Client.ClientConfig()).SetClient(client).BuildAsync();
            var meter = new CpuMeter(silo);
            for (var round = 0; round <= rounds; round++)
            {
                var count = round == 0 ? Math.Max(10_000, records / 5) : records;
                var kafkaFirst = round % 2 == 1;
                foreach (var viaKafka in kafkaFirst ? new[] { true, false } : [false, true])
                {
                    var topic = $"{(viaKafka ? "kafka" : "sdk")}-r{round}";
                    await admin.CreateTopicAsync(topic, 1);
                    var path = viaKafka ? "Kafka protocol (Confluent.Kafka)" : "Orlog SDK (Orleans)";
                    var produced = viaKafka
                        ? ProduceWithKafka(kafka, topic, count, meter)
                        : await ClientRuns.ProduceAsync(client, new Client.ProducerConfig { Acks = Client.Acks.Leader, LingerMs = 5, BatchSize = 262_144, ClientId = "orlog-bench" },
                            topic, count, RecordBytes, meter);
                    var consumed = viaKafka
                        ? ConsumeWithKafka(kafka, topic, count, meter)
                        : await ClientRuns.ConsumeAsync(client, new Client.ConsumerConfig { ClientId = "orlog-bench" }, topic, 1, count, RecordBytes, meter);
                    foreach (var (operation, measured) in new[] { ("produce", produced), ("consume", consumed) })
                    {
                        Log(string.Create(CultureInfo.InvariantCulture,
                            $"round {round}{(round == 0 ? " (warm-up)" : "")}: {path} {operation}: {measured.Rate.RecordsPerSecond:N0} records/s, silo {SiloMicros(measured):F2} µs/record"));
                        if (round > 0)
                        {
                            rows.Add((round, new Row(path, operation, measured)));
                        }
                    }
                    await admin.DeleteTopicAsync(topic);
                }
            }
        }

        var fetches = await ZeroCopyFetch.RunAsync(SiloRunner.FindSilo(root), rounds, fetchMegabytes * 1024L * 1024, fetchPasses, fetchKilobytes * 1024, Log);

        var text = Render(rows.Select(r => r.Row).ToList(), fetches, fetchMegabytes, fetchPasses, fetchKilobytes, rounds, records, quick, args, loadBefore, MachineLoad.Average());
        Console.Out.WriteLine(text);
        var target = output ?? (quick ? Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md") : Path.Combine(root, "docs", "benchmarks.md"));
        MarkdownSection.Write(target, Section, text);
        Log($"wrote {target}");
        return 0;
    }

    private static double SiloMicros(Measured measured) => measured.SiloCpu.TotalMicroseconds / measured.Rate.Records;

    internal static string KafkaEndpoint(SiloRunner silo)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(silo.DataDirectory, "data", "endpoints.json")));
        return json.RootElement.GetProperty("kafka").GetString() ?? throw new InvalidOperationException("The silo runs no Kafka listener.");
    }

    /// <summary>librdkafka's producer as kafka-producer-perf-test drives it: one shared value, Produce with a handler, timed until Flush returns.</summary>
    private static Measured ProduceWithKafka(string bootstrap, string topic, long records, CpuMeter meter)
    {
        var value = new byte[RecordBytes];
        new Random(7).NextBytes(value);
        using var producer = new ProducerBuilder<Null, byte[]>(new Ck.ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Ck.Acks.Leader,
            EnableIdempotence = false,
            LingerMs = 5,
            BatchSize = 262_144,
            QueueBufferingMaxMessages = 1_000_000,
            ClientId = "orlog-bench-kafka",
        }).Build();
        long failed = 0;
        string? firstError = null;
        Action<DeliveryReport<Null, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
            {
                firstError = report.Error.ToString();
            }
        };
        var message = new Message<Null, byte[]> { Value = value };
        // Connected before the clock starts, as the SDK's client already is.
        using (var metadata = new DependentAdminClientBuilder(producer.Handle).Build())
        {
            metadata.GetMetadata(topic, TimeSpan.FromSeconds(30));
        }
        meter.Start();
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    break;
                }
                catch (ProduceException<Null, byte[]> error) when (error.Error.Code == Ck.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
        }
        producer.Flush(TimeSpan.FromMinutes(2));
        watch.Stop();
        var measured = meter.Stop(new Rate(records, records * RecordBytes, watch.Elapsed));
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} of {records} records to {topic} were not delivered; first error: {firstError}");
        }
        return measured;
    }

    /// <summary>librdkafka's consumer, assigned to the partition from the beginning, timed until the last record is returned.</summary>
    private static Measured ConsumeWithKafka(string bootstrap, string topic, long records, CpuMeter meter)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new Ck.ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "orlog-bench-unused",
            EnableAutoCommit = false,
            ClientId = "orlog-bench-kafka",
        }).Build();
        long read = 0, bytes = 0;
        // Connected to the partition's leader before the clock starts, as the SDK's client already is.
        consumer.QueryWatermarkOffsets(new Ck.TopicPartition(topic, 0), TimeSpan.FromSeconds(30));
        meter.Start();
        var watch = Stopwatch.StartNew();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var idle = Stopwatch.StartNew();
        while (read < records)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                bytes += result.Message.Value.Length;
                read++;
                idle.Restart();
            }
            else if (idle.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"No record of {topic} arrived within 30 s after {read} of {records}.");
            }
        }
        watch.Stop();
        if (bytes != records * RecordBytes)
        {
            throw new InvalidOperationException($"Read {bytes} value bytes from {topic}, expected {records * RecordBytes}.");
        }
        return meter.Stop(new Rate(read, bytes, watch.Elapsed));
    }

    private static string Render(List<Row> rows, List<ZeroCopyFetch.Row> fetches, int fetchMegabytes, int fetchPasses, int fetchKilobytes, int rounds, int records, bool quick, string[] args,
        string loadBefore, string loadAfter)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{(quick ? " (quick run: not a result)" : "")}; " +
            $"load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after.");
        text.AppendLine(invariant, $"Reproduce: `dotnet run -c Release --project bench/Orlog.Benchmarks -- kafka{string.Concat(args.Select(a => " " + a))}`.");
        text.AppendLine(invariant, $"One silo on its embedded default (as the streaming program starts it), one partition, {records:N0} records of {RecordBytes} B (null key) per measurement, " +
            $"median (min, max) of {rounds} round(s) after a warm-up round; the two paths alternate which goes first. Produce: acks=1, no idempotence, linger.ms=5, batch.size=262144, " +
            $"one thread calling Produce with a delivery handler, timed until Flush returns. Consume: one consumer assigned to the partition from the beginning, timed until the last record. " +
            $"Silo CPU is the silo process' user + system time over the measurement, per record.");
        text.AppendLine();
        text.AppendLine("| path | operation | records/s | MB/s | silo CPU, µs/record | client CPU, cores |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => (r.Operation, r.Path)).OrderBy(g => g.Key.Operation == "consume").ThenBy(g => g.Key.Path))
        {
            var list = group.Select(r => r.Measured).ToList();
            text.AppendLine(invariant, $"| {group.Key.Path} | {group.Key.Operation} | {Stats.Summary(list.Select(m => m.Rate.RecordsPerSecond).ToList(), "N0")} | " +
                $"{Stats.Summary(list.Select(m => m.Rate.MegabytesPerSecond).ToList(), "F1")} | {Stats.Summary(list.Select(SiloMicros).ToList(), "F2")} | {Stats.Summary(list.Select(m => m.ClientCores).ToList(), "F2")} |");
        }
        text.AppendLine();
        text.AppendLine("| goal | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var operation in new[] { "produce", "consume" })
        {
            var viaKafka = rows.Where(r => r.Operation == operation && r.Path.StartsWith("Kafka", StringComparison.Ordinal)).Select(r => r.Measured.Rate.RecordsPerSecond).ToList();
            var viaSdk = rows.Where(r => r.Operation == operation && r.Path.StartsWith("Orlog", StringComparison.Ordinal)).Select(r => r.Measured.Rate.RecordsPerSecond).ToList();
            if (viaKafka.Count > 0 && viaSdk.Count > 0)
            {
                var ratio = Stats.Median(viaKafka) / Stats.Median(viaSdk);
                text.AppendLine(invariant, $"| {operation}: Kafka protocol ÷ SDK ≥ 1 (medians) | {ratio:F2} | {(ratio >= 1 ? "yes" : "**no**")} |");
            }
        }
        text.AppendLine();
        text.AppendLine(invariant, $"Fetch with and without zero copy: two silos hold the same log of {fetchMegabytes} MiB (1 KiB records, one partition); a bare fetch loop on one " +
            $"connection (Fetch v11 from the protocol's own codec, no consumer library) reads it {fetchPasses} times, {fetchKilobytes} KiB a fetch (max.partition.fetch.bytes; 1024, its default, unless --fetch-kb says), from the " +
            $"page cache. Zero copy: the listener sends the records from the segment file by sendfile; without (Orlog:KafkaZeroCopy=false): the broker reads them into memory " +
            $"and the listener copies them into its output. Median (min, max) of {rounds} round(s) after a warm-up; the two silos alternate which goes first.");
        text.AppendLine();
        text.AppendLine("| fetch | MB/s | silo CPU, s/GB (user + system) | of which user, s/GB | client CPU, cores |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var group in fetches.GroupBy(f => f.ZeroCopy).OrderByDescending(g => g.Key))
        {
            var list = group.ToList();
            text.AppendLine(invariant, $"| {(group.Key ? "zero copy (sendfile)" : "copying")} | {Stats.Summary(list.Select(f => f.BytesPerSecond / 1e6).ToList(), "N0")} | " +
                $"{Stats.Summary(list.Select(f => f.SiloCpuSecondsPerGb).ToList(), "F2")} | {Stats.Summary(list.Select(f => f.SiloUserSecondsPerGb).ToList(), "F2")} | " +
                $"{Stats.Summary(list.Select(f => f.ClientCores).ToList(), "F2")} |");
        }
        var zero = fetches.Where(f => f.ZeroCopy).ToList();
        var copy = fetches.Where(f => !f.ZeroCopy).ToList();
        if (zero.Count > 0 && copy.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(invariant, $"Zero copy ÷ copying (medians): throughput {Stats.Median([.. zero.Select(f => f.BytesPerSecond)]) / Stats.Median([.. copy.Select(f => f.BytesPerSecond)]):F2}, " +
                $"silo CPU per GB {Stats.Median([.. zero.Select(f => f.SiloCpuSecondsPerGb)]) / Stats.Median([.. copy.Select(f => f.SiloCpuSecondsPerGb)]):F2}, " +
                $"silo user CPU per GB {Stats.Median([.. zero.Select(f => f.SiloUserSecondsPerGb)]) / Stats.Median([.. copy.Select(f => f.SiloUserSecondsPerGb)]):F2}.");
        }
        return text.ToString();
    }
}
