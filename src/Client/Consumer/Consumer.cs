using Microsoft.Extensions.Logging;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>The consumer: its assignment and positions; fetching is in Consumer.Fetch.cs, consuming in Consumer.Consume.cs.</summary>
internal sealed partial class Consumer<TKey, TValue> : IConsumer<TKey, TValue>
{
    private readonly Lock _lock = new();
    private readonly OrlogClient _client;
    private readonly bool _ownsClient;
    private readonly ConsumerSettings _settings;
    private readonly BatchDecoder<TKey, TValue> _decoder;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly Dictionary<int, BrokerFetcher<TKey, TValue>> _fetchers = [];
    private readonly AsyncSignal _fetchWake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly RebalanceHandlers<TKey, TValue> _handlers;
    private bool _assignedManually;
    private int _closing;
    private int _closed;

    public Consumer(OrlogClient client, bool ownsClient, ConsumerConfig config, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer,
        RebalanceHandlers<TKey, TValue> handlers)
    {
        _handlers = handlers;
        _client = client;
        _ownsClient = ownsClient;
        _settings = new ConsumerSettings(config);
        Name = config.ClientId;
        _decoder = new BatchDecoder<TKey, TValue>(keyDeserializer, valueDeserializer, _settings.CheckCrcs);
        _logger = client.LoggerFactory.CreateLogger("Orlog.Client.Consumer");
        _group = string.IsNullOrEmpty(_settings.GroupId) ? null : client.Gateway.Group(_settings.GroupId);
    }

    public string Name { get; }

    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            lock (_lock)
            {
                return [.. _partitions.Keys];
            }
        }
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        var wanted = partitions.ToList();
        ThrowIfSubscribed("Assign");
        var (leaders, committed) = Task.Run(() => PrepareAssignAsync(wanted)).GetAwaiter().GetResult();
        lock (_lock)
        {
            ThrowIfSubscribed("Assign");
            foreach (var state in _partitions.Values)
            {
                state.Assigned = false;
            }
            _partitions.Clear();
            for (var i = 0; i < wanted.Count; i++)
            {
                var state = new PartitionState(wanted[i].TopicPartition, leaders[i]) { CommittedOffset = committed[i] };
                _partitions[state.TopicPartition] = state;
                Start(state, wanted[i].Offset == Offset.Unset && committed[i] >= 0 ? committed[i] : wanted[i].Offset);
            }
            foreach (var leader in leaders)
            {
                EnsureFetcher(leader);
            }
            _assignedManually = wanted.Count > 0;
            if (_assignedManually && _settings.EnableAutoCommit)
            {
                EnsureMembershipLoop();
            }
        }
        _fetchWake.Set();
    }

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)));
    }

    public void Assign(TopicPartitionOffset partition) => Assign([partition]);

    public void Unassign()
    {
        ThrowIfSubscribed("Unassign");
        lock (_lock)
        {
            DropAll();
            _assignedManually = false;
        }
    }

    public void Seek(TopicPartitionOffset position)
    {
        ArgumentNullException.ThrowIfNull(position);
        lock (_lock)
        {
            Start(Assigned(position.TopicPartition), position.Offset);
        }
        _fetchWake.Set();
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                var state = Assigned(partition);
                if (state.Paused)
                {
                    continue;
                }
                state.Paused = true;
                // Records fetched but not consumed are dropped: after Resume they are fetched again from the position.
                state.Version++;
                if (state.ResetTo is null && state.ConsumePosition >= 0)
                {
                    state.FetchPosition = state.ConsumePosition;
                }
            }
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                Assigned(partition).Paused = false;
            }
        }
        _fetchWake.Set();
    }

    public Offset Position(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_lock)
        {
            var state = Assigned(partition);
            return state.ConsumePosition >= 0 ? state.ConsumePosition : Offset.Unset;
        }
    }

    public long? CurrentLag(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_lock)
        {
            var state = Assigned(partition);
            return state.HighWatermark >= 0 && state.ConsumePosition >= 0 ? Math.Max(0, state.HighWatermark - state.ConsumePosition) : null;
        }
    }

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_lock)
        {
            return _partitions.TryGetValue(partition, out var state) && state.HighWatermark >= 0
                ? new WatermarkOffsets(state.LogStartOffset, state.HighWatermark)
                : new WatermarkOffsets(Offset.Unset, Offset.Unset);
        }
    }

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partition);
        try
        {
            return Task.Run(() => QueryWatermarksAsync(partition)).WaitAsync(timeout).GetAwaiter().GetResult();
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"The watermarks of {partition} did not arrive within {timeout.TotalMilliseconds:0} ms.", error);
        }
    }

    public void Close() => Dispose();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }
        try
        {
            await CloseGroupAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            LogCloseFailed(_logger, _settings.GroupId, error.Message);
        }
        Interlocked.Exchange(ref _closed, 1);
        await _membershipStop.CancelAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        // A thread blocked in Consume wakes and sees the consumer closed.
        _available.Set();
        Task[] loops;
        lock (_lock)
        {
            loops = [.. _fetchers.Values.Select(f => f.Loop)];
            if (_membershipLoop is not null)
            {
                loops = [.. loops, _membershipLoop];
            }
            DropAll();
        }
        _fetchWake.Set();
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await _autoCommit.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
        _membershipStop.Dispose();
    }

    internal async Task<WatermarkOffsets> QueryWatermarksAsync(TopicPartition partition)
    {
        var asked = new[] { partition };
        var low = OffsetLookup.ListAsync(_client, asked, Grains.OffsetSpec.Earliest);
        var high = OffsetLookup.ListAsync(_client, asked, Grains.OffsetSpec.Latest);
        var start = (await low.ConfigureAwait(false))[0];
        var end = (await high.ConfigureAwait(false))[0];
        ThrowIfFailed(start, partition);
        ThrowIfFailed(end, partition);
        return new WatermarkOffsets(start.Offset, end.Offset);

        static void ThrowIfFailed(Grains.ListOffsetsResult result, TopicPartition partition)
        {
            if (result.Error != ErrorCode.None)
            {
                throw new KafkaException(result.Error, result.ErrorMessage ?? $"Reading the offsets of {partition} failed.");
            }
        }
    }

    /// <summary>Positions a partition at an offset, or for a reset; Unset follows auto.offset.reset.</summary>
    private void Start(PartitionState state, Offset offset)
    {
        if (offset == Offset.Unset)
        {
            switch (_settings.AutoOffsetReset)
            {
                case AutoOffsetReset.Earliest:
                    offset = Offset.Beginning;
                    break;
                case AutoOffsetReset.Latest:
                    offset = Offset.End;
                    break;
                default:
                    state.MoveTo(Offset.Unset);
                    state.ResetTo = null;
                    Fail(state, new Error(ErrorCode.OffsetOutOfRange,
                        $"{state.TopicPartition} has no offset to start from and auto.offset.reset is none. Assign it with an offset, or set auto.offset.reset to earliest or latest."),
                        null);
                    return;
            }
        }
        else if (offset.IsSpecial && offset != Offset.Beginning && offset != Offset.End)
        {
            throw new ArgumentException($"Offset {offset.Value} is neither an offset nor Beginning, End or Unset.", nameof(offset));
        }
        state.MoveTo(offset);
    }

    /// <summary>Stops fetching and returning every partition (under the lock).</summary>
    private void DropAll()
    {
        foreach (var state in _partitions.Values)
        {
            state.Assigned = false;
        }
        _partitions.Clear();
    }

    private void ThrowIfSubscribed(string operation)
    {
        lock (_lock)
        {
            if (_subscription is not null)
            {
                throw new InvalidOperationException(
                    $"{operation} cannot be used while the consumer is subscribed (Subscribe): Subscribe and Assign are exclusive. Call Unsubscribe first.");
            }
        }
    }

    private PartitionState Assigned(TopicPartition partition) =>
        _partitions.TryGetValue(partition, out var state) ? state : throw new InvalidOperationException($"{partition} is not assigned to this consumer.");

    /// <summary>The leaders of the partitions to assign and, with group.id, the group's committed offsets (-1 for none) of those without an offset.</summary>
    private async Task<(int[] Leaders, long[] Committed)> PrepareAssignAsync(List<TopicPartitionOffset> wanted)
    {
        var partitions = wanted.ConvertAll(p => p.TopicPartition);
        var leaders = await LeadersAsync(partitions).ConfigureAwait(false);
        var committed = new long[wanted.Count];
        Array.Fill(committed, -1L);
        var unset = partitions.Where((_, i) => wanted[i].Offset == Offset.Unset).ToList();
        if (_group is not null && unset.Count > 0)
        {
            var found = await FetchCommittedAsync(unset, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < wanted.Count; i++)
            {
                foreach (var offset in found)
                {
                    if (offset.Offset != Offset.Unset && offset.TopicPartition == partitions[i])
                    {
                        committed[i] = offset.Offset.Value;
                    }
                }
            }
        }
        return (leaders, committed);
    }

    private async Task<int[]> LeadersAsync(IReadOnlyList<TopicPartition> partitions)
    {
        var leaders = new int[partitions.Count];
        for (var i = 0; i < leaders.Length; i++)
        {
            var partition = partitions[i];
            var metadata = await _client.Metadata.GetAsync(partition.Topic).ConfigureAwait(false);
            if (partition.Partition < 0 || partition.Partition >= metadata.Partitions.Count)
            {
                throw MetadataCache.UnknownPartition(partition.Topic, partition.Partition, metadata.Partitions.Count);
            }
            leaders[i] = metadata.Partitions[partition.Partition].Leader;
        }
        return leaders;
    }

    private void EnsureFetcher(int broker)
    {
        if (_closed == 0 && !_fetchers.ContainsKey(broker))
        {
            var fetcher = new BrokerFetcher<TKey, TValue>(this, _client, _settings, _fetchWake, _logger, broker, _stop.Token);
            _fetchers[broker] = fetcher;
            fetcher.Start();
        }
    }

    [LoggerMessage(EventId = 1221, Level = LogLevel.Warning, Message = "Closing the consumer's membership of group {GroupId} failed: {Error}")]
    private static partial void LogCloseFailed(ILogger logger, string? groupId, string error);
}
