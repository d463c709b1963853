using Microsoft.Extensions.Logging;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Forwards the in-process silo's and client's warnings and errors to the compare program's log, so a provider that
/// fails to deliver says why instead of the run only timing out.
/// </summary>
internal sealed class OrleansStreamsLog(string prefix, Action<string> log, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(prefix, categoryName, log, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(string prefix, string category, Action<string> log, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log($"{prefix} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
