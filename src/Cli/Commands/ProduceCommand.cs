using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Orlog.Cli.Input;
using Orlog.Client;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog produce TOPIC`: one record per input line (stdin, or --file), its bytes as they are; with
/// --key-separator the bytes before the first separator are the key. Exits 0 only when every record sent was
/// acknowledged; Ctrl-C or SIGTERM stops reading, waits for what was sent and says how much was acknowledged.
/// </summary>
internal static class ProduceCommand
{
    /// <summary>The option whose value is optional: it takes one only when attached (--key-separator=S), never the next argument.</summary>
    public const string KeySeparatorOption = "--key-separator";

    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to write to" };
        var file = new Option<FileInfo>("--file", "-f") { Description = "Read records from this file instead of stdin (shows progress on a terminal)" };
        var separator = new Option<string?>(KeySeparatorOption, "-k")
        {
            Description = "Lines carry a key before a separator: --key-separator=S, or a tab when given alone; without it records have no key",
        };
        var partition = new Option<int?>("--partition", "-p") { Description = "Write every record to this partition instead of partitioning by key" };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "A header for every record, key=value (repeatable, kept in order, duplicates allowed)",
            AllowMultipleArgumentsPerToken = false,
        };
        var nullMarker = new Option<string?>("--null-marker") { Description = "A key or value equal to this text is sent as null (a tombstone, for a value)" };
        var valueFiles = new Option<FileInfo[]>("--value-file")
        {
            Description = "Send this file's bytes as one record's value, instead of reading lines (repeatable: a record per file, in order)",
            AllowMultipleArgumentsPerToken = false,
        };
        var keyFile = new Option<FileInfo>("--key-file") { Description = "With --value-file: this file's bytes are the key of every such record" };
        file.AcceptExistingOnly();
        valueFiles.AcceptExistingOnly();
        keyFile.AcceptExistingOnly();
        var acks = new Option<string?>("--acks") { Description = "0, 1 or all (default all)" };
        var compression = new Option<string?>("--compression") { Description = "none, gzip, snappy, lz4 or zstd (default none)" };
        var command = new Command("produce", "Write records to a topic, one per line")
        {
            topic, file, separator, partition, headers, nullMarker, valueFiles, keyFile, acks, compression,
        };
        command.SetAction(async (parse, cancel) =>
        {
            // A tool that pipes files in wants large calls: 256 KiB batches (Kafka's producer default is 16 KiB).
            // -X batch.size=... or linger.ms=... still wins.
            var config = GlobalOptions.Config(parse, new ProducerConfig { BatchSize = 256 * 1024, LingerMs = 10 });
            if (parse.GetValue(acks) is { } ackSetting)
            {
                config.Set("acks", ackSetting);
            }
            if (parse.GetValue(compression) is { } codec)
            {
                config.Set("compression.type", codec);
            }
            var name = parse.GetValue(topic)!;
            var keySeparator = parse.GetValue(separator) is { } given ? Encoding.UTF8.GetBytes(Escapes.Unescape(given)) : null;
            var marker = parse.GetValue(nullMarker) is { } text ? Encoding.UTF8.GetBytes(text) : null;
            var recordHeaders = Headers(parse.GetValue(headers));
            var source = parse.GetValue(file);
            var records = parse.GetValue(valueFiles) ?? [];
            if (records.Length > 0 && (source is not null || keySeparator is not null))
            {
                throw new ArgumentException("--value-file sends whole files: it does not go with --file or --key-separator.");
            }
            if (parse.GetValue(keyFile) is not null && records.Length == 0)
            {
                throw new ArgumentException("--key-file gives the key of --value-file records: use it with --value-file.");
            }
            var fixedKey = parse.GetValue(keyFile) is { } keyPath ? await File.ReadAllBytesAsync(keyPath.FullName, cancel) : null;
            await using var input = records.Length > 0 ? Stream.Null
                : source is null ? Console.OpenStandardInput() : new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await using var client = await OrlogClient.ConnectAsync(config, cancellationToken: cancel);
            var target = parse.GetValue(partition) is { } number ? await PartitionAsync(client, name, number, cancel) : null;
            IRecordSource reader = records.Length > 0 ? new FileRecordSource(records, fixedKey) : new LineRecordReader(input, keySeparator, marker);
            // Deliveries are counted a batch at a time: no report per record.
            var deliveries = new Deliveries();
            await using var producer = await new ProducerBuilder<byte[]?, byte[]?>(config)
                .SetClient(client)
                .SetKeySerializer(Serializers.ByteArray)
                .SetValueSerializer(Serializers.ByteArray)
                .SetBatchDeliveryHandler((_, report) => deliveries.Add(report))
                .BuildAsync(cancel);
            var run = new ProduceRun(producer, deliveries, name, target, recordHeaders, reader);
            var showProgress = source is not null && !Console.IsErrorRedirected;
            return showProgress ? await run.WithProgressAsync(source!.Length, cancel) : await run.RunAsync(cancel);
        });
        return command;
    }

    /// <summary>The partition of --partition, checked to exist (UNKNOWN_TOPIC_OR_PARTITION before anything is read).</summary>
    private static async Task<TopicPartition> PartitionAsync(OrlogClient client, string topic, int partition, CancellationToken cancel)
    {
        await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync(cancel);
        var description = await admin.DescribeTopicAsync(topic, cancel);
        if (!description.Partitions.Exists(p => p.Partition == partition))
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' has no partition {partition}; it has {description.Partitions.Count}.");
        }
        return new TopicPartition(topic, partition);
    }

    private static Headers? Headers(string[]? given)
    {
        if (given is not { Length: > 0 })
        {
            return null;
        }
        var headers = new Headers();
        foreach (var header in given)
        {
            var at = header.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"--header {header}: expected key=value.");
            }
            headers.Add(header[..at], Encoding.UTF8.GetBytes(header[(at + 1)..]));
        }
        return headers;
    }

    /// <summary>What the batch delivery reports said so far: records acknowledged, records failed and the first error.</summary>
    private sealed class Deliveries
    {
        private long _acknowledged;
        private long _failed;
        private KafkaException? _firstError;

        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        public long Failed => Interlocked.Read(ref _failed);

        public KafkaException? FirstError => Volatile.Read(ref _firstError);

        public void Add(BatchDeliveryReport report)
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _firstError, report.Error.ToException(), null);
                Interlocked.Add(ref _failed, report.Count);
            }
            else
            {
                Interlocked.Add(ref _acknowledged, report.Count);
            }
        }
    }

    private sealed class ProduceRun(IProducer<byte[]?, byte[]?> producer, Deliveries deliveries, string topic, TopicPartition? partition, Headers? headers, IRecordSource lines)
    {
        private long _sent;

        public async Task<int> WithProgressAsync(long fileBytes, CancellationToken cancel)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var result = 0;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("producing", maxValue: Math.Max(1, fileBytes));
                    var watch = Stopwatch.StartNew();
                    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
                    var running = RunAsync(cancel);
                    while (!running.IsCompleted)
                    {
                        await Task.WhenAny(running, timer.WaitForNextTickAsync(CancellationToken.None).AsTask());
                        var rate = deliveries.Acknowledged / Math.Max(0.001, watch.Elapsed.TotalSeconds);
                        task.Description = $"{deliveries.Acknowledged:N0} records, {rate:N0}/s";
                        task.Value = Math.Min(fileBytes, lines.BytesRead);
                    }
                    task.Value = task.MaxValue;
                    result = await running;
                });
            return result;
        }

        public async Task<int> RunAsync(CancellationToken cancel)
        {
            var watch = Stopwatch.StartNew();
            FormatException? badLine = null;
            // Reading stdin blocks; an interrupt stops waiting for it at once and the process ends after the flush.
            var reading = Task.Run(() =>
            {
                try
                {
                    // Produce has serialized a message when it returns: one object serves every line.
                    var message = new Message<byte[]?, byte[]?> { Headers = headers };
                    while (!cancel.IsCancellationRequested && lines.TryRead(out var key, out var value))
                    {
                        message.Key = key;
                        message.Value = value;
                        if (partition is { } target)
                        {
                            producer.Produce(target, message);
                        }
                        else
                        {
                            producer.Produce(topic, message);
                        }
                        Interlocked.Increment(ref _sent);
                    }
                }
                catch (FormatException error)
                {
                    badLine = error;
                }
            }, CancellationToken.None);
            await Task.WhenAny(reading, Task.Delay(Timeout.Infinite, cancel));
            var interrupted = !reading.IsCompleted;
            if (reading.IsFaulted)
            {
                // An input that cannot be read (a file gone mid-way): what was sent is still flushed below.
                Console.Error.WriteLine($"orlog: reading the input failed: {reading.Exception!.GetBaseException().Message}");
            }
            await producer.FlushAsync(CancellationToken.None);
            var sent = Interlocked.Read(ref _sent);
            var seconds = Math.Max(0.001, watch.Elapsed.TotalSeconds);
            var acknowledged = deliveries.Acknowledged;
            Console.Error.WriteLine(
                $"{(interrupted ? "Interrupted: " : "")}{acknowledged:N0} of {sent:N0} records acknowledged in {watch.Elapsed.TotalSeconds:F2} s ({acknowledged / seconds:N0} records/s).");
            if (badLine is not null)
            {
                Console.Error.WriteLine($"orlog: {badLine.Message}");
                return ExitCodes.Usage;
            }
            if (reading.IsFaulted)
            {
                return ExitCodes.Usage;
            }
            if (deliveries.Failed > 0)
            {
                Console.Error.WriteLine($"orlog: {deliveries.Failed:N0} record(s) failed: {deliveries.FirstError!.Message}");
                return ExitCodes.Refused;
            }
            return ExitCodes.Success;
        }
    }
}
