using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Orlog.Client;

/// <summary>
/// The consumer: a façade over its parts. The <see cref="Fetcher{TKey, TValue}"/> fetches, the
/// <see cref="MembershipLoop"/> keeps the group membership, the <see cref="OffsetStore"/> holds positions and offsets
/// and the <see cref="OffsetCommitter"/> commits them. The parts hand what they have to the consuming thread through
/// the <see cref="ConsumerInbox{TKey, TValue}"/>, and it acts inside Consume, as Confluent.Kafka does: group changes
/// first (handlers, commits on revocation), then records, decoded one batch at a time. The consumer's own table of
/// partitions is guarded by a lock for the calls an application makes from other threads; the parts never take it.
/// Every blocking method is a thin wrapper over an asynchronous one.
/// </summary>
internal sealed partial class Consumer<TKey, TValue> : IConsumer<TKey, TValue>
{
    private readonly Lock _gate = new();
    private readonly OrlogClient _client;
    private readonly bool _ownsClient;
    private readonly ConsumerSettings _settings;
    private readonly BatchDecoder<TKey, TValue> _decoder;
    private readonly RebalanceHandlers<TKey, TValue> _handlers;
    private readonly ILogger _logger;
    private readonly PartitionTable<TKey, TValue> _partitions;
    private readonly ConsumerInbox<TKey, TValue> _inbox = new();
    private readonly AsyncSignal _fetchWake = new();
    private readonly FetchBudget _budget;
    private readonly Fetcher<TKey, TValue> _fetcher;
    private readonly PollTimer _poll;
    private readonly MembershipLoop? _membership;
    private readonly OffsetCommitter? _committer;
    private readonly ConsumerStatistics _statistics = new();
    private readonly StatisticsTimer? _statisticsTimer;
    private TopicSubscription? _subscription;
    private bool _membershipStarted;
    private bool _membershipKilled;
    private bool _assignedManually;
    private FetchedChunk<TKey, TValue>? _current;
    private bool _inHandler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _autoCommit = Task.CompletedTask;
    private int _closing;
    private volatile bool _closed;

    public Consumer(OrlogClient client, bool ownsClient, ConsumerConfig config, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer,
        RebalanceHandlers<TKey, TValue> handlers, ILoggerFactory? loggerFactory = null, Action<string>? statisticsHandler = null)
    {
        _client = client;
        _ownsClient = ownsClient;
        _settings = new ConsumerSettings(config);
        _handlers = handlers;
        Name = config.ClientId;
        _decoder = new BatchDecoder<TKey, TValue>(keyDeserializer, valueDeserializer, _settings.CheckCrcs);
        _logger = (loggerFactory ?? client.LoggerFactory).CreateLogger("Orlog.Client.Consumer");
        ConfigNotes.Log(_logger, config, SettingScope.Consumer);
        var hasGroup = !string.IsNullOrEmpty(_settings.GroupId);
        _budget = new FetchBudget(_settings.QueuedMaxBytes, _fetchWake);
        _fetcher = new Fetcher<TKey, TValue>(client, _settings, _budget, _fetchWake, _inbox, _logger);
        var offsets = new OffsetStore(client.Clock, hasGroup && _settings.EnableAutoCommit, _settings.AutoCommitIntervalMs, _settings.EnableAutoOffsetStore);
        _partitions = new PartitionTable<TKey, TValue>(offsets, _settings.AutoOffsetReset, _fetcher.Post, _inbox.Fetched);
        _poll = new PollTimer(client.Clock);
        if (hasGroup)
        {
            var group = client.Gateway.Group(_settings.GroupId!);
            _membership = new MembershipLoop(group, client, _settings, _poll, _inbox.Changed, _logger);
            _committer = new OffsetCommitter(group, _settings, _membership);
        }
        _fetcher.Start();
        _statisticsTimer = StatisticsTimer.Start(config.Int(ClientSettings.StatisticsIntervalMs), Name, config.ClientId, "consumer", client.Clock, WriteStatistics,
            statisticsHandler, _logger);
        if (hasGroup && _settings.EnableAutoCommit)
        {
            _autoCommit = Task.Run(() => RunAutoCommitAsync(_stop.Token));
        }
    }

    public string Name { get; }

    private void WriteStatistics(Utf8JsonWriter writer)
    {
        List<AssignedPartition> partitions;
        lock (_gate)
        {
            partitions = [.. _partitions.Values];
        }
        _statistics.Write(writer, partitions, _membership is not null, MemberId.Length > 0);
    }

    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            lock (_gate)
            {
                return [.. _partitions.Keys];
            }
        }
    }

    public IReadOnlyList<string> Subscription
    {
        get
        {
            lock (_gate)
            {
                return _subscription?.Given ?? [];
            }
        }
    }

    public string MemberId => _membership?.Identity is { HasJoined: true } identity ? identity.MemberId : "";

    public IConsumerGroupMetadata? ConsumerGroupMetadata => _membership?.Identity is { } identity
        ? new ConsumerGroupMetadata(_settings.GroupId!, identity.HasJoined ? identity.MemberId : "", identity.Epoch, _settings.GroupInstanceId)
        : null;

    // ---- Subscribing and assigning

    public void Subscribe(IEnumerable<string> topics)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var subscription = TopicSubscription.Parse(topics);
        if (_membership is null)
        {
            throw new KafkaException(ErrorCode.InvalidGroupId, "Subscribe needs a consumer group: set group.id (or Assign partitions instead).");
        }
        lock (_gate)
        {
            if (_assignedManually)
            {
                throw new InvalidOperationException("Subscribe cannot be used while partitions are assigned with Assign: Subscribe and Assign are exclusive. Call Unassign first.");
            }
            if (_subscription is null)
            {
                // The poll timer (max.poll.interval.ms) starts with the subscription.
                _poll.Restart();
            }
            _subscription = subscription;
            _membership.Subscribe(subscription);
            if (!_membershipStarted)
            {
                _membershipStarted = true;
                _membership.Start();
            }
        }
    }

    public void Subscribe(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Subscribe([topic]);
    }

    public void Unsubscribe() => UnsubscribeAsync().GetAwaiter().GetResult();

    private async Task UnsubscribeAsync()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        lock (_gate)
        {
            if (_subscription is null)
            {
                return;
            }
        }
        var handlerError = await ReleaseAssignmentAsync().ConfigureAwait(false);
        await _membership!.LeaveAsync().ConfigureAwait(false);
        if (handlerError is not null)
        {
            ExceptionDispatchInfo.Throw(handlerError);
        }
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => AssignAsync(partitions).GetAwaiter().GetResult();

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)));
    }

    public void Assign(TopicPartitionOffset partition) => Assign([partition]);

    /// <summary>
    /// Assigns partitions by hand (replacing the assignment, or adding to it when <paramref name="incremental"/>): each
    /// starts at its offset, else at the group's committed offset, else where auto.offset.reset says.
    /// </summary>
    private async Task AssignAsync(IEnumerable<TopicPartitionOffset> partitions, bool incremental = false)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ObjectDisposedException.ThrowIf(_closed, this);
        var operation = incremental ? "IncrementalAssign" : "Assign";
        var wanted = partitions.ToList();
        ThrowIfSubscribed(operation);
        var leaders = await _client.Metadata.LeadersAsync(wanted.ConvertAll(p => p.TopicPartition)).ConfigureAwait(false);
        var committed = await CommittedForAssignAsync(wanted).ConfigureAwait(false);
        lock (_gate)
        {
            ThrowIfSubscribed(operation);
            if (!incremental)
            {
                _partitions.DropAll();
            }
            else if (wanted.Find(p => _partitions.Contains(p.TopicPartition)) is { } twice)
            {
                throw new InvalidOperationException($"{twice.TopicPartition} is already assigned: IncrementalAssign adds partitions not assigned yet.");
            }
            for (var i = 0; i < wanted.Count; i++)
            {
                _partitions.Add(wanted[i].TopicPartition, leaders[i], committed[i], wanted[i].Offset == Offset.Unset && committed[i] >= 0 ? committed[i] : wanted[i].Offset);
            }
            _assignedManually = _partitions.Count > 0;
        }
    }

    public void Unassign()
    {
        ThrowIfSubscribed("Unassign");
        lock (_gate)
        {
            _partitions.DropAll();
            _assignedManually = false;
        }
    }

    /// <summary>Adds partitions to a hand-made assignment, each at its offset (Unset: the committed offset, else auto.offset.reset).</summary>
    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => AssignAsync(partitions, incremental: true).GetAwaiter().GetResult();

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        IncrementalAssign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)));
    }

    /// <summary>Takes partitions out of a hand-made assignment; the others go on.</summary>
    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfSubscribed("IncrementalUnassign");
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Drop(_partitions.Get(partition));
            }
            _assignedManually = _partitions.Count > 0;
        }
    }

    // ---- Positions

    public void Seek(TopicPartitionOffset position)
    {
        ArgumentNullException.ThrowIfNull(position);
        lock (_gate)
        {
            _partitions.StartAt(_partitions.Get(position.TopicPartition), position.Offset);
        }
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Pause(partition);
            }
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Resume(partition);
            }
        }
    }

    public Offset Position(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_gate)
        {
            var position = _partitions.Get(partition).Position;
            return position >= 0 ? position : Offset.Unset;
        }
    }

    public long? CurrentLag(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_gate)
        {
            var state = _partitions.Get(partition);
            var position = state.Position;
            return state.Watermarks is { } marks && position >= 0 ? Math.Max(0, marks.High.Value - position) : null;
        }
    }

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_gate)
        {
            return _partitions.TryGet(partition, out var state) && state.Watermarks is { } marks ? marks : new WatermarkOffsets(Offset.Unset, Offset.Unset);
        }
    }

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return WithTimeout(WatermarkQuery.QueryAsync(_client, partition), timeout, $"The watermarks of {partition}").GetAwaiter().GetResult();
    }

    /// <summary>
    /// The first offset of each partition whose record's timestamp is at or after the one given (End when none is);
    /// Confluent.Kafka's OffsetsForTimes.
    /// </summary>
    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(timestampsToSearch);
        var asked = timestampsToSearch.ToList();
        return WithTimeout(OffsetsForTimesAsync(asked), timeout, "The offsets for the times asked").GetAwaiter().GetResult();
    }

    private async Task<List<TopicPartitionOffset>> OffsetsForTimesAsync(List<TopicPartitionTimestamp> asked)
    {
        var found = new List<TopicPartitionOffset>(asked.Count);
        foreach (var point in asked)
        {
            var result = (await OffsetLookup.ListAsync(_client, [point.TopicPartition], point.Timestamp.UnixTimestampMs).ConfigureAwait(false))[0];
            if (result.Error != ErrorCode.None)
            {
                throw new KafkaException(result.Error, result.ErrorMessage ?? $"Looking up the offset of {point} failed.");
            }
            found.Add(new TopicPartitionOffset(point.TopicPartition, result.Offset >= 0 ? result.Offset : Offset.End));
        }
        return found;
    }

    // ---- Consuming

    /// <summary>The next record within <paramref name="millisecondsTimeout"/>, or null.</summary>
    public ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout));

    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        if (TryTakeNow(out var ready))
        {
            return ready;
        }
        var pending = NextAsync(_client.Clock.NowMs + (long)timeout.TotalMilliseconds, throwOnCancel: true, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default)
    {
        if (TryTakeNow(out var ready))
        {
            return ready;
        }
        var pending = NextAsync(-1, throwOnCancel: true, cancellationToken);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult())!;
    }

    public ValueTask<ConsumeResult<TKey, TValue>?> ConsumeAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TryTakeNow(out var ready) ? new ValueTask<ConsumeResult<TKey, TValue>?>(ready)
            : NextAsync(_client.Clock.NowMs + (long)timeout.TotalMilliseconds, throwOnCancel: true, cancellationToken);

    public async IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = TryTakeNow(out var ready) ? ready : await NextAsync(-1, throwOnCancel: false, cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                yield break;
            }
            // The application works on the record outside Consume: max.poll.interval.ms counts from here.
            yield return result;
        }
    }

    /// <summary>
    /// The next record before <paramref name="deadlineMs"/> (-1: none), or null when it passes (or, without
    /// <paramref name="throwOnCancel"/>, when the token is cancelled). Group changes are acted on first.
    /// </summary>
    private async ValueTask<ConsumeResult<TKey, TValue>?> NextAsync(long deadlineMs, bool throwOnCancel, CancellationToken cancellationToken)
    {
        _poll.Started();
        try
        {
            while (true)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                if (_inbox.HasControl && !_inHandler)
                {
                    await ApplyControlAsync().ConfigureAwait(false);
                }
                // Reset before looking, so that what arrives after the look still wakes the wait.
                var signal = _inbox.Available.Reset();
                if (TryTake(out var result))
                {
                    return result;
                }
                if (_inbox.HasControl && !_inHandler)
                {
                    continue;
                }
                var waitMs = -1L;
                if (deadlineMs >= 0)
                {
                    waitMs = deadlineMs - _client.Clock.NowMs;
                    if (waitMs <= 0)
                    {
                        return null;
                    }
                }
                try
                {
                    await AsyncSignal.WaitAsync(signal, waitMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(1, waitMs)), _client.Clock.Provider,
                        cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!throwOnCancel)
                {
                    return null;
                }
            }
        }
        finally
        {
            _poll.Ended();
        }
    }

    /// <summary>
    /// Once per record: the next record when one is fetched and no group change waits, without the asynchronous
    /// machinery of <see cref="NextAsync"/>.
    /// </summary>
    private bool TryTakeNow([NotNullWhen(true)] out ConsumeResult<TKey, TValue>? result)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        result = null;
        if (_inbox.HasControl && !_inHandler)
        {
            return false;
        }
        _poll.Started();
        try
        {
            return TryTake(out result);
        }
        finally
        {
            _poll.Ended();
        }
    }

    /// <summary>The next record (or error, or notice) of the fetched chunks, decoding the next batch when the current one is done.</summary>
    private bool TryTake([NotNullWhen(true)] out ConsumeResult<TKey, TValue>? result)
    {
        while (true)
        {
            var chunk = _current;
            if (chunk is null || chunk.IsStale || (chunk.Next >= chunk.Items.Count && !chunk.HasUndecodedBatches))
            {
                if (chunk is not null)
                {
                    _budget.Release(chunk.Bytes);
                    _statistics.ChunkDone(chunk.Bytes);
                }
                if (!_inbox.TryTakeChunk(out var next))
                {
                    _current = null;
                    result = null;
                    return false;
                }
                next.Partition.EnterGeneration(next.Generation);
                _current = next;
                continue;
            }
            if (chunk.Next < chunk.Items.Count)
            {
                var item = chunk.Items[chunk.Next++];
                var offsets = chunk.Partition.Offsets;
                if (item.Error is { } error)
                {
                    offsets.Position = item.NextOffset;
                    throw error;
                }
                result = item.Result!;
                if (result.IsPartitionEOF)
                {
                    offsets.Position = item.NextOffset;
                }
                else
                {
                    _partitions.Offsets.Consumed(offsets, item.NextOffset);
                    _statistics.Consumed();
                }
                return true;
            }
            if (!_decoder.DecodeNext(chunk) && !chunk.IsStale)
            {
                // A corrupt batch: nothing after it is trusted until the application seeks past it.
                var state = chunk.Partition;
                var at = chunk.Items[0].NextOffset;
                lock (_gate)
                {
                    _partitions.Halt(state, at);
                }
                _budget.Release(chunk.Bytes);
                _current = null;
                throw chunk.Items[0].Error!;
            }
        }
    }

    // ---- Group changes, acted on inside Consume

    /// <summary>Acts on what the membership loop and the fetcher found: positions, assignments, losses, refusals.</summary>
    private async Task ApplyControlAsync()
    {
        var items = _inbox.TakeControl();
        // An assignment followed by the end of its membership is void: only the end is acted on.
        var lastEnd = items.FindLastIndex(i => i is PartitionsLost or MembershipFailed);
        Exception? handlerError = null;
        KafkaException? groupError = null;
        for (var i = 0; i < items.Count; i++)
        {
            switch (items[i])
            {
                case AssignmentChanged changed when i > lastEnd:
                    _statistics.Rebalanced();
                    handlerError ??= await ApplyAssignmentAsync(changed).ConfigureAwait(false);
                    break;
                case PartitionsLost:
                    handlerError ??= LoseAll();
                    _membership!.Reconciled([], -1);
                    break;
                case MembershipFailed failed:
                    handlerError ??= LoseAll();
                    groupError = failed.Error;
                    _membership!.Reconciled([], -1);
                    break;
            }
        }
        if (groupError is not null)
        {
            throw groupError;
        }
        if (handlerError is not null)
        {
            ExceptionDispatchInfo.Throw(handlerError);
        }
    }

    /// <summary>
    /// Revokes what the group took away (handler, then the auto commit, then the partitions go) and starts what it
    /// gave (at the committed offset, else per auto.offset.reset; then the handler); then tells the group.
    /// </summary>
    private async Task<Exception?> ApplyAssignmentAsync(AssignmentChanged changed)
    {
        List<AssignedPartition> revoked;
        lock (_gate)
        {
            if (_subscription is null)
            {
                return null;
            }
            revoked = [.. _partitions.Values.Where(p => !changed.Target.Contains(p.TopicPartition))];
        }
        Exception? handlerError = null;
        if (revoked.Count > 0)
        {
            handlerError = await RevokeAsync(revoked, _settings.EnableAutoCommit).ConfigureAwait(false);
        }
        var added = new List<TopicPartition>();
        List<TopicPartition> owned;
        lock (_gate)
        {
            foreach (var partition in changed.Target)
            {
                if (!_partitions.Contains(partition) && changed.Starts.TryGetValue(partition, out var start))
                {
                    _partitions.Add(partition, start.Leader, start.Committed, start.Committed >= 0 ? start.Committed : Offset.Unset);
                    added.Add(partition);
                }
            }
            owned = [.. _partitions.Keys];
        }
        if (added.Count > 0)
        {
            LogAssigned(_logger, _settings.GroupId, added.Count);
            handlerError ??= CallHandler(_handlers.Assigned, added);
        }
        _membership!.Reconciled(owned, changed.TargetVersion);
        return handlerError;
    }

    /// <summary>Runs the revoked handler, commits the partitions' stored offsets when asked, then drops them.</summary>
    private async Task<Exception?> RevokeAsync(List<AssignedPartition> revoked, bool commit)
    {
        LogRevoked(_logger, _settings.GroupId, revoked.Count);
        var handlerError = CallHandler(_handlers.Revoked, Positions(revoked));
        if (commit)
        {
            try
            {
                await CommitStoredAsync(revoked.ConvertAll(s => s.TopicPartition), changedOnly: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                LogCommitFailed(_logger, _settings.GroupId, error.Message);
            }
        }
        lock (_gate)
        {
            foreach (var state in revoked)
            {
                _partitions.Drop(state);
            }
        }
        return handlerError;
    }

    /// <summary>Runs the lost handler (the revoked one without it) and drops every partition, without committing.</summary>
    private Exception? LoseAll()
    {
        List<AssignedPartition> lost;
        lock (_gate)
        {
            lost = [.. _partitions.Values];
        }
        if (lost.Count == 0)
        {
            return null;
        }
        LogLost(_logger, _settings.GroupId, lost.Count);
        var handlerError = CallHandler(_handlers.Lost ?? _handlers.Revoked, Positions(lost));
        lock (_gate)
        {
            _partitions.DropAll();
        }
        return handlerError;
    }

    /// <summary>
    /// Gives up every partition before leaving (Unsubscribe, Close): the revoked handler and the auto commit, or the
    /// lost handler when the group has already taken them; the handler's exception is returned.
    /// </summary>
    private async Task<Exception?> ReleaseAssignmentAsync()
    {
        // What the group said last decides: partitions it has already taken are lost, not revoked.
        var items = _inbox.HasControl ? _inbox.TakeControl() : [];
        var lost = items.Exists(i => i is PartitionsLost or MembershipFailed);
        List<AssignedPartition> owned;
        lock (_gate)
        {
            owned = [.. _partitions.Values];
        }
        var handlerError = lost ? LoseAll() : owned.Count > 0 ? await RevokeAsync(owned, _settings.EnableAutoCommit).ConfigureAwait(false) : null;
        lock (_gate)
        {
            _subscription = null;
        }
        return handlerError;
    }

    private Exception? CallHandler<T>(Action<IConsumer<TKey, TValue>, List<T>>? handler, List<T> partitions)
    {
        if (handler is null)
        {
            return null;
        }
        _inHandler = true;
        try
        {
            handler(this, partitions);
            return null;
        }
        catch (Exception error)
        {
            LogHandlerFailed(_logger, _settings.GroupId, error);
            return error;
        }
        finally
        {
            _inHandler = false;
        }
    }

    // ---- Offsets

    public void StoreOffset(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        StoreOffset(new TopicPartitionOffset(result.Topic, result.Partition, result.Offset.Value + 1));
    }

    public void StoreOffset(TopicPartitionOffset offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ThrowIfSpecial(offset);
        lock (_gate)
        {
            _partitions.Offsets.Store(offset.TopicPartition, offset.Offset.Value);
        }
    }

    public IReadOnlyList<TopicPartitionOffset> Commit() => CommitAsync().GetAwaiter().GetResult();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => CommitAsync(offsets).GetAwaiter().GetResult();

    public void Commit(ConsumeResult<TKey, TValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Commit([new TopicPartitionOffset(result.Topic, result.Partition, result.Offset.Value + 1)]);
    }

    public Task<IReadOnlyList<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default) =>
        CommitStoredAsync(null, changedOnly: false, cancellationToken);

    public async Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var list = offsets.ToList();
        foreach (var offset in list)
        {
            ArgumentNullException.ThrowIfNull(offset, nameof(offsets));
            ThrowIfSpecial(offset);
        }
        var committer = RequireGroup();
        if (list.Count > 0)
        {
            await committer.CommitAsync(() => list, IsSubscribed, MarkCommitted, cancellationToken).ConfigureAwait(false);
        }
    }

    public IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var committer = RequireGroup();
        var asked = partitions.ToList();
        return WithTimeout(committer.FetchAsync(asked, CancellationToken.None), timeout, $"The committed offsets of group '{_settings.GroupId}'").GetAwaiter().GetResult();
    }

    /// <summary>The group's committed offsets of every partition assigned (Unset for none).</summary>
    public List<TopicPartitionOffset> Committed(TimeSpan timeout)
    {
        List<TopicPartition> assigned;
        lock (_gate)
        {
            assigned = [.. _partitions.Keys];
        }
        return [.. Committed(assigned, timeout)];
    }

    /// <summary>Commits the stored offsets (of <paramref name="only"/> when given; with <paramref name="changedOnly"/>, those not committed yet).</summary>
    private Task<IReadOnlyList<TopicPartitionOffset>> CommitStoredAsync(IReadOnlyCollection<TopicPartition>? only, bool changedOnly, CancellationToken cancellationToken)
    {
        var committer = RequireGroup();
        return committer.CommitAsync(() =>
        {
            lock (_gate)
            {
                return _partitions.Offsets.ToCommit(only, changedOnly);
            }
        }, IsSubscribed, MarkCommitted, cancellationToken);
    }

    /// <summary>Commits the stored offsets that changed every auto.commit.interval.ms (enable.auto.commit), in the background; failures are logged.</summary>
    private async Task RunAutoCommitAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            bool due;
            long waitMs;
            lock (_gate)
            {
                due = _partitions.Offsets.TakeAutoCommit();
                waitMs = _partitions.Offsets.UntilAutoCommitMs;
            }
            // Not while out of the group: it would refuse the commit.
            if (due && !_membershipKilled && !(IsSubscribed() && _membership!.Identity.Epoch == 0))
            {
                try
                {
                    var committed = await CommitStoredAsync(null, changedOnly: true, stop).ConfigureAwait(false);
                    if (committed.Count > 0)
                    {
                        ReportCommitted(new CommittedOffsets([.. committed.Select(c => new TopicPartitionOffsetError(c, Error.NoError))], Error.NoError));
                    }
                }
                catch (Exception error) when (!stop.IsCancellationRequested)
                {
                    LogCommitFailed(_logger, _settings.GroupId, error.Message);
                    ReportCommitted(new CommittedOffsets([], Error.From(error)));
                }
                continue;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, waitMs)), _client.Clock.Provider, stop).ConfigureAwait(false);
        }
    }

    private void ReportCommitted(CommittedOffsets offsets)
    {
        try
        {
            _handlers.Committed?.Invoke(this, offsets);
        }
        catch (Exception error)
        {
            LogHandlerFailed(_logger, _settings.GroupId, error);
        }
    }

    private void MarkCommitted(List<TopicPartitionOffset> offsets)
    {
        lock (_gate)
        {
            _partitions.Offsets.MarkCommitted(offsets);
        }
    }

    private bool IsSubscribed()
    {
        lock (_gate)
        {
            return _subscription is not null;
        }
    }

    // ---- Closing

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
        _closed = true;
        // A thread waiting in Consume wakes and sees the consumer closed.
        _inbox.Available.Set();
        if (_membership is not null)
        {
            await _membership.StopAsync().ConfigureAwait(false);
        }
        await _fetcher.StopAsync().ConfigureAwait(false);
        if (_statisticsTimer is not null)
        {
            await _statisticsTimer.DisposeAsync().ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _autoCommit.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        lock (_gate)
        {
            _partitions.DropAll();
        }
        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Close's part for the group: give the partitions up (committing with enable.auto.commit) and leave.</summary>
    private async Task CloseGroupAsync()
    {
        if (_membership is null || _membershipKilled)
        {
            return;
        }
        if (IsSubscribed())
        {
            // At close the handler's exception is logged only (by CallHandler): closing goes on.
            _ = await ReleaseAssignmentAsync().ConfigureAwait(false);
            await _membership.LeaveAsync().ConfigureAwait(false);
        }
        else if (_settings.EnableAutoCommit)
        {
            try
            {
                await CommitStoredAsync(null, changedOnly: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KafkaException error)
            {
                LogCommitFailed(_logger, _settings.GroupId, error.Message);
            }
        }
    }

    /// <summary>
    /// Test hook: stops heartbeating at once, without leaving or committing, as a crashed process would; the group
    /// gives the partitions to others when the session expires. Dispose afterwards only stops fetching.
    /// </summary>
    internal async Task StopHeartbeatsAsync()
    {
        _membershipKilled = true;
        if (_membership is not null)
        {
            await _membership.StopAsync().ConfigureAwait(false);
        }
    }

    private void ThrowIfSubscribed(string operation)
    {
        lock (_gate)
        {
            if (_subscription is not null)
            {
                throw new InvalidOperationException(
                    $"{operation} cannot be used while the consumer is subscribed (Subscribe): Subscribe and Assign are exclusive. Call Unsubscribe first.");
            }
        }
    }

    private OffsetCommitter RequireGroup() =>
        _committer ?? throw new KafkaException(ErrorCode.InvalidGroupId, "Committing and reading committed offsets need a consumer group: set group.id.");

    /// <summary>With a group, the committed offsets (-1 for none) of the partitions assigned without an offset.</summary>
    private async Task<long[]> CommittedForAssignAsync(List<TopicPartitionOffset> wanted)
    {
        var committed = new long[wanted.Count];
        Array.Fill(committed, -1L);
        var unset = wanted.Where(p => p.Offset == Offset.Unset).Select(p => p.TopicPartition).ToList();
        if (_committer is null || unset.Count == 0)
        {
            return committed;
        }
        var found = await _committer.FetchAsync(unset, CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < wanted.Count; i++)
        {
            foreach (var offset in found)
            {
                if (offset.Offset != Offset.Unset && offset.TopicPartition == wanted[i].TopicPartition)
                {
                    committed[i] = offset.Offset.Value;
                }
            }
        }
        return committed;
    }

    private static async Task<T> WithTimeout<T>(Task<T> call, TimeSpan timeout, string what)
    {
        try
        {
            return await call.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"{what} did not arrive within {timeout.TotalMilliseconds:0} ms.", error);
        }
    }

    private static List<TopicPartitionOffset> Positions(List<AssignedPartition> states) =>
        states.ConvertAll(s => new TopicPartitionOffset(s.TopicPartition, s.Position >= 0 ? s.Position : Offset.Unset));

    private static void ThrowIfSpecial(TopicPartitionOffset offset)
    {
        if (offset.Offset.IsSpecial)
        {
            throw new ArgumentException($"{offset} is not an offset to commit: give the next offset to read (a number from 0).", nameof(offset));
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Group {GroupId} assigned {Count} partitions to this consumer")]
    private static partial void LogAssigned(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Group {GroupId} revoked {Count} partitions of this consumer")]
    private static partial void LogRevoked(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "This consumer lost its {Count} partitions of group {GroupId}")]
    private static partial void LogLost(ILogger logger, string? groupId, int count);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Error, Message = "A rebalance handler of group {GroupId} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string? groupId, Exception error);

    [LoggerMessage(EventId = 1220, Level = LogLevel.Warning, Message = "Committing offsets to group {GroupId} failed: {Error}")]
    private static partial void LogCommitFailed(ILogger logger, string? groupId, string error);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Warning, Message = "Closing the consumer's membership of group {GroupId} failed: {Error}")]
    private static partial void LogCloseFailed(ILogger logger, string? groupId, string error);
}
