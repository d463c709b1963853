namespace Orlog.Streaming;

/// <summary>
/// How a stream event is a record, so that Kafka clients, the SDK and the CLI can address streams:
/// <list type="bullet">
/// <item>the record key is the stream id's key bytes as Orleans holds them (a string key's UTF-8, a Guid key as 32 hex
/// digits, an integer key in decimal), so every event of one stream is in one partition (Kafka's murmur2 of the key);</item>
/// <item>the value is the event (<see cref="EventFormat"/>);</item>
/// <item>headers: <see cref="NamespaceHeader"/> (the stream namespace, UTF-8; without it the namespace is the topic's),
/// <see cref="EventTypeHeader"/> (the event's .NET type, informative), <see cref="FormatHeader"/> ("orleans" or "json";
/// without it the provider's format), <see cref="RequestContextHeader"/> (Orleans' request context, when there is one).</item>
/// </list>
/// A record without a key belongs to no stream: the receiver skips it and counts it.
/// </summary>
public static class StreamRecordFormat
{
    public const string NamespaceHeader = "orleans.stream.namespace";

    public const string EventTypeHeader = "orleans.event.type";

    public const string FormatHeader = "orleans.event.format";

    public const string RequestContextHeader = "orleans.request.context";

    // The names as the receiver meets them in a record, derived from the one definition above.
    internal static readonly byte[] NamespaceHeaderUtf8 = System.Text.Encoding.UTF8.GetBytes(NamespaceHeader);

    internal static readonly byte[] FormatHeaderUtf8 = System.Text.Encoding.UTF8.GetBytes(FormatHeader);

    internal static readonly byte[] RequestContextHeaderUtf8 = System.Text.Encoding.UTF8.GetBytes(RequestContextHeader);

    internal static readonly byte[] OrleansFormat = "orleans"u8.ToArray();

    internal static readonly byte[] JsonFormat = "json"u8.ToArray();

    internal static byte[] FormatName(EventFormat format) => format == EventFormat.Json ? JsonFormat : OrleansFormat;

    internal static EventFormat? ParseFormat(ReadOnlySpan<byte> name) =>
        name.SequenceEqual(JsonFormat) ? EventFormat.Json : name.SequenceEqual(OrleansFormat) ? EventFormat.Orleans : null;
}
