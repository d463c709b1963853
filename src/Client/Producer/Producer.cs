using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>The producer: serializes and partitions records into the accumulator; the sender does the rest.</summary>
internal sealed partial class Producer<TKey, TValue> : IProducer<TKey, TValue>
{
    private readonly OrlogClient _client;
    private readonly bool _ownsClient;
    private readonly ProducerSettings _settings;
    private readonly RecordSerializer<TKey, TValue> _serializer;
    private readonly RecordAccumulator<TKey, TValue> _accumulator;
    private readonly ProducerSender<TKey, TValue> _sender;
    private readonly ILogger _logger;
    private readonly Lock _laneLock = new();
    private Task _lane = Task.CompletedTask;
    private int _laneCount;
    private readonly StatisticsTimer? _statistics;
    private readonly RecordClock _recordClock;
    private readonly Action<BatchDeliveryReport>? _batchHandler;
    private int _disposed;

    public Producer(OrlogClient client, bool ownsClient, ProducerConfig config, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer,
        ILoggerFactory? loggerFactory = null, Action<string>? statisticsHandler = null, Action<BatchDeliveryReport>? batchHandler = null)
    {
        _batchHandler = batchHandler;
        _client = client;
        _ownsClient = ownsClient;
        _settings = new ProducerSettings(config);
        Name = config.ClientId;
        _logger = (loggerFactory ?? client.LoggerFactory).CreateLogger("Orlog.Client.Producer");
        _serializer = new RecordSerializer<TKey, TValue>(keySerializer, valueSerializer);
        _recordClock = new RecordClock(client.Clock.Provider);
        var wake = new AsyncSignal();
        _accumulator = new RecordAccumulator<TKey, TValue>(_settings, client.Clock, wake, Report);
        _sender = new ProducerSender<TKey, TValue>(client, _settings, _accumulator, wake, _logger);
        _sender.Start();
        _statistics = StatisticsTimer.Start(config.Int(ClientSettings.StatisticsIntervalMs), Name, config.ClientId, "producer", client.Clock, WriteStatistics,
            statisticsHandler, _logger);
        ConfigNotes.Log(_logger, config, SettingScope.Producer);
        LogStarted(_logger, Name, _settings.Acks, _settings.Idempotent, _settings.LingerMs, _settings.BatchSize, _settings.Compression);
    }

    public string Name { get; }

    /// <summary>librdkafka's producer statistics that Orlog has: records waiting or in flight (msg_cnt, msg_size) and delivered (txmsgs, txmsg_bytes).</summary>
    private void WriteStatistics(Utf8JsonWriter writer)
    {
        var (waiting, waitingBytes, delivered, deliveredBytes) = _accumulator.Statistics();
        writer.WriteNumber("msg_cnt", waiting);
        writer.WriteNumber("msg_size", waitingBytes);
        writer.WriteNumber("msg_size_max", _settings.BufferMemory);
        writer.WriteNumber("txmsgs", delivered);
        writer.WriteNumber("txmsg_bytes", deliveredBytes);
    }

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsyncCore(topic, -1, message, cancellationToken);

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);
        ArgumentOutOfRangeException.ThrowIfNegative(topicPartition.Partition.Value, nameof(topicPartition));
        return ProduceAsyncCore(topicPartition.Topic, topicPartition.Partition, message, cancellationToken);
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        ProduceCore(topic, -1, message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);
        ArgumentOutOfRangeException.ThrowIfNegative(topicPartition.Partition.Value, nameof(topicPartition));
        ProduceCore(topicPartition.Topic, topicPartition.Partition, message, deliveryHandler);
    }

    public int Flush(TimeSpan timeout)
    {
        try
        {
            FlushAsync(CancellationToken.None).WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
        }
        return _accumulator.IncompleteRecords + Volatile.Read(ref _laneCount);
    }

    public void Flush(CancellationToken cancellationToken = default) => FlushAsync(cancellationToken).GetAwaiter().GetResult();

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await LaneDrained().WaitAsync(cancellationToken).ConfigureAwait(false);
        _accumulator.BeginFlush();
        try
        {
            await _accumulator.WhenEmpty().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _accumulator.EndFlush();
        }
    }

    public int Poll(TimeSpan timeout) => 0;

    public void InitTransactions(TimeSpan timeout) => throw NoTransactions();

    public void BeginTransaction() => throw NoTransactions();

    public void CommitTransaction(TimeSpan timeout) => throw NoTransactions();

    public void CommitTransaction() => throw NoTransactions();

    public void AbortTransaction(TimeSpan timeout) => throw NoTransactions();

    public void AbortTransaction() => throw NoTransactions();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) => throw NoTransactions();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await FlushAsync().ConfigureAwait(false);
        if (_statistics is not null)
        {
            await _statistics.DisposeAsync().ConfigureAwait(false);
        }
        await _sender.DisposeAsync().ConfigureAwait(false);
        _accumulator.Dispose();
        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<DeliveryResult<TKey, TValue>> ProduceAsyncCore(string topic, int partition, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Volatile.Read(ref _laneCount) > 0 || !_client.Metadata.TryGet(topic, out var metadata) || !_accumulator.HasRoom)
        {
            return ProduceInLane(topic, partition, message, cancellationToken);
        }
        try
        {
            return Enqueue(metadata, partition, message, cancellationToken);
        }
        catch (ProduceException<TKey, TValue> error)
        {
            return Task.FromException<DeliveryResult<TKey, TValue>>(error);
        }
    }

    /// <summary>
    /// The slow path (metadata to read, or buffer.memory full): records wait in one lane, in call order, so a
    /// record sent after another is appended after it even when the first had to wait.
    /// </summary>
    private Task<DeliveryResult<TKey, TValue>> ProduceInLane(string topic, int partition, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        LaneRecord record;
        try
        {
            record = Copy(topic, partition, message);
        }
        catch (ProduceException<TKey, TValue> error)
        {
            return Task.FromException<DeliveryResult<TKey, TValue>>(error);
        }
        var completion = new TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnterLane(topic, partition, record, completion, null, cancellationToken);
        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
    }

    private void EnterLane(string topic, int partition, LaneRecord record, TaskCompletionSource<DeliveryResult<TKey, TValue>>? completion,
        Action<DeliveryReport<TKey, TValue>>? handler, CancellationToken cancellationToken)
    {
        lock (_laneLock)
        {
            _laneCount++;
            _lane = AppendInLaneAsync(_lane, topic, partition, record, completion, handler, cancellationToken);
        }
    }

    /// <summary>Waits for the records before it, the metadata and buffer room, then appends; never throws (the record's task or handler gets the error).</summary>
    private async Task AppendInLaneAsync(Task previous, string topic, int partition, LaneRecord record,
        TaskCompletionSource<DeliveryResult<TKey, TValue>>? completion, Action<DeliveryReport<TKey, TValue>>? handler, CancellationToken cancellationToken)
    {
        var message = record.Message;
        try
        {
            await previous.ConfigureAwait(false);
            var metadata = await MetadataAsync(topic, partition, message).ConfigureAwait(false);
            var deadline = _client.Clock.NowMs + _settings.MaxBlockMs;
            while (!_accumulator.HasRoom)
            {
                var left = deadline - _client.Clock.NowMs;
                if (left <= 0)
                {
                    throw BufferFull(topic, partition, message);
                }
                await AsyncSignal.WaitAsync(_accumulator.RoomSignal, TimeSpan.FromMilliseconds(left), _client.Clock.Provider, cancellationToken).ConfigureAwait(false);
            }
            AppendSerialized(metadata, partition, record.Key, record.Value, record.Headers, record.Timestamp, record.Message, completion, handler);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            completion?.TrySetCanceled(cancellationToken);
        }
        catch (Exception error)
        {
            completion?.TrySetException(error);
            var failure = error as ProduceException<TKey, TValue> ?? Failure(new Error(ErrorCode.UnknownServerError, error.Message), topic, partition, message, error);
            // Reported as batches are, one at a time: a handler never runs beside another.
            _accumulator.ReportAside(() =>
            {
                if (completion is null && handler is not null)
                {
                    ReportFailure(handler, failure);
                }
                ReportBatch(new BatchDeliveryReport(topic, partition, Offset.Unset, 1, PersistenceStatus.NotPersisted, failure.Error));
            });
        }
        finally
        {
            Interlocked.Decrement(ref _laneCount);
        }
    }

    /// <summary>Completes when every record that took the slow lane so far is appended.</summary>
    private Task LaneDrained()
    {
        lock (_laneLock)
        {
            return _lane;
        }
    }

    private Task<DeliveryResult<TKey, TValue>> Enqueue(Grains.TopicMetadata metadata, int partition, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Append(metadata, partition, message, completion, null);
        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
    }

    /// <summary>
    /// Produce with a delivery handler: never waits for metadata (the record takes the lane while the topic's metadata
    /// is read); like Kafka's send(), it waits up to max.block.ms for room when buffer.memory is full, and for the
    /// lane to empty once the metadata it waited for is here.
    /// </summary>
    private void ProduceCore(string topic, int partition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? handler)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Volatile.Read(ref _laneCount) > 0 && _client.Metadata.TryGet(topic, out _))
        {
            // Records wait in the lane only for metadata that is here now: they are appended in a moment, and this one
            // after them. Without this wait a fast caller would keep every later record in the slow lane.
            LaneDrained().GetAwaiter().GetResult();
        }
        if (Volatile.Read(ref _laneCount) > 0 || !_client.Metadata.TryGet(topic, out var metadata))
        {
            // What can be refused without the cluster is refused here, at once, as it is on the fast path.
            EnterLane(topic, partition, Copy(topic, partition, message), null, handler, CancellationToken.None);
            return;
        }
        if (!_accumulator.HasRoom)
        {
            var deadline = _client.Clock.NowMs + _settings.MaxBlockMs;
            while (!_accumulator.HasRoom)
            {
                var left = deadline - _client.Clock.NowMs;
                if (left <= 0 || !_accumulator.RoomSignal.Wait(TimeSpan.FromMilliseconds(left)) && !_accumulator.HasRoom)
                {
                    throw BufferFull(topic, partition, message);
                }
            }
        }
        Append(metadata, partition, message, null, handler);
    }

    private void ReportFailure(Action<DeliveryReport<TKey, TValue>> handler, ProduceException<TKey, TValue> failure)
    {
        try
        {
            handler(new DeliveryReport<TKey, TValue>
            {
                Topic = failure.DeliveryResult.Topic,
                Partition = failure.DeliveryResult.Partition,
                Offset = Offset.Unset,
                Status = PersistenceStatus.NotPersisted,
                Message = failure.DeliveryResult.Message,
                Error = failure.Error,
            });
        }
        catch (Exception error)
        {
            LogHandlerError(_logger, error);
        }
    }

    // As Kafka's send(): waits up to max.block.ms for the topic's metadata, trying again (after retry.backoff.ms)
    // while the cluster cannot be reached (a gateway or the controller's silo died and another takes over);
    // an unknown topic fails at once (Orlog does not create topics on use).
    private async Task<Grains.TopicMetadata> MetadataAsync(string topic, int partition, Message<TKey, TValue> message)
    {
        var started = _client.Clock.NowMs;
        Exception? last = null;
        while (true)
        {
            var left = _settings.MaxBlockMs - (_client.Clock.NowMs - started);
            if (left <= 0)
            {
                var cause = last is null ? "" : $" The last attempt failed: {last.Message}";
                throw Failure(new Error(ErrorCode.RequestTimedOut, $"The metadata of topic '{topic}' did not arrive within max.block.ms ({_settings.MaxBlockMs}).{cause}"),
                    topic, partition, message, last);
            }
            try
            {
                return await _client.Metadata.GetAsync(topic).AsTask().WaitAsync(TimeSpan.FromMilliseconds(left)).ConfigureAwait(false);
            }
            catch (KafkaException error) when (error.Code is not (ErrorCode.NetworkException or ErrorCode.RequestTimedOut or ErrorCode.NotController or ErrorCode.KafkaStorageError))
            {
                // An unknown topic is an answer, not an outage: it fails the send at once.
                throw Failure(new Error(error.Code, error.Detail), topic, partition, message, error);
            }
            catch (TimeoutException error)
            {
                last ??= error;
            }
            catch (Exception error) when (error is OrleansException or OperationCanceledException or KafkaException)
            {
                last = error;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(_settings.RetryBackoffMs, Math.Max(1, left)))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The record's bytes copied for the lane, so that Produce has read the message when it returns (as
    /// Confluent.Kafka's, which serializes at once): the caller may reuse its message and arrays. Throws what
    /// <see cref="Append"/> would for the record itself: it does not serialize, or it is larger than max.request.size.
    /// </summary>
    private LaneRecord Copy(string topic, int partition, Message<TKey, TValue> message)
    {
        var timestamp = TimestampOf(message);
        using var record = Serialize(topic, partition, message);
        var headers = new RecordHeader[record.Headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            var header = record.Headers[i];
            headers[i] = header.IsValueNull ? new RecordHeader(header.Key, (byte[]?)null) : new RecordHeader(header.Key, header.Value.ToArray());
        }
        return new LaneRecord(message, timestamp, record.Key.IsNull ? null : record.Key.Span.ToArray(), record.Value.IsNull ? null : record.Value.Span.ToArray(), headers);
    }

    /// <summary>A record waiting in the lane: its bytes as serialized when it was produced, and the message for its report.</summary>
    private sealed record LaneRecord(Message<TKey, TValue> Message, long Timestamp, byte[]? Key, byte[]? Value, RecordHeader[] Headers);

    private void ThrowIfTooLarge(SerializedRecord record, string topic, int partition, Message<TKey, TValue> message)
    {
        var size = RecordBatchBuilder.EstimateRecordSize(record.Key.EncodedLength, record.Value.EncodedLength, record.Headers) + RecordBatchHeader.Size;
        if (size > _settings.MaxRequestSize)
        {
            throw Failure(new Error(ErrorCode.MessageTooLarge,
                $"The record is {size} bytes with its batch header, more than max.request.size ({_settings.MaxRequestSize}). Send smaller records or raise max.request.size."),
                topic, partition, message);
        }
    }

    private void Append(Grains.TopicMetadata metadata, int partition, Message<TKey, TValue> message, TaskCompletionSource<DeliveryResult<TKey, TValue>>? completion,
        Action<DeliveryReport<TKey, TValue>>? handler)
    {
        var timestamp = TimestampOf(message);
        using var record = Serialize(metadata.Name, partition, message);
        AppendSerialized(metadata, partition, record.Key, record.Value, record.Headers, timestamp, message, completion, handler);
    }

    /// <summary>The record's CreateTime: the message's own, or now.</summary>
    private long TimestampOf(Message<TKey, TValue> message) => message.Timestamp.IsSet ? message.Timestamp.UnixTimestampMs : _recordClock.UnixNowMs();

    /// <summary>The record's bytes (dispose them), or what the record itself is refused for: it does not serialize, or it is larger than max.request.size.</summary>
    private SerializedRecord Serialize(string topic, int partition, Message<TKey, TValue> message)
    {
        var record = _serializer.Serialize(topic, message, out var error);
        if (error is not null)
        {
            throw Failure(new Error(ErrorCode.InvalidRecord, error.Message), topic, partition, message, error);
        }
        try
        {
            ThrowIfTooLarge(record, topic, partition, message);
        }
        catch
        {
            record.Dispose();
            throw;
        }
        return record;
    }

    /// <summary>Appends serialized bytes to the accumulator; a refusal there (an unknown partition) fails the record as the caller's.</summary>
    private void AppendSerialized(Grains.TopicMetadata metadata, int partition, RecordBytes key, RecordBytes value, ReadOnlySpan<RecordHeader> headers, long timestamp,
        Message<TKey, TValue> message, TaskCompletionSource<DeliveryResult<TKey, TValue>>? completion, Action<DeliveryReport<TKey, TValue>>? handler)
    {
        try
        {
            _accumulator.Append(metadata, partition, key, value, headers, timestamp, new PendingRecord<TKey, TValue>(message, timestamp, completion, handler));
        }
        catch (KafkaException kafka)
        {
            throw Failure(new Error(kafka.Code, kafka.Detail), metadata.Name, partition, message, kafka);
        }
    }

    private void Report(ProducerBatch<TKey, TValue> batch)
    {
        var error = batch.Error;
        var records = batch.Records;
        var offsetKnown = error is null && batch.BaseOffset >= 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var timestamp = batch.LogAppendTime >= 0
                ? new Timestamp(batch.LogAppendTime, TimestampType.LogAppendTime)
                : new Timestamp(record.Timestamp, TimestampType.CreateTime);
            var offset = offsetKnown ? new Offset(batch.BaseOffset + record.Index) : Offset.Unset;
            if (record.Completion is { } completion)
            {
                var result = new DeliveryResult<TKey, TValue>
                {
                    Topic = batch.Queue.Topic,
                    Partition = batch.Queue.Partition,
                    Offset = offset,
                    Timestamp = timestamp,
                    Status = batch.Status,
                    Message = record.Message,
                };
                if (error is null)
                {
                    completion.TrySetResult(result);
                }
                else
                {
                    completion.TrySetException(new ProduceException<TKey, TValue>(error, result));
                }
            }
            else if (record.Handler is { } handler)
            {
                try
                {
                    handler(new DeliveryReport<TKey, TValue>
                    {
                        Topic = batch.Queue.Topic,
                        Partition = batch.Queue.Partition,
                        Offset = offset,
                        Timestamp = timestamp,
                        Status = batch.Status,
                        Message = record.Message,
                        Error = error ?? Error.NoError,
                    });
                }
                catch (Exception failure)
                {
                    LogHandlerError(_logger, failure);
                }
            }
        }
        if (_batchHandler is not null)
        {
            ReportBatch(new BatchDeliveryReport(batch.Queue.Topic, batch.Queue.Partition, offsetKnown ? new Offset(batch.BaseOffset) : Offset.Unset,
                batch.RecordCount, batch.Status, error ?? Error.NoError));
        }
    }

    private void ReportBatch(BatchDeliveryReport report)
    {
        if (_batchHandler is null)
        {
            return;
        }
        try
        {
            _batchHandler(report);
        }
        catch (Exception failure)
        {
            LogHandlerError(_logger, failure);
        }
    }

    private static KafkaException NoTransactions() => new(ErrorCode.Local_NotImplemented,
        "Orlog has no transactions yet. Produce with enable.idempotence=true (the default): each partition gets every record once, in order.");

    private ProduceException<TKey, TValue> BufferFull(string topic, int partition, Message<TKey, TValue> message) =>
        Failure(new Error(ErrorCode.RequestTimedOut,
            $"buffer.memory ({_settings.BufferMemory} bytes) stayed full for max.block.ms ({_settings.MaxBlockMs}): records are produced faster than the cluster takes them."),
            topic, partition, message);

    private static ProduceException<TKey, TValue> Failure(Error error, string topic, int partition, Message<TKey, TValue> message, Exception? inner = null) =>
        new(error, new DeliveryResult<TKey, TValue>
        {
            Topic = topic,
            Partition = partition,
            Message = message,
            Status = PersistenceStatus.NotPersisted,
        }, inner);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Producer {Name} started: acks={Acks} idempotent={Idempotent} linger.ms={LingerMs} batch.size={BatchSize} compression={Compression}")]
    private static partial void LogStarted(ILogger logger, string name, short acks, bool idempotent, int lingerMs, int batchSize, CompressionType compression);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "A delivery handler threw")]
    private static partial void LogHandlerError(ILogger logger, Exception error);
}
