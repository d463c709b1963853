using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// Reads one partition for Orleans' pulling agent: from the provider group's committed offset (or the log's start or
/// end when there is none), long-polling at the log's end so an append reaches the agent at once, and committing,
/// as the group's manual-assignment commits, the offset after the last record the cache has handed every
/// subscriber. Records without a key, or of a namespace the provider does not carry, belong to no stream: skipped
/// and counted in the log.
/// </summary>
internal sealed partial class PartitionReceiver(
    string topic,
    int partition,
    string groupId,
    IGrainFactory grains,
    TopicDirectory topics,
    OrlogStreamOptions options,
    EventCodec codec,
    DeadLetterHandler deadLetters,
    ILogger logger,
    TimeProvider time) : IQueueAdapterReceiver
{
    private readonly Queue<OrlogBatchContainer> _ready = new();
    private readonly Queue<OrlogBatchContainer> _handedOut = new();
    private readonly List<OrlogBatchContainer> _failed = [];
    private readonly byte[][] _topicNamespaces = [.. options.Namespaces.Where(n => options.TopicOf(n) == topic).Select(Encoding.UTF8.GetBytes)];
    private long _next = -1;
    private long _committed = -1;
    private long _committedAt;
    private Task _settling = Task.CompletedTask;
    private long _skipped;
    private long _startAgainAt;
    private Task? _start;
    private bool _refresh;

    private const int StartRetrySeconds = 2;

    private const int FetchAnswerMarginSeconds = 5;

    /// <summary>The next offset to read (-1 until started).</summary>
    public long Position => _next;

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Start().WaitAsync(timeout, time, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The agent polls anyway; the first poll starts again.
            LogStartFailed(logger, error, topic, partition);
        }
    }

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (!await TryStartAsync())
        {
            return [];
        }
        // Keep polling an idle partition for a while: an empty answer leaves the agent waiting for its next timer tick.
        var idleUntil = time.GetTimestamp() + (long)(options.IdleReturn.TotalSeconds * time.TimestampFrequency);
        try
        {
            while (_ready.Count == 0 && !cancellationToken.IsCancellationRequested && time.GetTimestamp() < idleUntil)
            {
                await FetchAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent is stopping: no error, nothing more to hand out.
            return [];
        }
        if (_ready.Count == 0 && (DonePosition() > _committed || _failed.Count > 0) && _settling.IsCompleted)
        {
            // Idle, with records done past the last commit (delivered, or read and belonging to no stream).
            _settling = SettleAsync(commit: true);
            await _settling;
        }
        var count = maxCount > 0 ? Math.Min(maxCount, _ready.Count) : _ready.Count;
        var messages = new List<IBatchContainer>(count);
        for (var i = 0; i < count; i++)
        {
            var record = _ready.Dequeue();
            _handedOut.Enqueue(record);
            messages.Add(record);
        }
        return messages;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        // The cache lets records go in offset order, reporting those it delivered: a record handed out before the
        // last one reported and not reported itself was given up on (every attempt failed) and goes to the dead letters.
        var delivered = new HashSet<long>(messages.Count);
        var last = -1L;
        foreach (var message in messages)
        {
            if (message is OrlogBatchContainer record)
            {
                delivered.Add(record.Offset);
                last = Math.Max(last, record.Offset);
            }
        }
        while (_handedOut.TryPeek(out var next) && next.Offset <= last)
        {
            _handedOut.Dequeue();
            if (!delivered.Contains(next.Offset))
            {
                _failed.Add(next);
            }
        }
        // Dead letters at once; commits at most once per CommitInterval (each is a durable write of the group's
        // offsets); both in the background, so the agent reads the partition on meanwhile.
        var commit = DonePosition() > _committed && time.GetElapsedTime(_committedAt) >= options.CommitInterval;
        if (_settling.IsCompleted && (commit || _failed.Count > 0))
        {
            _settling = SettleAsync(commit);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Where the partition is done: the first record given up on and not yet dead-lettered, else the first handed out
    /// and not yet delivered, else the read position (past skipped records too).
    /// </summary>
    private long DonePosition() =>
        _failed.Count > 0 ? _failed[0].Offset : _handedOut.TryPeek(out var pending) ? pending.Offset : _ready.TryPeek(out var next) ? next.Offset : _next;

    /// <summary>Writes the dead letters noted so far, then commits when asked; one at a time.</summary>
    private async Task SettleAsync(bool commit)
    {
        if (_failed.Count > 0)
        {
            var failed = _failed.ToArray();
            await deadLetters.WriteAsync(failed);
            _failed.RemoveRange(0, failed.Length);
        }
        if (commit && DonePosition() > _committed)
        {
            await CommitAsync(DonePosition());
        }
    }

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    /// <summary>The queue moves to another silo (or this one stops): what is done is committed, so the next owner starts there.</summary>
    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_next < 0)
        {
            return;
        }
        // What is in flight first (the group takes one member's commits in order), then the last dead letters and commit.
        await _settling.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_settling.IsCompleted)
        {
            _settling = SettleAsync(commit: true);
            await _settling.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Starts on the first poll that can (the topic exists with the provider's partition count): until then each poll
    /// answers nothing at once, trying again every <see cref="StartRetrySeconds"/> s, instead of failing into the pulling
    /// agent's own retries (which back off for many seconds, and hold a stopping silo as long).
    /// </summary>
    private async Task<bool> TryStartAsync()
    {
        if (_next >= 0)
        {
            return true;
        }
        if (time.GetTimestamp() < _startAgainAt)
        {
            return false;
        }
        try
        {
            await Start();
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _startAgainAt = time.GetTimestamp() + (StartRetrySeconds * time.TimestampFrequency);
            LogStartFailed(logger, error, topic, partition);
            return false;
        }
    }

    /// <summary>The one start in progress (Initialize's and the first poll's are the same), begun again only after a failure.</summary>
    private Task Start()
    {
        if (_start is null || _start.IsFaulted || _start.IsCanceled)
        {
            _start = StartAsync();
        }
        return _start;
    }

    private async Task StartAsync()
    {
        if (_next >= 0)
        {
            return;
        }
        await topics.GetAsync(topic);
        var fetched = await grains.GetGrain<IConsumerGroupGrain>(groupId).FetchOffsets(new OffsetFetchRequest(null, -1, [new TopicPartition(topic, partition)]));
        if (fetched.Error != ErrorCode.None)
        {
            throw new KafkaException(fetched.Error, $"Reading group '{groupId}''s offset of {topic}-{partition} failed: {fetched.ErrorMessage}");
        }
        var committed = fetched.Offsets.FirstOrDefault(o => o.Topic == topic && o.Partition == partition)?.Offset ?? -1;
        _committed = committed;
        _next = committed >= 0 ? committed : await ListOffsetAsync(options.StartFrom == StartPosition.Earliest ? OffsetSpec.Earliest : OffsetSpec.Latest);
        LogStarted(logger, topic, partition, _next, committed >= 0 ? "the group's committed offset" : $"the log's {options.StartFrom} (no committed offset)");
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        // Nothing escapes to the pulling agent, which would back off for many seconds: every failure is logged and the
        // fetch tried again in a moment against fresh metadata.
        try
        {
            var leader = await topics.LeaderAsync(topic, partition, _refresh);
            _refresh = false;
            var waitMs = (int)options.FetchWait.TotalMilliseconds;
            // Bounded well below Orleans' response timeout: a broker that died unnoticed holds the partition a few seconds, not 30.
            var response = await grains.GetGrain<IBrokerGrain>(leader)
                .Fetch(new FetchRequest(waitMs, 1, options.MaxFetchBytes, [new PartitionFetch(topic, partition, _next, options.MaxFetchBytes)]))
                .WaitAsync(options.FetchWait + TimeSpan.FromSeconds(FetchAnswerMarginSeconds), time, cancellationToken);
            var result = response.Results[0];
            switch (result.Error)
            {
                case ErrorCode.None:
                    Decode(result.Records);
                    return;
                case ErrorCode.OffsetOutOfRange:
                    await ResetAsync();
                    return;
                default:
                    throw new KafkaException(result.Error, result.ErrorMessage ?? "");
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _refresh = true;
            LogFetchRetry(logger, error, topic, partition, _next);
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The read position is outside the log (records deleted by retention, or a log truncated): start again where the options say.</summary>
    private async Task ResetAsync()
    {
        var start = await ListOffsetAsync(OffsetSpec.Earliest);
        var end = await ListOffsetAsync(OffsetSpec.Latest);
        // Past the end (the log was truncated): the end, so nothing new is skipped; before the start: as the options say.
        var reset = _next > end ? end : options.StartFrom == StartPosition.Earliest ? start : end;
        LogReset(logger, topic, partition, _next, reset);
        _next = reset;
    }

    /// <summary>Takes the fetched batches' records from the read position on; all or nothing, so a corrupt batch leaves the position where it was.</summary>
    private void Decode(byte[] batches)
    {
        var next = _next;
        var skipped = 0L;
        var decoded = new List<OrlogBatchContainer>();
        foreach (var batch in new RecordBatchEnumerator(batches))
        {
            var header = RecordBatchHeader.Read(batch);
            if (header.NextOffset <= next || header.IsControl)
            {
                next = Math.Max(next, header.NextOffset);
                continue;
            }
            using var reader = new RecordBatchReader(batch);
            foreach (var record in reader)
            {
                if (record.Offset < next)
                {
                    continue;
                }
                if (ToContainer(record) is { } container)
                {
                    decoded.Add(container);
                }
                else
                {
                    skipped++;
                }
            }
            next = header.NextOffset;
        }
        foreach (var container in decoded)
        {
            _ready.Enqueue(container);
        }
        _next = next;
        if (skipped > 0)
        {
            _skipped += skipped;
            LogSkipped(logger, skipped, topic, partition, _skipped);
        }
    }

    private OrlogBatchContainer? ToContainer(Record record)
    {
        if (record.IsKeyNull)
        {
            return null;
        }
        // Without the header: the topic's (first) namespace.
        var streamNamespace = _topicNamespaces.Length > 0 ? _topicNamespaces[0] : null;
        EventFormat? format = null;
        byte[]? context = null;
        foreach (var header in record.Headers)
        {
            if (header.IsValueNull)
            {
                continue;
            }
            if (header.Key.SequenceEqual(StreamRecordFormat.NamespaceHeaderUtf8))
            {
                streamNamespace = header.Value.ToArray();
            }
            else if (header.Key.SequenceEqual(StreamRecordFormat.FormatHeaderUtf8))
            {
                format = StreamRecordFormat.ParseFormat(header.Value);
            }
            else if (header.Key.SequenceEqual(StreamRecordFormat.RequestContextHeaderUtf8))
            {
                context = header.Value.ToArray();
            }
        }
        if (streamNamespace is null || !IsTopicNamespace(streamNamespace))
        {
            return null;
        }
        var streamId = StreamId.Create(streamNamespace, record.Key);
        return new OrlogBatchContainer(streamId, record.Offset, record.Timestamp, format, record.IsValueNull ? null : record.Value.ToArray(), context, codec);
    }

    /// <summary>Only this topic's namespaces: a stream of another namespace lives in its own topic's queue, read by another agent.</summary>
    private bool IsTopicNamespace(ReadOnlySpan<byte> name)
    {
        foreach (var own in _topicNamespaces)
        {
            if (name.SequenceEqual(own))
            {
                return true;
            }
        }
        return false;
    }

    private async Task<long> ListOffsetAsync(long spec)
    {
        var leader = await topics.LeaderAsync(topic, partition, refresh: true);
        var result = (await grains.GetGrain<IBrokerGrain>(leader).ListOffsets([new TopicPartition(topic, partition)], spec))[0];
        return result.Error == ErrorCode.None
            ? result.Offset
            : throw new KafkaException(result.Error, $"Listing the offsets of {topic}-{partition} failed: {result.ErrorMessage}");
    }

    private async Task CommitAsync(long offset)
    {
        _committedAt = time.GetTimestamp();
        try
        {
            var results = await grains.GetGrain<IConsumerGroupGrain>(groupId).CommitOffsets(
                new OffsetCommitRequest("", -1, null, [new OffsetToCommit(topic, partition, offset, -1, null)]));
            if (results[0].Error == ErrorCode.None)
            {
                _committed = offset;
            }
            else
            {
                LogCommitFailed(logger, null, topic, partition, offset, results[0].Error.KafkaName(), results[0].ErrorMessage);
            }
        }
        catch (Exception error) when (error is KafkaException or OrleansException or TimeoutException)
        {
            // The next delivery commits again; a silo dying first only means redelivery from the last commit.
            LogCommitFailed(logger, error, topic, partition, offset, "", error.Message);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Orlog streams: reading {Topic}-{Partition} from offset {Offset} ({From})")]
    private static partial void LogStarted(ILogger logger, string topic, int partition, long offset, string from);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Orlog streams: starting to read {Topic}-{Partition} failed; trying again in a moment")]
    private static partial void LogStartFailed(ILogger logger, Exception error, string topic, int partition);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Orlog streams: offset {Offset} of {Topic}-{Partition} is out of the log's range; reading from {Reset}")]
    private static partial void LogReset(ILogger logger, string topic, int partition, long offset, long reset);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Orlog streams: fetching {Topic}-{Partition} at offset {Offset} failed; trying again")]
    private static partial void LogFetchRetry(ILogger logger, Exception error, string topic, int partition, long offset);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Orlog streams: skipped {Count} record(s) of {Topic}-{Partition} that belong to no stream (no key, or a namespace the provider does not carry); {Total} so far")]
    private static partial void LogSkipped(ILogger logger, long count, string topic, int partition, long total);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Orlog streams: committing offset {Offset} of {Topic}-{Partition} failed: {Code} {Message}")]
    private static partial void LogCommitFailed(ILogger logger, Exception? exception, string topic, int partition, long offset, string code, string? message);
}
