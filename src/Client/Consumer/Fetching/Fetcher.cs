using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// The consumer's fetching: one loop that owns the <see cref="FetchSession"/>, takes the consuming thread's commands
/// from a queue, sends one fetch request per broker for every fetchable partition it leads (fetch.min.bytes,
/// fetch.max.wait.ms, max.partition.fetch.bytes, fetch.max.bytes), again as soon as it answers while the queue has
/// room, and hands the fetched batches, still encoded, to the consumer. Errors are handled here: a moved leader is
/// looked up and followed, an offset out of range is reset as auto.offset.reset says, and an error no retry cures
/// halts the partition and is handed on in its place. A partition started while a long poll is out is fetched at
/// once in a request of its own.
/// </summary>
internal sealed partial class Fetcher<TKey, TValue>
{
    private readonly OrlogClient _client;
    private readonly ConsumerSettings _settings;
    private readonly FetchBudget _budget;
    private readonly AsyncSignal _wake;
    private readonly IFetchSink<TKey, TValue> _sink;
    private readonly ILogger _logger;
    private readonly FetchSession _session;
    private int _rotation;
    private readonly ConcurrentQueue<FetchCommand> _commands = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Fetcher(OrlogClient client, ConsumerSettings settings, FetchBudget budget, AsyncSignal wake, IFetchSink<TKey, TValue> sink, ILogger logger)
    {
        _client = client;
        _settings = settings;
        _budget = budget;
        _wake = wake;
        _sink = sink;
        _logger = logger;
        _session = new FetchSession(client.Clock, settings.RetryBackoffMs, settings.EnablePartitionEof);
    }

    public void Start() => _loop = Task.Run(RunAsync);

    public void Post(FetchCommand command)
    {
        _commands.Enqueue(command);
        _wake.Set();
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Set();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        var pending = new List<Task<Action>>();
        while (!stop.IsCancellationRequested)
        {
            var signal = _wake.Reset();
            var waitMs = -1L;
            try
            {
                // Answers first (each applies itself to the session here, on the loop), then commands, then new fetches.
                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    if (pending[i].IsCompleted)
                    {
                        var apply = await pending[i].ConfigureAwait(false);
                        pending.RemoveAt(i);
                        apply();
                    }
                }
                while (_commands.TryDequeue(out var command))
                {
                    Take(command);
                }
                var round = _session.Plan(_budget.IsFull);
                waitMs = round.WaitMs;
                foreach (var (broker, fetches) in round.Fetches)
                {
                    pending.Add(FetchAsync(broker, fetches, stop));
                }
                if (round.Lookups.Count > 0)
                {
                    pending.Add(LookUpAsync(round.Lookups, stop));
                }
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                LogFetchError(_logger, -1, error);
                waitMs = _settings.RetryBackoffMs;
            }
            var wakeUp = pending.Count == 0 ? signal : Task.WhenAny([signal, .. pending]);
            try
            {
                await AsyncSignal.WaitAsync(wakeUp, waitMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(waitMs), _client.Clock.Provider, stop)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Take(FetchCommand command)
    {
        switch (command)
        {
            case FetchCommand.Start start:
                _session.Start(start.Owner, start.Version, start.Owner.Leader, start.From);
                break;
            case FetchCommand.Stop stop:
                _session.Stop(stop.Partition, stop.Version);
                break;
        }
    }

    /// <summary>Sends one fetch to <paramref name="broker"/>; what it returns applies the answer on the loop.</summary>
    private async Task<Action> FetchAsync(int broker, List<PlannedFetch> planned, CancellationToken stop)
    {
        // fetch.max.bytes is a budget for the whole answer, spent in the request's order: each fetch starts one
        // partition further on, so that none waits behind the others for long.
        if (planned.Count > 1)
        {
            var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)planned.Count);
            planned = [.. planned.Skip(start), .. planned.Take(start)];
        }
        var requests = planned.ConvertAll(p => FetchSession.Request(p, _settings.MaxPartitionFetchBytes));
        try
        {
            var request = new FetchRequest(_settings.FetchMaxWaitMs, _settings.FetchMinBytes, _settings.FetchMaxBytes, requests);
            var timeout = TimeSpan.FromMilliseconds((long)_settings.FetchMaxWaitMs + _settings.RequestTimeoutMs);
            var response = await _client.Liveness.ReplyAsync(_client.Gateway.Broker(broker).Fetch(request), broker, timeout,
                TimeSpan.FromMilliseconds(_settings.FetchMaxWaitMs), stop).ConfigureAwait(false);
            var failures = await LookUpAfterErrorsAsync(response).ConfigureAwait(false);
            return () => Completed(planned, response, failures);
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            LogFetchError(_logger, broker, error);
            foreach (var topic in planned.Select(p => p.Partition.TopicPartition.Topic).Distinct(StringComparer.Ordinal))
            {
                ClientMetrics.FetchRetries.Add(1, new KeyValuePair<string, object?>("topic", topic));
            }
            var code = error is KafkaException kafka ? kafka.Code : ErrorCode.NetworkException;
            var lookups = MetadataRefresh.IsNeededAfter(code) ? await FreshMetadataAsync(planned.Select(p => p.Partition.TopicPartition.Topic)).ConfigureAwait(false) : ErrorLookups.None;
            return () =>
            {
                foreach (var p in planned)
                {
                    _session.Backoff(p);
                    if (lookups.Topics.TryGetValue(p.Partition.TopicPartition.Topic, out var metadata) && metadata is not null
                        && p.Partition.TopicPartition.Partition < metadata.Partitions.Count)
                    {
                        _session.MoveLeader(p, metadata.Partitions[p.Partition.TopicPartition.Partition].Leader);
                    }
                }
            };
        }
    }

    /// <summary>Applies a fetch's answer: hands on the records, moves positions, deals with each partition's error.</summary>
    private void Completed(List<PlannedFetch> planned, FetchResponse response, ErrorLookups lookups)
    {
        var results = response.Results;
        for (var i = 0; i < planned.Count; i++)
        {
            var p = planned[i];
            if (!_session.Answered(p))
            {
                continue;
            }
            var result = FindResult(results, p, i);
            if (result is null || result.Error != ErrorCode.None)
            {
                Failed(p, result?.Error ?? ErrorCode.UnknownServerError,
                    result?.ErrorMessage ?? $"The broker's reply had no result for {p.Partition.TopicPartition}.", lookups);
                continue;
            }
            var owner = p.Partition.Owner;
            owner.Watermarks = new WatermarkOffsets(result.LogStartOffset, result.HighWatermark);
            switch (_session.Fetched(p, result.Records, result.HighWatermark))
            {
                case FetchOutcome.Records:
                    _budget.Add(result.Records.Length);
                    _sink.Fetched(new FetchedChunk<TKey, TValue>(owner, p.Version, result.Records, p.Offset) { Generation = p.Partition.Generation });
                    break;
                case FetchOutcome.EndOfPartition:
                    var eof = new FetchedChunk<TKey, TValue>(owner, p.Version, null, p.Offset);
                    var notice = new ConsumeResult<TKey, TValue> { Topic = owner.Topic, Partition = owner.Partition, Offset = p.Offset, IsPartitionEOF = true };
                    eof.Items.Add(new ConsumeItem<TKey, TValue>(notice, null, p.Offset));
                    _sink.Fetched(eof);
                    break;
            }
        }
    }

    /// <summary>A partition's fetch or lookup failed with <paramref name="code"/>: reset, follow the leader, back off, or halt.</summary>
    private void Failed(PlannedFetch p, ErrorCode code, string detail, ErrorLookups lookups)
    {
        var partition = p.Partition.TopicPartition;
        LogPartitionFailed(_logger, partition.Topic, partition.Partition, $"{code.KafkaName()}: {detail}");
        if (code == ErrorCode.OffsetOutOfRange)
        {
            switch (_settings.AutoOffsetReset)
            {
                case AutoOffsetReset.Earliest:
                    _session.Reset(p, Offset.Beginning);
                    return;
                case AutoOffsetReset.Latest:
                    _session.Reset(p, Offset.End);
                    return;
                default:
                    var valid = lookups.Ranges.TryGetValue(partition, out var range) ? $" The valid offsets are {range.Low.Value} to {range.High.Value}." : "";
                    Halt(p, new Error(code, $"Offset {p.Offset} is out of range for {partition}.{valid} auto.offset.reset is none: seek to a valid offset."));
                    return;
            }
        }
        if (lookups.Topics.TryGetValue(partition.Topic, out var metadata))
        {
            if (metadata is null || partition.Partition >= metadata.Partitions.Count)
            {
                Halt(p, new Error(ErrorCode.UnknownTopicOrPartition, MetadataCache.UnknownTopic(partition.Topic).Detail));
                return;
            }
            _session.MoveLeader(p, metadata.Partitions[partition.Partition].Leader);
            _session.Backoff(p);
            return;
        }
        if (code.IsRetriable())
        {
            _session.Backoff(p);
            return;
        }
        Halt(p, new Error(code, detail));
    }

    /// <summary>Halts a partition and hands its error on, after the records fetched before it.</summary>
    private void Halt(PlannedFetch p, Error error)
    {
        _session.Halt(p);
        var owner = p.Partition.Owner;
        var at = p.Offset >= 0 ? p.Offset : -1;
        var chunk = new FetchedChunk<TKey, TValue>(owner, p.Version, null, at);
        var position = new TopicPartitionOffset(owner.TopicPartition, at >= 0 ? at : Offset.Unset);
        chunk.Items.Add(new ConsumeItem<TKey, TValue>(null, new ConsumeException(error, position), at));
        _sink.Fetched(chunk);
    }

    /// <summary>Looks up the offsets of partitions waiting for a reset to earliest or latest.</summary>
    private async Task<Action> LookUpAsync(List<PlannedFetch> planned, CancellationToken stop)
    {
        var answers = new List<(PlannedFetch Planned, ListOffsetsResult Result)>(planned.Count);
        ErrorLookups lookups;
        try
        {
            foreach (var spec in new[] { Grains.OffsetSpec.Earliest, Grains.OffsetSpec.Latest })
            {
                var batch = planned.Where(p => FetchSession.LookupSpec(p) == spec).ToList();
                if (batch.Count == 0)
                {
                    continue;
                }
                var results = await OffsetLookup.ListAsync(_client, [.. batch.Select(p => p.Partition.TopicPartition)], spec).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    answers.Add((batch[i], results[i]));
                }
            }
            lookups = await FreshMetadataAsync(answers.Where(a => MetadataRefresh.IsNeededAfter(a.Result.Error)).Select(a => a.Result.Topic)).ConfigureAwait(false);
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            LogFetchError(_logger, -1, error);
            return () => planned.ForEach(_session.Backoff);
        }
        return () =>
        {
            foreach (var (p, result) in answers)
            {
                if (!_session.Answered(p))
                {
                    continue;
                }
                if (result.Error != ErrorCode.None)
                {
                    Failed(p, result.Error, result.ErrorMessage ?? "", lookups);
                    continue;
                }
                LogReset(_logger, result.Topic, result.Partition, result.Offset);
                _session.Positioned(p, result.Offset);
                _sink.Positioned(p.Partition.Owner, new ResolvedPosition(p.Version, p.Partition.Generation, p.Partition.ResetFrom, result.Offset));
            }
        };
    }

    /// <summary>Fresh metadata for the topics whose partitions failed with an error that calls for it, and the valid offsets of those out of range.</summary>
    private async Task<ErrorLookups> LookUpAfterErrorsAsync(FetchResponse response)
    {
        ErrorLookups? lookups = null;
        foreach (var result in response.Results)
        {
            if (result.Error == ErrorCode.None)
            {
                continue;
            }
            lookups ??= await FreshMetadataAsync(response.Results.Where(r => MetadataRefresh.IsNeededAfter(r.Error)).Select(r => r.Topic)).ConfigureAwait(false);
            if (result.Error == ErrorCode.OffsetOutOfRange && _settings.AutoOffsetReset == AutoOffsetReset.Error)
            {
                var partition = new TopicPartition(result.Topic, result.Partition);
                try
                {
                    lookups.Ranges[partition] = await WatermarkQuery.QueryAsync(_client, partition).ConfigureAwait(false);
                }
                catch (Exception error)
                {
                    LogPartitionFailed(_logger, result.Topic, result.Partition, error.Message);
                }
            }
        }
        return lookups ?? ErrorLookups.None;
    }

    private async Task<ErrorLookups> FreshMetadataAsync(IEnumerable<string> topics)
    {
        var lookups = new ErrorLookups();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            _client.Metadata.Invalidate(topic);
            try
            {
                lookups.Topics[topic] = await _client.Metadata.LoadAsync(topic).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                LogPartitionFailed(_logger, topic, -1, error.Message);
            }
        }
        return lookups;
    }

    private static PartitionFetchResult? FindResult(IReadOnlyList<PartitionFetchResult> results, PlannedFetch planned, int index)
    {
        var partition = planned.Partition.TopicPartition;
        if (index < results.Count && results[index].Partition == partition.Partition && results[index].Topic == partition.Topic)
        {
            return results[index];
        }
        foreach (var result in results)
        {
            if (result.Partition == partition.Partition && result.Topic == partition.Topic)
            {
                return result;
            }
        }
        return null;
    }

    /// <summary>What was looked up after errors: fresh topic metadata (null: the topic is gone) and valid offset ranges.</summary>
    private sealed class ErrorLookups
    {
        public static readonly ErrorLookups None = new();

        public Dictionary<string, Grains.TopicMetadata?> Topics { get; } = new(StringComparer.Ordinal);

        public Dictionary<TopicPartition, WatermarkOffsets> Ranges { get; } = [];
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Fetching from broker {Broker} failed; retrying")]
    private static partial void LogFetchError(ILogger logger, int broker, Exception error);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Partition {Topic}-{Partition} starts at offset {Offset}")]
    private static partial void LogReset(ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Fetching {Topic}-{Partition} failed: {Error}")]
    private static partial void LogPartitionFailed(ILogger logger, string topic, int partition, string error);
}

/// <summary>Where the fetcher hands what it fetched and what it found.</summary>
internal interface IFetchSink<TKey, TValue>
{
    /// <summary>Fetched batches, an end-of-partition notice, or an error that halted the partition.</summary>
    void Fetched(FetchedChunk<TKey, TValue> chunk);

    /// <summary>A reset was looked up: where the partition's position is now.</summary>
    void Positioned(AssignedPartition partition, ResolvedPosition position);
}
