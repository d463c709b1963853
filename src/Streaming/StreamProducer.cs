using System.Collections.Concurrent;
using System.Text;
using Orlog.Grains;

namespace Orlog.Streaming;

/// <summary>
/// Hands a stream's events to its topic's router (<see cref="ITopicRouterGrain"/>), one record per event: the
/// router batches the events of many callers per partition and appends them with acks=all, retrying what Kafka
/// retries; an error it gives up on fails the caller's <c>OnNextAsync</c> with the Kafka error. A retry after an
/// unanswered append may store the events twice: delivery is at least once.
/// </summary>
internal sealed class StreamProducer(IGrainFactory grains, TopicDirectory topics, PartitionQueueMapper queues, EventCodec codec, TimeProvider time)
{
    // Resolving a grain reference looks up the interface's attributes each time: one reference per topic, kept.
    private readonly ConcurrentDictionary<string, ITopicRouterGrain> _routers = new(StringComparer.Ordinal);

    public async Task ProduceAsync<T>(StreamId streamId, IEnumerable<T> events, Dictionary<string, object>? requestContext)
    {
        var topic = queues.TopicOf(streamId);
        // Checks once that the topic exists with the provider's partition count (or creates it), so the router's partition is the stream's queue.
        await topics.GetAsync(topic);
        var key = streamId.Key.ToArray();
        var context = codec.EncodeContext(requestContext);
        var streamNamespace = new RoutedHeader(StreamRecordFormat.NamespaceHeader, streamId.Namespace.ToArray());
        var format = new RoutedHeader(StreamRecordFormat.FormatHeader, StreamRecordFormat.FormatName(codec.Format));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var records = new List<RoutedRecord>();
        foreach (var item in events)
        {
            var type = new RoutedHeader(StreamRecordFormat.EventTypeHeader, Encoding.UTF8.GetBytes(item?.GetType().FullName ?? typeof(T).FullName ?? "null"));
            // A byte[] event is its value as it is: its record says no format, as a Kafka client's would not.
            var raw = item is byte[];
            List<RoutedHeader> headers = raw ? [streamNamespace, type] : [streamNamespace, type, format];
            if (context is not null)
            {
                headers.Add(new RoutedHeader(StreamRecordFormat.RequestContextHeader, context));
            }
            records.Add(new RoutedRecord(key, item is null ? null : codec.Encode(item), headers, now));
        }
        if (records.Count == 0)
        {
            return;
        }
        foreach (var result in await _routers.GetOrAdd(topic, name => grains.GetGrain<ITopicRouterGrain>(name)).Produce(records))
        {
            if (result.Error != ErrorCode.None)
            {
                throw new KafkaException(result.Error, $"Appending {result.Count} event(s) of stream {streamId} to {topic}-{result.Partition} failed: {result.ErrorMessage}");
            }
        }
    }
}
