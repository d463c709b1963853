using Microsoft.Extensions.Logging;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

internal sealed partial class Consumer<TKey, TValue>
{
    /// <summary>What the fetcher of <paramref name="broker"/> should do now; marks the partitions as being fetched.</summary>
    internal FetchPlan PlanFetch(int broker)
    {
        var plan = new FetchPlan();
        var now = _client.Clock.NowMs;
        lock (_lock)
        {
            var full = _queuedBytes >= _settings.QueuedMaxBytes;
            foreach (var state in _partitions.Values)
            {
                if (state.Leader != broker || !state.Assigned || state.Paused || state.Halted || state.Fetching)
                {
                    continue;
                }
                if (state.RetryAtMs > now)
                {
                    plan.WaitMs = plan.WaitMs < 0 ? state.RetryAtMs - now : Math.Min(plan.WaitMs, state.RetryAtMs - now);
                    continue;
                }
                if (state.ResetTo is { } reset)
                {
                    state.StartFetch();
                    plan.Resets.Add((state, state.Version, reset == Offset.Beginning ? Grains.OffsetSpec.Earliest : Grains.OffsetSpec.Latest));
                }
                else if (!full && state.Fetchable(now))
                {
                    state.StartFetch();
                    plan.Partitions.Add((state, state.Version, state.FetchPosition));
                    plan.Requests.Add(new PartitionFetch(state.Topic, state.Partition, state.FetchPosition, _settings.MaxPartitionFetchBytes));
                }
            }
        }
        return plan;
    }

    /// <summary>Takes a fetch's answer: queues the fetched batches, moves fetch positions, handles partition errors.</summary>
    internal async Task CompleteFetchAsync(FetchPlan plan, FetchResponse response)
    {
        for (var i = 0; i < plan.Partitions.Count; i++)
        {
            var (state, version, offset) = plan.Partitions[i];
            var result = FindResult(response, state, i);
            if (result is null || result.Error != ErrorCode.None)
            {
                await HandleErrorAsync(state, version, offset, result).ConfigureAwait(false);
                continue;
            }
            lock (_lock)
            {
                state.EndFetch(version);
                if (state.Version != version || !state.Assigned)
                {
                    continue;
                }
                state.HighWatermark = result.HighWatermark;
                state.LogStartOffset = result.LogStartOffset;
                if (result.Records.Length > 0)
                {
                    // Only the batch headers are read here: Consume decodes, so the next fetch goes out at once.
                    state.FetchPosition = BatchDecoder<TKey, TValue>.NextOffset(result.Records, offset);
                    state.EofReported = false;
                    Enqueue(new FetchedChunk<TKey, TValue>(state, version, result.Records, offset));
                }
                else if (_settings.EnablePartitionEof && !state.EofReported && offset >= result.HighWatermark)
                {
                    state.EofReported = true;
                    var eof = new FetchedChunk<TKey, TValue>(state, version, null, offset);
                    var notice = new ConsumeResult<TKey, TValue> { Topic = state.Topic, Partition = state.Partition, Offset = offset, IsPartitionEOF = true };
                    eof.Items.Add(new ConsumeItem<TKey, TValue>(notice, null, offset));
                    Enqueue(eof);
                }
            }
        }
    }

    /// <summary>
    /// The request failed as a whole (timeout, lost connection, the broker's silo gone): its partitions are
    /// fetched again after retry.backoff.ms, from the leader fresh metadata names.
    /// </summary>
    internal async Task FailFetchAsync(FetchPlan plan, Exception error)
    {
        FailFetch(plan);
        foreach (var topic in plan.Partitions.Select(p => p.State.Topic).Distinct(StringComparer.Ordinal))
        {
            ClientMetrics.FetchRetries.Add(1, new KeyValuePair<string, object?>("topic", topic));
        }
        var code = error is KafkaException kafka ? kafka.Code : ErrorCode.NetworkException;
        if (!MetadataRefresh.IsNeededAfter(code))
        {
            return;
        }
        foreach (var topic in plan.Partitions.Select(p => p.State.Topic).Concat(plan.Resets.Select(r => r.State.Topic)).Distinct(StringComparer.Ordinal))
        {
            _client.Metadata.Invalidate(topic);
            TopicMetadata? metadata;
            try
            {
                metadata = await _client.Metadata.LoadAsync(topic).ConfigureAwait(false);
            }
            catch (Exception refresh)
            {
                LogFetchFailed(_logger, topic, -1, refresh.Message);
                continue;
            }
            if (metadata is null)
            {
                continue;
            }
            lock (_lock)
            {
                foreach (var (state, _, _) in plan.Partitions.Concat(plan.Resets))
                {
                    if (state.Topic == topic && state.Assigned && state.Partition < metadata.Partitions.Count)
                    {
                        state.Leader = metadata.Partitions[state.Partition].Leader;
                        EnsureFetcher(state.Leader);
                    }
                }
            }
        }
    }

    private void FailFetch(FetchPlan plan)
    {
        var retryAt = _client.Clock.NowMs + _settings.RetryBackoffMs;
        lock (_lock)
        {
            foreach (var (state, version, _) in plan.Partitions)
            {
                state.EndFetch(version);
                state.RetryAtMs = retryAt;
            }
            foreach (var (state, version, _) in plan.Resets)
            {
                state.EndFetch(version);
                state.RetryAtMs = retryAt;
            }
        }
    }

    /// <summary>Looks up the offsets of partitions waiting for a reset to earliest or latest.</summary>
    internal async Task ResolveResetsAsync(FetchPlan plan)
    {
        foreach (var spec in new[] { Grains.OffsetSpec.Earliest, Grains.OffsetSpec.Latest })
        {
            var batch = plan.Resets.Where(r => r.Spec == spec).ToList();
            if (batch.Count == 0)
            {
                continue;
            }
            var results = await OffsetLookup.ListAsync(_client, [.. batch.Select(r => r.State.TopicPartition)], spec).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                var (state, version, _) = batch[i];
                var result = results[i];
                if (result.Error != ErrorCode.None)
                {
                    await HandleErrorAsync(state, version, -1, new PartitionFetchResult(result.Topic, result.Partition, result.Error, result.ErrorMessage, -1, -1, -1, []))
                        .ConfigureAwait(false);
                    continue;
                }
                lock (_lock)
                {
                    state.EndFetch(version);
                    if (state.Version == version && state.Assigned && state.ResetTo is not null)
                    {
                        LogReset(_logger, state.Topic, state.Partition, result.Offset);
                        state.ResetTo = null;
                        state.FetchPosition = result.Offset;
                        state.ConsumePosition = result.Offset;
                    }
                }
            }
        }
    }

    private async Task HandleErrorAsync(PartitionState state, int version, long offset, PartitionFetchResult? result)
    {
        var code = result?.Error ?? ErrorCode.UnknownServerError;
        var detail = result?.ErrorMessage ?? $"The broker's reply had no result for {state.TopicPartition}.";
        TopicMetadata? metadata = null;
        var topicGone = false;
        if (MetadataRefresh.IsNeededAfter(code))
        {
            _client.Metadata.Invalidate(state.Topic);
            try
            {
                metadata = await _client.Metadata.LoadAsync(state.Topic).ConfigureAwait(false);
                topicGone = metadata is null || state.Partition >= metadata.Partitions.Count;
            }
            catch (Exception error)
            {
                LogFetchFailed(_logger, state.Topic, state.Partition, error.Message);
            }
        }
        WatermarkOffsets? range = null;
        if (code == ErrorCode.OffsetOutOfRange && _settings.AutoOffsetReset == AutoOffsetReset.Error)
        {
            try
            {
                range = await QueryWatermarksAsync(state.TopicPartition).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                LogFetchFailed(_logger, state.Topic, state.Partition, error.Message);
            }
        }
        lock (_lock)
        {
            state.EndFetch(version);
            if (state.Version != version || !state.Assigned)
            {
                return;
            }
            LogFetchFailed(_logger, state.Topic, state.Partition, $"{code.KafkaName()}: {detail}");
            if (code == ErrorCode.OffsetOutOfRange)
            {
                switch (_settings.AutoOffsetReset)
                {
                    case AutoOffsetReset.Earliest:
                        state.MoveTo(Offset.Beginning);
                        return;
                    case AutoOffsetReset.Latest:
                        state.MoveTo(Offset.End);
                        return;
                    default:
                        var valid = range is { } r ? $" The valid offsets are {r.Low.Value} to {r.High.Value}." : "";
                        Fail(state, new Error(code, $"Offset {offset} is out of range for {state.TopicPartition}.{valid} auto.offset.reset is none: seek to a valid offset."), null);
                        return;
                }
            }
            if (topicGone)
            {
                Fail(state, new Error(ErrorCode.UnknownTopicOrPartition, MetadataCache.UnknownTopic(state.Topic).Detail), null);
                return;
            }
            if (metadata is not null)
            {
                state.Leader = metadata.Partitions[state.Partition].Leader;
                EnsureFetcher(state.Leader);
            }
            if (code.IsRetriable() || metadata is not null)
            {
                state.RetryAtMs = _client.Clock.NowMs + _settings.RetryBackoffMs;
                return;
            }
            Fail(state, new Error(code, detail), null);
        }
    }

    private static PartitionFetchResult? FindResult(FetchResponse response, PartitionState state, int index)
    {
        var results = response.Results;
        if (index < results.Count && results[index].Partition == state.Partition && results[index].Topic == state.Topic)
        {
            return results[index];
        }
        foreach (var result in results)
        {
            if (result.Partition == state.Partition && result.Topic == state.Topic)
            {
                return result;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Partition {Topic}-{Partition} starts at offset {Offset}")]
    private static partial void LogReset(ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Fetching {Topic}-{Partition} failed: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string topic, int partition, string error);
}
