using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// A partition's dead letters. Orleans' pulling agent gives up on a delivery after
/// <see cref="OrlogStreamOptions.DeliveryAttempts"/> failed attempts, tells this handler (which notes the subscription)
/// and marks the delivery's records in its cache, which then lets them go without reporting them as delivered. The
/// partition's receiver sees which records were let go undelivered and hands them here: each is read back from the
/// log and appended, as it was, to the dead-letter topic <c>&lt;topic&gt;.dlq</c> (created with one partition when
/// missing) with headers naming the source offset, the subscription and the provider, before the receiver commits past
/// it. So every record of a failed delivery is kept, also when a delivery carries several events of a stream
/// (<see cref="OrlogStreamOptions.DeliveryBatchSize"/>). A dead letter that cannot be written is logged as an error
/// with its offset.
/// </summary>
internal sealed partial class DeadLetterHandler(
    string topic,
    int partition,
    string providerName,
    IGrainFactory grains,
    TopicDirectory topics,
    OrlogStreamOptions options,
    ILogger logger) : IStreamFailureHandler
{
    public const string Suffix = ".dlq";

    private readonly ConcurrentDictionary<StreamId, string> _failedSubscriptions = new();

    /// <summary>A failing event never ends a subscription: it is set aside, and the stream goes on.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        _failedSubscriptions[streamIdentity] = subscriptionId.ToString();
        LogGivenUp(logger, streamIdentity.ToString(), topic, partition, sequenceToken?.SequenceNumber ?? -1, subscriptionId.ToString());
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailed(logger, subscriptionId.ToString(), streamIdentity.ToString(), sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    /// <summary>Appends the records Orleans let go undelivered to the dead-letter topic, as they are in the log.</summary>
    public async Task WriteAsync(IReadOnlyList<OrlogBatchContainer> failed)
    {
        try
        {
            var records = await ReadAsync(failed.Select(c => c.Offset));
            var deadLetters = topic + Suffix;
            await EnsureTopicAsync(deadLetters);
            var letters = new List<RoutedRecord>(failed.Count);
            var written = new List<OrlogBatchContainer>(failed.Count);
            foreach (var container in failed)
            {
                if (!records.TryGetValue(container.Offset, out var record))
                {
                    LogDeadLetterFailed(logger, null, container.StreamId.ToString(), topic, partition, container.Offset, "it is no longer in the log");
                    continue;
                }
                var subscription = _failedSubscriptions.GetValueOrDefault(container.StreamId, "unknown");
                var headers = new List<RoutedHeader>(record.Headers)
                {
                    new("orleans.dlq.source", Encoding.UTF8.GetBytes($"{topic}-{partition}@{container.Offset}")),
                    new("orleans.dlq.subscription", Encoding.UTF8.GetBytes(subscription)),
                    new("orleans.dlq.provider", Encoding.UTF8.GetBytes(providerName)),
                    new("orleans.dlq.reason", Encoding.UTF8.GetBytes(
                        $"a delivery of it (with up to {options.DeliveryBatchSize} event(s) of its stream) failed {options.DeliveryAttempts} time(s): OnNextAsync threw or did not answer; the error went to the subscriber's OnErrorAsync")),
                };
                letters.Add(record with { Headers = headers });
                written.Add(container);
            }
            if (letters.Count == 0)
            {
                return;
            }
            var results = await grains.GetGrain<ITopicRouterGrain>(deadLetters).Produce(letters);
            if (results[0].Error != ErrorCode.None)
            {
                throw new KafkaException(results[0].Error, results[0].ErrorMessage ?? "");
            }
            for (var i = 0; i < written.Count; i++)
            {
                LogDeadLettered(logger, written[i].StreamId.ToString(), topic, partition, written[i].Offset, deadLetters, results[0].BaseOffset + i);
            }
        }
        catch (Exception error) when (error is KafkaException or OrleansException or TimeoutException)
        {
            foreach (var container in failed)
            {
                LogDeadLetterFailed(logger, error, container.StreamId.ToString(), topic, partition, container.Offset, error.Message);
            }
        }
    }

    /// <summary>The records at the offsets, as they are in the log (an offset the log no longer has is left out).</summary>
    private async Task<Dictionary<long, RoutedRecord>> ReadAsync(IEnumerable<long> offsets)
    {
        var wanted = new SortedSet<long>(offsets);
        var found = new Dictionary<long, RoutedRecord>();
        while (wanted.Count > 0)
        {
            var from = wanted.Min;
            var leader = await topics.LeaderAsync(topic, partition);
            var response = await grains.GetGrain<IBrokerGrain>(leader).Fetch(new FetchRequest(0, 1, options.MaxFetchBytes, [new PartitionFetch(topic, partition, from, options.MaxFetchBytes)]));
            var result = response.Results[0];
            if (result.Error != ErrorCode.None)
            {
                throw new KafkaException(result.Error, $"Reading {topic}-{partition} at {from} back failed: {result.ErrorMessage}");
            }
            var last = -1L;
            foreach (var batch in new RecordBatchEnumerator(result.Records))
            {
                using var reader = new RecordBatchReader(batch);
                foreach (var record in reader)
                {
                    last = Math.Max(last, record.Offset);
                    if (wanted.Remove(record.Offset))
                    {
                        var headers = new List<RoutedHeader>(record.Headers.Count);
                        foreach (var header in record.Headers)
                        {
                            headers.Add(new RoutedHeader(header.KeyString, header.IsValueNull ? null : header.Value.ToArray()));
                        }
                        found[record.Offset] = new RoutedRecord(record.KeyToArray(), record.ValueToArray(), headers, record.Timestamp);
                    }
                }
            }
            if (last < from)
            {
                break;
            }
            // What the fetch passed without finding is gone (deleted by retention or compaction).
            wanted.RemoveWhere(offset => offset <= last);
        }
        return found;
    }

    private async Task EnsureTopicAsync(string name)
    {
        var controller = grains.GetGrain<IControllerGrain>(0);
        if ((await controller.GetTopics([name])).Any(t => t.Name == name))
        {
            return;
        }
        var created = await controller.CreateTopic(name, 1, options.ReplicationFactor, new Dictionary<string, string>());
        if (created.Error is not (ErrorCode.None or ErrorCode.TopicAlreadyExists))
        {
            throw new KafkaException(created.Error, $"Creating the dead-letter topic '{name}' failed: {created.ErrorMessage}");
        }
        LogCreated(logger, name);
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning,
        Message = "Orlog streams: the event of stream {Stream} at {Topic}-{Partition}@{Offset} failed delivery; dead-lettered to {DeadLetters} at offset {DeadLetterOffset}")]
    private static partial void LogDeadLettered(ILogger logger, string stream, string topic, int partition, long offset, string deadLetters, long deadLetterOffset);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error, Message = "Orlog streams: the event of stream {Stream} at {Topic}-{Partition}@{Offset} failed delivery and could not be dead-lettered: {Reason}")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception? error, string stream, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Orlog streams: subscription {Subscription} to {Stream} failed at offset {Offset}")]
    private static partial void LogSubscriptionFailed(ILogger logger, string subscription, string stream, long offset);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Information, Message = "Orlog streams: created the dead-letter topic {Topic}")]
    private static partial void LogCreated(ILogger logger, string topic);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning,
        Message = "Orlog streams: subscription {Subscription} failed the delivery of stream {Stream} at {Topic}-{Partition}@{Offset} every time; its events go to the dead-letter topic")]
    private static partial void LogGivenUp(ILogger logger, string stream, string topic, int partition, long offset, string subscription);
}
