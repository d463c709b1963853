using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orlog.Client;

/// <summary>
/// A builder's log and error handlers as a logger factory: every line a client logs goes to the log handler (and
/// to the application's own logger factory, if it gave one), and every warning or error to the error handler,
/// as librdkafka's log and error callbacks get them.
/// </summary>
internal sealed class HandlerLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _inner;
    private readonly string _name;
    private readonly Action<LogMessage>? _log;
    private readonly Action<Error>? _error;

    private HandlerLoggerFactory(ILoggerFactory inner, string name, Action<LogMessage>? log, Action<Error>? error)
    {
        _inner = inner;
        _name = name;
        _log = log;
        _error = error;
    }

    /// <summary><paramref name="inner"/> itself when no handler is set; else a factory that also calls them.</summary>
    public static ILoggerFactory? Wrap(ILoggerFactory? inner, string name, Action<LogMessage>? log, Action<Error>? error) =>
        log is null && error is null ? inner : new HandlerLoggerFactory(inner ?? NullLoggerFactory.Instance, name, log, error);

    public ILogger CreateLogger(string categoryName) => new HandlerLogger(_inner.CreateLogger(categoryName), this, categoryName);

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose()
    {
    }

    private sealed class HandlerLogger(ILogger inner, HandlerLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None || inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
            if (logLevel is < LogLevel.Information or LogLevel.None)
            {
                return;
            }
            var message = formatter(state, exception);
            // A handler that throws must not break the client: its exception is dropped.
            try
            {
                factory._log?.Invoke(new LogMessage(factory._name, Syslog(logLevel), category, message));
                if (logLevel >= LogLevel.Warning && factory._error is { } error)
                {
                    error(exception is KafkaException kafka ? kafka.Error : new Error(ErrorCode.Local_Fail, message));
                }
            }
            catch (Exception)
            {
            }
        }

        private static SyslogLevel Syslog(LogLevel level) => level switch
        {
            LogLevel.Critical => SyslogLevel.Critical,
            LogLevel.Error => SyslogLevel.Error,
            LogLevel.Warning => SyslogLevel.Warning,
            LogLevel.Information => SyslogLevel.Info,
            _ => SyslogLevel.Debug,
        };
    }
}
