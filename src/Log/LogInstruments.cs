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
    public static readonly Histogram<double> FlushTime = _meter.CreateHistogram("kafka.logs.flush.time", "s", "Time of a flush pass that made appended records durable (fsync)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
}
