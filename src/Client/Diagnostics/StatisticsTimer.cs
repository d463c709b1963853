using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>
/// Hands the statistics handler a JSON document every statistics.interval.ms, in librdkafka's statistics shape
/// (name, client_id, type, ts, time, age, then what the client adds: msg_cnt, txmsgs, topics, cgrp, ...), so
/// tools that read Confluent.Kafka's statistics read Orlog's. The handler runs on this timer's thread; an exception
/// it throws is logged and the next document still comes.
/// </summary>
internal sealed partial class StatisticsTimer : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _clientId;
    private readonly string _type;
    private readonly Clock _clock;
    private readonly Action<Utf8JsonWriter> _write;
    private readonly Action<string> _handler;
    private readonly ILogger _logger;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    private StatisticsTimer(int intervalMs, string name, string clientId, string type, Clock clock, Action<Utf8JsonWriter> write, Action<string> handler,
        ILogger logger)
    {
        (_name, _clientId, _type, _clock, _write, _handler, _logger) = (name, clientId, type, clock, write, handler, logger);
        _timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs), clock.Provider);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>A timer when statistics are asked for (a handler and an interval above 0); null otherwise.</summary>
    public static StatisticsTimer? Start(int intervalMs, string name, string clientId, string type, Clock clock, Action<Utf8JsonWriter> write,
        Action<string>? handler, ILogger logger) =>
        handler is null || intervalMs <= 0 ? null : new StatisticsTimer(intervalMs, name, clientId, type, clock, write, handler, logger);

    /// <summary>One document now (the timer's work, also for tests).</summary>
    public string Document()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var ageUs = _clock.NowMs * 1000;
            writer.WriteStartObject();
            writer.WriteString("name", _name);
            writer.WriteString("client_id", _clientId);
            writer.WriteString("type", _type);
            writer.WriteNumber("ts", ageUs);
            writer.WriteNumber("time", _clock.UnixNowMs / 1000);
            writer.WriteNumber("age", ageUs);
            _write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private async Task RunAsync()
    {
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            try
            {
                _handler(Document());
            }
            catch (Exception error)
            {
                LogHandlerFailed(_logger, error, _name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _loop.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The statistics handler of {Client} threw; the next statistics still come.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception error, string client);
}
