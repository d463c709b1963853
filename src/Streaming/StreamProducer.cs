using System.Text;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// Appends a stream's events to its partition, one record per event in one batch, acknowledged by every in-sync
/// replica (acks=all). Retriable errors (a leader moving, a replica opening) are retried against fresh metadata
/// until <see cref="DeliveryTimeout"/>; the rest fail the caller's <c>OnNextAsync</c> with the Kafka error.
/// A retry after an unanswered call may append the events twice: delivery is at least once.
/// </summary>
internal sealed class StreamProducer(IGrainFactory grains, TopicDirectory topics, PartitionQueueMapper queues, EventCodec codec, TimeProvider time)
{
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public async Task ProduceAsync<T>(StreamId streamId, IEnumerable<T> events, Dictionary<string, object>? requestContext)
    {
        var topic = queues.TopicOf(streamId);
        var key = streamId.Key.ToArray();
        var partition = queues.PartitionOf(key);
        using var builder = new RecordBatchBuilder();
        var streamNamespace = streamId.Namespace.ToArray();
        var context = codec.EncodeContext(requestContext);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var item in events)
        {
            var headers = context is null ? new RecordHeader[3] : new RecordHeader[4];
            headers[0] = new RecordHeader(StreamRecordFormat.NamespaceHeader, streamNamespace);
            headers[1] = new RecordHeader(StreamRecordFormat.EventTypeHeader, Encoding.UTF8.GetBytes(item?.GetType().FullName ?? typeof(T).FullName ?? "null"));
            headers[2] = new RecordHeader(StreamRecordFormat.FormatHeader, StreamRecordFormat.FormatName(codec.Format));
            if (context is not null)
            {
                headers[3] = new RecordHeader(StreamRecordFormat.RequestContextHeader, context);
            }
            builder.Append(now, key, item is null ? null : codec.Encode(item), headers);
        }
        if (builder.RecordCount == 0)
        {
            return;
        }
        await AppendAsync(topic, partition, builder.Build());
    }

    /// <summary>Appends one batch to the partition's leader, retrying what Kafka retries until the delivery timeout.</summary>
    public async Task<long> AppendAsync(string topic, int partition, ReadOnlyMemory<byte> batch)
    {
        var deadline = time.GetTimestamp() + (long)(DeliveryTimeout.TotalSeconds * time.TimestampFrequency);
        var refresh = false;
        for (var attempt = 1; ; attempt++)
        {
            PartitionProduceResult result;
            try
            {
                var leader = await topics.LeaderAsync(topic, partition, refresh);
                var response = await grains.GetGrain<IBrokerGrain>(leader).Produce(new ProduceRequest(-1, (int)DeliveryTimeout.TotalMilliseconds, [new PartitionBatch(topic, partition, batch)]));
                result = response.Results[0];
            }
            // A topic the controller does not list is an answer, not an outage: it fails the call at once.
            catch (KafkaException error) when (error.Code.IsRetriable() && error.Code != ErrorCode.UnknownTopicOrPartition && time.GetTimestamp() < deadline)
            {
                result = PartitionProduceResult.Failed(topic, partition, error.Code, error.Detail);
            }
            catch (Exception error) when (error is OrleansException or TimeoutException && time.GetTimestamp() < deadline)
            {
                result = PartitionProduceResult.Failed(topic, partition, ErrorCode.NetworkException, error.Message);
            }
            if (result.Error == ErrorCode.None)
            {
                return result.BaseOffset;
            }
            if (!result.Error.IsRetriable() || time.GetTimestamp() >= deadline)
            {
                throw new KafkaException(result.Error, $"Appending events to {topic}-{partition} failed after {attempt} attempt(s): {result.ErrorMessage}");
            }
            refresh = true;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 20 * attempt)), time);
        }
    }
}
