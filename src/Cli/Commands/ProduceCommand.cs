using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Orlog.Cli.Input;
using Orlog.Client;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary>
/// `orlog produce TOPIC`: one record per input line (stdin, or --file); with --key-separator the text before
/// the first separator is the key. Exits 0 only when every record was acknowledged.
/// </summary>
internal static class ProduceCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic to write to" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read records from this file instead of stdin (shows progress on a terminal)" };
        var separator = new Option<string?>("--key-separator", "-k")
        {
            Description = "Lines carry a key before this separator (a tab when given without a value); without it records have no key",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var acks = new Option<string?>("--acks") { Description = "0, 1 or all (default all)" };
        var compression = new Option<string?>("--compression") { Description = "none, gzip, snappy, lz4 or zstd (default none)" };
        var command = new Command("produce", "Write records to a topic, one per line") { topic, file, separator, acks, compression };
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
            var keySeparator = parse.GetResult(separator) is null ? null : Unescape(parse.GetValue(separator) ?? "\t");
            var source = parse.GetValue(file);
            using var input = source is null ? Console.In : new StreamReader(source.FullName, Encoding.UTF8, false, 1 << 16);
            await using var producer = await new ProducerBuilder<byte[]?, byte[]?>(config)
                .SetKeySerializer(Serializers.ByteArray)
                .SetValueSerializer(Serializers.ByteArray)
                .BuildAsync(cancel);
            var run = new ProduceRun(producer, parse.GetValue(topic)!, new LineRecordReader(input, keySeparator));
            var showProgress = source is not null && !Console.IsErrorRedirected;
            return showProgress ? await run.WithProgressAsync(source!.Length, cancel) : await run.RunAsync(cancel);
        });
        return command;
    }

    private static string Unescape(string separator) => separator.Replace("\\t", "\t", StringComparison.Ordinal);

    private sealed class ProduceRun(IProducer<byte[]?, byte[]?> producer, string topic, LineRecordReader lines)
    {
        private long _sent;
        private long _acknowledged;
        private long _failed;
        private KafkaException? _firstError;

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
                        await Task.WhenAny(running, timer.WaitForNextTickAsync(cancel).AsTask());
                        var rate = Volatile.Read(ref _acknowledged) / Math.Max(0.001, watch.Elapsed.TotalSeconds);
                        task.Description = $"{Volatile.Read(ref _acknowledged):N0} records, {rate:N0}/s";
                        task.Value = Math.Min(fileBytes, task.MaxValue * Volatile.Read(ref _sent) / Math.Max(1, lines.LineNumber));
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
            await Task.Run(() =>
            {
                try
                {
                    while (!cancel.IsCancellationRequested && lines.TryRead(out var key, out var value))
                    {
                        var message = new Message<byte[]?, byte[]?>
                        {
                            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
                            Value = Encoding.UTF8.GetBytes(value),
                        };
                        producer.Produce(topic, message, OnDelivery);
                        _sent++;
                    }
                }
                catch (FormatException error)
                {
                    badLine = error;
                }
            }, CancellationToken.None);
            await producer.FlushAsync(CancellationToken.None);
            Console.Error.WriteLine($"{_acknowledged:N0} of {_sent:N0} records acknowledged in {watch.Elapsed.TotalSeconds:F2} s ({_acknowledged / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0} records/s).");
            if (badLine is not null)
            {
                Console.Error.WriteLine($"orlog: {badLine.Message}");
                return ExitCodes.Usage;
            }
            if (_failed > 0)
            {
                Console.Error.WriteLine($"orlog: {_failed:N0} record(s) failed: {_firstError!.Message}");
                return ExitCodes.Refused;
            }
            return ExitCodes.Success;
        }

        private void OnDelivery(DeliveryReport<byte[]?, byte[]?> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _firstError, report.Error.ToException(), null);
                Interlocked.Increment(ref _failed);
            }
            else
            {
                Interlocked.Increment(ref _acknowledged);
            }
        }
    }
}
