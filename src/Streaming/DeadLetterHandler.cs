using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// What happens to an event a subscriber failed <see cref="OrlogStreamOptions.DeliveryAttempts"/> times: Orleans'
/// pulling agent gives up on it and calls this handler, which reads the record back from the log and appends it to
/// the dead-letter topic <c>&lt;topic&gt;.dlq</c> (created with one partition when missing) with headers naming the
/// source offset, the subscription and the provider; delivery goes on with the next event. Nothing is dropped silently:
/// a dead letter that cannot be written is logged as an error with the event's offset.
/// </summary>
internal sealed partial class DeadLetterHandler(
    string topic,
    int partition,
    IGrainFactory grains,
    TopicDirectory topics,
    OrlogStreamOptions options,
    ILogger logger) : IStreamFailureHandler
{
    public const string Suffix = ".dlq";

    /// <summary>A failing event never ends a subscription: it is set aside, and the stream goes on.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    public async Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        var offset = sequenceToken?.SequenceNumber ?? -1;
        try
        {
            var record = await ReadAsync(offset)
                ?? throw new KafkaException(ErrorCode.OffsetOutOfRange, $"offset {offset} of {topic}-{partition} is no longer in the log");
            var deadLetters = topic + Suffix;
            await EnsureTopicAsync(deadLetters);
            var headers = new List<RoutedHeader>(record.Headers)
            {
                new("orleans.dlq.source", Encoding.UTF8.GetBytes($"{topic}-{partition}@{offset}")),
                new("orleans.dlq.subscription", Encoding.UTF8.GetBytes(subscriptionId.ToString())),
                new("orleans.dlq.provider", Encoding.UTF8.GetBytes(streamProviderName)),
                new("orleans.dlq.reason", Encoding.UTF8.GetBytes(
                    $"the subscriber failed the event {options.DeliveryAttempts} time(s) (OnNextAsync threw or did not answer); its error went to its OnErrorAsync")),
            };
            var results = await grains.GetGrain<ITopicRouterGrain>(deadLetters).Produce([record with { Headers = headers }]);
            if (results[0].Error != ErrorCode.None)
            {
                throw new KafkaException(results[0].Error, results[0].ErrorMessage ?? "");
            }
            LogDeadLettered(logger, streamIdentity.ToString(), topic, partition, offset, deadLetters, results[0].BaseOffset, subscriptionId.ToString());
        }
        catch (Exception error) when (error is KafkaException or OrleansException or TimeoutException)
        {
            LogDeadLetterFailed(logger, error, streamIdentity.ToString(), topic, partition, offset);
        }
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailed(logger, subscriptionId.ToString(), streamIdentity.ToString(), sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    /// <summary>The record at the offset, as it is in the log (null when the log no longer has it).</summary>
    private async Task<RoutedRecord?> ReadAsync(long offset)
    {
        if (offset < 0)
        {
            return null;
        }
        var leader = await topics.LeaderAsync(topic, partition);
        var response = await grains.GetGrain<IBrokerGrain>(leader).Fetch(new FetchRequest(0, 1, options.MaxFetchBytes, [new PartitionFetch(topic, partition, offset, options.MaxFetchBytes)]));
        var result = response.Results[0];
        if (result.Error != ErrorCode.None)
        {
            throw new KafkaException(result.Error, $"Reading {topic}-{partition} at {offset} back failed: {result.ErrorMessage}");
        }
        foreach (var batch in new RecordBatchEnumerator(result.Records))
        {
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                if (record.Offset == offset)
                {
                    var headers = new List<RoutedHeader>(record.Headers.Count);
                    foreach (var header in record.Headers)
                    {
                        headers.Add(new RoutedHeader(header.KeyString, header.IsValueNull ? null : header.Value.ToArray()));
                    }
                    return new RoutedRecord(record.KeyToArray(), record.ValueToArray(), headers, record.Timestamp);
                }
            }
        }
        return null;
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
        Message = "Orlog streams: the event of stream {Stream} at {Topic}-{Partition}@{Offset} failed delivery; dead-lettered to {DeadLetters} at offset {DeadLetterOffset} (subscription {Subscription})")]
    private static partial void LogDeadLettered(ILogger logger, string stream, string topic, int partition, long offset, string deadLetters, long deadLetterOffset, string subscription);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error, Message = "Orlog streams: the event of stream {Stream} at {Topic}-{Partition}@{Offset} failed delivery and could not be dead-lettered")]
    private static partial void LogDeadLetterFailed(ILogger logger, Exception error, string stream, string topic, int partition, long offset);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Orlog streams: subscription {Subscription} to {Stream} failed at offset {Offset}")]
    private static partial void LogSubscriptionFailed(ILogger logger, string subscription, string stream, long offset);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Information, Message = "Orlog streams: created the dead-letter topic {Topic}")]
    private static partial void LogCreated(ILogger logger, string topic);
}
