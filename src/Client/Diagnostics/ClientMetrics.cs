using System.Diagnostics.Metrics;

namespace Orlog.Client;

/// <summary>
/// The client's counters, on the meter <see cref="MeterName"/> (System.Diagnostics.Metrics: read them with
/// dotnet-counters, OpenTelemetry or a MeterListener). They count what the client does on its own behind a call
/// that succeeds: a batch sent again, a fetch tried again, so that a fault the application never saw still shows.
/// </summary>
public static class ClientMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Orlog.Client";

    /// <summary>The counter of record batches a producer sends again after a retriable error (tags: topic, partition).</summary>
    public const string ProducerRetriesName = "orlog.client.producer.retries";

    /// <summary>The counter of fetches a consumer tries again after an error (tag: topic).</summary>
    public const string FetchRetriesName = "orlog.client.consumer.fetch.retries";

    private static readonly Meter _meter = new(MeterName);

    internal static readonly Counter<long> ProducerRetries = _meter.CreateCounter<long>(ProducerRetriesName, "{batch}",
        "Record batches sent again after a retriable error");

    internal static readonly Counter<long> FetchRetries = _meter.CreateCounter<long>(FetchRetriesName, "{fetch}",
        "Fetches tried again after an error");
}
