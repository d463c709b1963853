using System.Diagnostics.Metrics;

namespace Orlog.Log;

/// <summary>
/// The storage engine's instruments, in the "Orlog" meter beside the broker's (the engine has no host to take a
/// meter factory from, so its meter is the process'): how long a flush pass's fsyncs take.
/// </summary>
internal static class LogInstruments
{
    private static readonly Meter _meter = new("Orlog");

    /// <summary>Kafka's LogFlushRateAndTimeMs: one measurement a flush pass that wrote something.</summary>
    public static readonly Histogram<double> FlushTime = _meter.CreateHistogram<double>("kafka.logs.flush.time", "s", "Time of a flush pass that made appended records durable (fsync)");
}
