using Microsoft.Extensions.Logging;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// The producer's background loop: drains ready batches from the accumulator into one produce request per
/// broker (up to max.in.flight.requests.per.connection in flight each), and sorts each reply's per-partition
/// results into delivered, retried (retriable errors, Orleans timeouts and lost connections, until retries or
/// delivery.timeout.ms run out) and failed.
/// </summary>
internal sealed partial class ProducerSender<TKey, TValue> : IAsyncDisposable
{
    private readonly OrlogClient _client;
    private readonly ProducerSettings _settings;
    private readonly RecordAccumulator<TKey, TValue> _accumulator;
    private readonly AsyncSignal _wake;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<PartitionQueue<TKey, TValue>> _allocating = [];
    private readonly TimeSpan _requestTimeout;
    private Task _loop = Task.CompletedTask;

    public ProducerSender(OrlogClient client, ProducerSettings settings, RecordAccumulator<TKey, TValue> accumulator, AsyncSignal wake, ILogger logger)
    {
        _client = client;
        _settings = settings;
        _accumulator = accumulator;
        _wake = wake;
        _logger = logger;
        _requestTimeout = TimeSpan.FromMilliseconds(settings.RequestTimeoutMs);
    }

    public void Start()
    {
        _accumulator.ReadyToSend = Kick;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Drains and sends on the calling thread: a batch closed, or a request answered.</summary>
    private void Kick()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        var work = new List<ProduceWork<TKey, TValue>>();
        var needProducerId = new List<PartitionQueue<TKey, TValue>>();
        try
        {
            _accumulator.Drain(work, needProducerId);
        }
        catch (Exception error)
        {
            LogLoopError(_logger, error);
        }
        foreach (var request in work)
        {
            _ = SendAsync(request);
        }
        if (needProducerId.Count > 0 || (_settings.Idempotent && _accumulator.ProducerId is null))
        {
            _wake.Set();
        }
    }

    public async ValueTask DisposeAsync()
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
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var work = new List<ProduceWork<TKey, TValue>>();
        var needProducerId = new List<PartitionQueue<TKey, TValue>>();
        while (!_stop.IsCancellationRequested)
        {
            var signal = _wake.Reset();
            _accumulator.SenderIdle = true;
            var wait = -1L;
            var expiresIn = -1L;
            if (_settings.Idempotent && _accumulator.ProducerId is null && _accumulator.IncompleteRecords > 0)
            {
                try
                {
                    _accumulator.ProducerId = await _client.Gateway.ProducerIds.AllocateProducerId().WaitAsync(_requestTimeout, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception error) when (!_stop.IsCancellationRequested)
                {
                    // Drain anyway below: batches that wait too long for an id still expire and are reported.
                    LogLoopError(_logger, error);
                }
            }
            try
            {
                work.Clear();
                needProducerId.Clear();
                wait = _accumulator.Drain(work, needProducerId, out expiresIn);
                foreach (var request in work)
                {
                    _ = SendAsync(request);
                }
                if (work.Count > 0)
                {
                    // A drain takes one batch per partition: drain again at once while slots and batches remain.
                    wait = 0;
                }
                if (_settings.Idempotent && _accumulator.ProducerId is null && _accumulator.IncompleteRecords > 0)
                {
                    wait = wait < 0 ? _settings.RetryBackoffMs : Math.Min(wait, _settings.RetryBackoffMs);
                }
                if (wait >= 0)
                {
                    _accumulator.SenderIdle = false;
                }
                foreach (var queue in needProducerId)
                {
                    bool added;
                    lock (_allocating)
                    {
                        added = _allocating.Add(queue);
                    }
                    if (added)
                    {
                        _ = RenewProducerIdAsync(queue);
                    }
                }
            }
            catch (Exception error) when (!_stop.IsCancellationRequested)
            {
                LogLoopError(_logger, error);
                wait = _settings.RetryBackoffMs;
            }
            // Batches held back (slots, a producer id) must still expire on time: sleep no longer than that, without
            // leaving the idle state in which a new open batch wakes the loop.
            var sleep = expiresIn >= 0 && (wait < 0 || expiresIn < wait) ? expiresIn : wait;
            await AsyncSignal.WaitAsync(signal, sleep < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(sleep), _client.Clock.Provider, _stop.Token)
                .ConfigureAwait(false);
        }
    }

    private async Task RenewProducerIdAsync(PartitionQueue<TKey, TValue> queue)
    {
        try
        {
            var id = await _client.Gateway.ProducerIds.AllocateProducerId().WaitAsync(_requestTimeout).ConfigureAwait(false);
            LogNewProducerId(_logger, queue.Topic, queue.Partition, id.ProducerId);
            _accumulator.AssignProducerId(queue, id);
        }
        catch (Exception error)
        {
            LogLoopError(_logger, error);
            await Task.Delay(_settings.RetryBackoffMs).ConfigureAwait(false);
        }
        finally
        {
            lock (_allocating)
            {
                _allocating.Remove(queue);
            }
            _wake.Set();
        }
    }

    private async Task SendAsync(ProduceWork<TKey, TValue> work)
    {
        var batches = work.Batches;
        try
        {
            var partitionBatches = new PartitionBatch[batches.Count];
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = batches[i];
                partitionBatches[i] = new PartitionBatch(batch.Queue.Topic, batch.Queue.Partition, _accumulator.BytesOf(batch));
            }
            var call = _client.Gateway.Broker(work.Broker).Produce(new ProduceRequest(_settings.Acks, _settings.RequestTimeoutMs, partitionBatches));
            if (_settings.Acks == 0)
            {
                foreach (var batch in batches)
                {
                    _accumulator.Succeeded(batch, -1, -1, PersistenceStatus.PossiblyPersisted);
                }
                if (await IgnoreReplyAsync(call).ConfigureAwait(false))
                {
                    _accumulator.Answered(batches);
                }
                else
                {
                    _accumulator.Unanswered(batches);
                }
                return;
            }
            ProduceResponse response;
            try
            {
                response = await _client.Liveness.ReplyAsync(call, work.Broker, _requestTimeout).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                _accumulator.Unanswered(batches);
                var failure = Transport(error, work.Broker);
                foreach (var batch in batches)
                {
                    await HandleErrorAsync(batch, failure.Error, failure.Retriable, PersistenceStatus.PossiblyPersisted).ConfigureAwait(false);
                }
                return;
            }
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = batches[i];
                var result = Find(response, batch, i);
                if (result is null)
                {
                    await HandleErrorAsync(batch, new Error(ErrorCode.UnknownServerError, $"The broker's reply had no result for {batch.Queue.Topic}-{batch.Queue.Partition}."), true, PersistenceStatus.PossiblyPersisted).ConfigureAwait(false);
                }
                else if (result.Error is ErrorCode.None or ErrorCode.DuplicateSequenceNumber)
                {
                    _accumulator.Succeeded(batch, result.BaseOffset, result.LogAppendTime, PersistenceStatus.Persisted);
                }
                else
                {
                    var retriable = result.Error.IsRetriable()
                        || (result.Error == ErrorCode.OutOfOrderSequenceNumber && _accumulator.HasEarlierPending(batch));
                    var error = new Error(result.Error, result.ErrorMessage ?? result.Error.KafkaName());
                    await HandleErrorAsync(batch, error, retriable, PersistenceStatus.NotPersisted).ConfigureAwait(false);
                }
            }
            _accumulator.Answered(batches);
        }
        catch (Exception error)
        {
            // Building a batch failed (a codec error): nothing was sent.
            LogLoopError(_logger, error);
            foreach (var batch in batches)
            {
                if (!batch.IsDone)
                {
                    _accumulator.Failed(batch, Error.From(error), PersistenceStatus.NotPersisted);
                }
            }
        }
        finally
        {
            _accumulator.RequestDone(work.Broker);
        }
    }

    private async Task HandleErrorAsync(ProducerBatch<TKey, TValue> batch, Error error, bool retriable, PersistenceStatus status)
    {
        var topic = batch.Queue.Topic;
        if (MetadataRefresh.IsNeededAfter(error.Code))
        {
            _client.Metadata.Invalidate(topic);
            try
            {
                var metadata = await _client.Metadata.LoadAsync(topic).ConfigureAwait(false);
                if (metadata is null || batch.Queue.Partition >= metadata.Partitions.Count)
                {
                    retriable = false;
                    error = new Error(ErrorCode.UnknownTopicOrPartition, metadata is null
                        ? MetadataCache.UnknownTopic(topic).Detail
                        : MetadataCache.UnknownPartition(topic, batch.Queue.Partition, metadata.Partitions.Count).Detail);
                }
                else
                {
                    // Kafka retries these after refreshing metadata: the topic is there, its leader or id moved.
                    retriable = true;
                    _accumulator.UpdateMetadata(metadata);
                }
            }
            catch (Exception refresh)
            {
                LogLoopError(_logger, refresh);
            }
        }
        var age = _client.Clock.NowMs - batch.CreatedMs;
        if (retriable && batch.Attempts <= _settings.Retries && age < _settings.DeliveryTimeoutMs)
        {
            LogRetry(_logger, topic, batch.Queue.Partition, batch.Attempts, error.ToString());
            ClientMetrics.ProducerRetries.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("partition", batch.Queue.Partition));
            batch.LastError = error;
            _accumulator.Retry(batch);
        }
        else
        {
            _accumulator.Failed(batch, error, status);
        }
    }

    private static PartitionProduceResult? Find(ProduceResponse response, ProducerBatch<TKey, TValue> batch, int index)
    {
        var results = response.Results;
        if (index < results.Count && results[index].Partition == batch.Queue.Partition && results[index].Topic == batch.Queue.Topic)
        {
            return results[index];
        }
        foreach (var result in results)
        {
            if (result.Partition == batch.Queue.Partition && result.Topic == batch.Queue.Topic)
            {
                return result;
            }
        }
        return null;
    }

    private (Error Error, bool Retriable) Transport(Exception error, int broker) => error switch
    {
        KafkaException kafka => (new Error(kafka.Code, kafka.Detail), kafka.IsRetriable),
        TimeoutException => (new Error(ErrorCode.RequestTimedOut,
            $"Broker {broker} did not answer within request.timeout.ms ({_settings.RequestTimeoutMs})."), true),
        OrleansException or OperationCanceledException or IOException => (new Error(ErrorCode.NetworkException,
            $"The request to broker {broker} failed: {error.Message}"), true),
        _ => (new Error(ErrorCode.UnknownServerError, $"The request to broker {broker} failed: {error.Message}"), false),
    };

    /// <summary>True when the broker answered (the request was sent whole).</summary>
    private async Task<bool> IgnoreReplyAsync(Task<ProduceResponse> call)
    {
        try
        {
            await call.WaitAsync(_requestTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception error)
        {
            LogAcksZeroError(_logger, error.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Producer loop error; retrying")]
    private static partial void LogLoopError(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Retrying batch for {Topic}-{Partition} (attempt {Attempt}): {Error}")]
    private static partial void LogRetry(ILogger logger, string topic, int partition, int attempt, string error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Partition {Topic}-{Partition} restarts its sequence under producer id {ProducerId}")]
    private static partial void LogNewProducerId(ILogger logger, string topic, int partition, long producerId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "A produce request with acks=0 failed: {Error}")]
    private static partial void LogAcksZeroError(ILogger logger, string error);
}
