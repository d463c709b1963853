using System.Buffers;
using System.Globalization;
using Orlog.Grains.Replication;
using Orlog.Log;
using Orlog.Records;

namespace Orlog.Grains.Partitions;

/// <summary>
/// One replica of a partition on this broker, as a plain object with its log: its role and epochs from the
/// controller's metadata, the ISR, the high watermark, what the leader knows of each follower, the ISR
/// change it has proposed, and the waits of requests. Time comes from a <see cref="TimeProvider"/>; it knows
/// nothing of Orleans or the network, so tests drive leaders and followers directly.
/// <para>
/// As leader it appends producers' batches, serves followers' fetches up to its log end and consumers'
/// below the high watermark: the lowest log end among the ISR, counting a proposed ISR change until the
/// controller confirms it, so the high watermark never advances on an ISR the controller has not accepted.
/// It proposes to drop a follower that has not caught up within replica.lag.time.max.ms and to add back one
/// that has (<see cref="TakeProposal"/>); acks=all waits for the high watermark.
/// </para>
/// <para>
/// As follower, after every change of leader epoch it first truncates by epoch (<see cref="EpochTruncation"/>)
/// and only then copies the leader's batches as they are.
/// </para>
/// One lock guards the state; log appends and truncations happen under it, so a replica that stopped leading
/// cannot append after it truncated. Refusals are <see cref="KafkaException"/>s with Kafka's codes.
/// </summary>
public sealed class Partition
{
    // How long a batch whose producer sequence runs ahead waits for the batches before it (sent
    // concurrently, they may arrive out of order) before it is refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
    private static readonly TimeSpan _sequenceWait = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly long _maxLagMs;
    private readonly Action<Partition>? _onProposal;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, FollowerProgress> _followers = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _highWatermark;
    private long _leaderEpochStartOffset;
    private IReadOnlyList<int>? _proposedIsr;
    private bool _truncated;

    /// <param name="id">The partition.</param>
    /// <param name="brokerId">The broker this replica is on.</param>
    /// <param name="topicId">The id of the topic the log belongs to.</param>
    /// <param name="log">The replica's log, open.</param>
    /// <param name="time">The clock.</param>
    /// <param name="replicaLagTimeMaxMs">replica.lag.time.max.ms.</param>
    /// <param name="onProposal">Called (under the lock: it must only hand over) when the leader has an ISR change for the controller.</param>
    public Partition(TopicPartition id, int brokerId, Guid topicId, PartitionLog log, TimeProvider time, long replicaLagTimeMaxMs = 30_000, Action<Partition>? onProposal = null)
    {
        Id = id;
        BrokerId = brokerId;
        TopicId = topicId;
        Log = log;
        _time = time;
        _maxLagMs = replicaLagTimeMaxMs;
        _onProposal = onProposal;
    }

    public TopicPartition Id { get; }

    /// <summary>The broker this replica is on.</summary>
    public int BrokerId { get; }

    /// <summary>The id of the topic the log belongs to.</summary>
    public Guid TopicId { get; }

    public PartitionLog Log { get; }

    public ReplicaRole Role { get; private set; }

    /// <summary>The leader's epoch in the last metadata applied; -1 before any.</summary>
    public int LeaderEpoch { get; private set; } = -1;

    /// <summary>The partition epoch in the last metadata applied; -1 before any.</summary>
    public int PartitionEpoch { get; private set; } = -1;

    /// <summary>The leader's broker id, or -1.</summary>
    public int Leader { get; private set; } = PartitionMetadata.NoLeader;

    public IReadOnlyList<int> Replicas { get; private set; } = [];

    /// <summary>The replicas a running reassignment adds (empty when none runs): the leader throttles them until they are in sync.</summary>
    public IReadOnlyList<int> AddingReplicas { get; private set; } = [];

    /// <summary>The ISR as the controller last confirmed it.</summary>
    public IReadOnlyList<int> Isr { get; private set; } = [];

    /// <summary>min.insync.replicas of the topic: acks=all needs an ISR at least this large.</summary>
    public int MinInsyncReplicas { get; private set; } = 1;

    /// <summary>
    /// Every in-sync replica has the records below it. On the leader it never moves back; on a follower it is
    /// the leader's, as of the last fetch, capped at the follower's log end.
    /// </summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>The ISR change sent to (or about to be sent to) the controller, or null.</summary>
    public IReadOnlyList<int>? ProposedIsr
    {
        get
        {
            lock (_lock)
            {
                return _proposedIsr;
            }
        }
    }

    /// <summary>Completes at the next append, high watermark move or metadata change.</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>
    /// Applies the controller's view of this partition; metadata of an older epoch (a late push) is ignored.
    /// A new leader epoch makes this replica start over as leader (followers' progress unknown, so the high
    /// watermark waits for their fetches) or as follower (truncation first). A newer partition epoch drops the
    /// pending ISR proposal: the controller has decided. Returns true when anything changed.
    /// </summary>
    public bool ApplyMetadata(PartitionMetadata metadata, int minInsyncReplicas = 1)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_lock)
        {
            MinInsyncReplicas = minInsyncReplicas;
            return ApplyLocked(metadata);
        }
    }

    private bool ApplyLocked(PartitionMetadata metadata)
    {
        if (metadata.LeaderEpoch < LeaderEpoch || metadata.LeaderEpoch == LeaderEpoch && metadata.PartitionEpoch <= PartitionEpoch)
        {
            return false;
        }
        var newLeaderEpoch = metadata.LeaderEpoch != LeaderEpoch;
        Leader = metadata.Leader;
        LeaderEpoch = metadata.LeaderEpoch;
        PartitionEpoch = metadata.PartitionEpoch;
        Replicas = metadata.Replicas;
        AddingReplicas = metadata.AddingReplicas;
        Isr = metadata.Isr;
        _proposedIsr = null;
        var role = metadata.Leader == BrokerId ? ReplicaRole.Leader
            : Contains(metadata.Replicas, BrokerId) ? ReplicaRole.Follower
            : ReplicaRole.None;
        if (role == ReplicaRole.Leader && (newLeaderEpoch || Role != ReplicaRole.Leader))
        {
            BecomeLeaderLocked();
        }
        else if (role == ReplicaRole.Follower && (newLeaderEpoch || Role != ReplicaRole.Follower))
        {
            _followers.Clear();
            _truncated = false;
        }
        Role = role;
        if (role == ReplicaRole.Leader)
        {
            TrackReplicasLocked();
            AdvanceHighWatermarkLocked();
        }
        SignalLocked();
        return true;
    }

    private void BecomeLeaderLocked()
    {
        _followers.Clear();
        _leaderEpochStartOffset = Log.LogEndOffset;
        _truncated = true;
        if (_highWatermark > Log.LogEndOffset)
        {
            Volatile.Write(ref _highWatermark, Log.LogEndOffset);
        }
    }

    // Progress for every other replica; members of the ISR count as caught up as of now, so that a new
    // leader does not drop them before they had a chance to fetch. A replica a reassignment removed is
    // forgotten: its fetches are refused from then on.
    private void TrackReplicasLocked()
    {
        var now = NowMs;
        foreach (var replica in Replicas)
        {
            if (replica != BrokerId && !_followers.ContainsKey(replica))
            {
                _followers[replica] = new FollowerProgress(replica, Contains(Isr, replica) ? now : 0);
            }
        }
        foreach (var gone in _followers.Keys.Where(f => !Contains(Replicas, f)).ToList())
        {
            _followers.Remove(gone);
        }
    }

    /// <summary>
    /// Appends one batch as the leader, at its epoch. acks=all is refused with NOT_ENOUGH_REPLICAS before the
    /// append while the ISR is smaller than min.insync.replicas, then waits until the high watermark covers
    /// the batch (NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below the minimum meanwhile;
    /// REQUEST_TIMED_OUT after <paramref name="timeoutMs"/>; NOT_LEADER_OR_FOLLOWER if leadership moved).
    /// acks=0 and 1 answer after the append (and its fsync when the topic flushes every append).
    /// </summary>
    public async ValueTask<LogAppendResult> ProduceAsync(ReadOnlyMemory<byte> batch, short acks, int timeoutMs = 30_000)
    {
        await WaitForEarlierSequencesAsync(batch);
        LogAppendResult result;
        int epoch;
        // The log stamps the base offset (and LogAppendTime) into the batch: it does so in a copy of its own, so the
        // caller's buffer never changes under it (an in-silo caller's array reaches here uncopied).
        var owned = ArrayPool<byte>.Shared.Rent(batch.Length);
        try
        {
            batch.Span.CopyTo(owned);
            lock (_lock)
            {
                EnsureLeaderLocked();
                if (acks == -1 && Isr.Count < MinInsyncReplicas)
                {
                    throw new KafkaException(ErrorCode.NotEnoughReplicas, string.Create(CultureInfo.InvariantCulture,
                        $"The ISR of {Id} is [{string.Join(',', Isr)}], fewer than min.insync.replicas={MinInsyncReplicas}: nothing was written. Retry when the replicas are back."));
                }
                epoch = LeaderEpoch;
                result = Log.AppendAsLeader(owned.AsSpan(0, batch.Length), epoch);
                AdvanceHighWatermarkLocked();
                SignalLocked();
            }
        }
        catch (KafkaException duplicate) when (duplicate.Code == ErrorCode.DuplicateSequenceNumber && acks == -1)
        {
            // Written before, at offsets no longer known: acknowledged once everything written so far is in sync.
            await WaitForInSyncReplicasAsync(Log.LogEndOffset, LeaderEpoch, timeoutMs);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(owned);
        }
        if (Log.Config.FlushesEveryAppend && acks != 0)
        {
            await Log.WaitForFlushAsync(result.NextOffset);
        }
        if (acks == -1)
        {
            await WaitForInSyncReplicasAsync(result.NextOffset, epoch, timeoutMs);
        }
        return result;
    }

    private async Task WaitForInSyncReplicasAsync(long requiredOffset, int epoch, int timeoutMs)
    {
        var started = _time.GetTimestamp();
        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (Role != ReplicaRole.Leader || LeaderEpoch != epoch)
                {
                    throw new KafkaException(ErrorCode.NotLeaderOrFollower, string.Create(CultureInfo.InvariantCulture,
                        $"Broker {BrokerId} stopped leading {Id} (leader epoch {epoch} → {LeaderEpoch}) before every in-sync replica had the batch: it may or may not be kept. Retry at the new leader."));
                }
                if (_highWatermark >= requiredOffset)
                {
                    if (Isr.Count < MinInsyncReplicas)
                    {
                        throw new KafkaException(ErrorCode.NotEnoughReplicasAfterAppend, string.Create(CultureInfo.InvariantCulture,
                            $"The batch was written to {Id}, but the ISR shrank to [{string.Join(',', Isr)}], fewer than min.insync.replicas={MinInsyncReplicas}: treat it as not acknowledged (it may still be read)."));
                    }
                    return;
                }
                changed = _changed.Task;
            }
            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new KafkaException(ErrorCode.RequestTimedOut, string.Create(CultureInfo.InvariantCulture,
                    $"The in-sync replicas [{string.Join(',', Isr)}] of {Id} did not all copy the batch within {timeoutMs} ms: it may or may not be kept."));
            }
            await WaitAsync(changed, left);
        }
    }

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/> for a consumer, never at or above the high watermark;
    /// at the high watermark it waits up to <paramref name="maxWaitMs"/> for records. An offset between the
    /// high watermark and the log end (a new leader whose high watermark lags) returns nothing and no error;
    /// OFFSET_OUT_OF_RANGE only outside the log.
    /// </summary>
    public async ValueTask<(LogReadResult Read, long HighWatermark)> FetchAsync(long offset, int maxBytes, int maxWaitMs)
    {
        var highWatermark = await WaitToFetchAsync(offset, maxWaitMs);
        if (offset > highWatermark && offset <= Log.LogEndOffset)
        {
            return (new LogReadResult([], Log.LogStartOffset, Log.LogEndOffset), highWatermark);
        }
        try
        {
            return (Log.Read(offset, maxBytes, highWatermark), highWatermark);
        }
        catch (ObjectDisposedException)
        {
            throw new KafkaException(ErrorCode.NotLeaderOrFollower, Closed());
        }
    }

    /// <summary>As <see cref="FetchAsync"/>, but says where the batches lie in their segment file instead of reading them (zero copy).</summary>
    public async ValueTask<(LogFileRange Range, long HighWatermark)> FetchRangeAsync(long offset, int maxBytes, int maxWaitMs)
    {
        var highWatermark = await WaitToFetchAsync(offset, maxWaitMs);
        if (offset > highWatermark && offset <= Log.LogEndOffset)
        {
            return (new LogFileRange(null, 0, 0, Log.LogStartOffset, Log.LogEndOffset, offset), highWatermark);
        }
        try
        {
            return (Log.Locate(offset, maxBytes, highWatermark), highWatermark);
        }
        catch (ObjectDisposedException)
        {
            throw new KafkaException(ErrorCode.NotLeaderOrFollower, Closed());
        }
    }

    // As leader: at the high watermark, waits up to maxWaitMs for records. Returns the high watermark to read below.
    private async ValueTask<long> WaitToFetchAsync(long offset, int maxWaitMs)
    {
        EnsureLeader();
        if (offset >= HighWatermark && offset <= Log.LogEndOffset && maxWaitMs > 0)
        {
            await WaitForDataAsync(offset, maxWaitMs);
            EnsureLeader();
        }
        return HighWatermark;
    }

    /// <summary>
    /// Kafka's DeleteRecords, on the leader: moves the log start up to <paramref name="offset"/> (-1: the high
    /// watermark), never past the high watermark (OFFSET_OUT_OF_RANGE). Followers take the leader's log start
    /// from their next fetch. Returns the log start offset.
    /// </summary>
    public long DeleteRecordsBefore(long offset)
    {
        EnsureLeader();
        var highWatermark = HighWatermark;
        var target = offset == -1 ? highWatermark : offset;
        if (target < 0 || target > highWatermark)
        {
            throw new KafkaException(ErrorCode.OffsetOutOfRange, string.Create(CultureInfo.InvariantCulture,
                $"Records of {Id} can be deleted below an offset up to the high watermark {highWatermark}, not {offset}."));
        }
        try
        {
            return Log.AdvanceLogStartOffset(target);
        }
        catch (ObjectDisposedException)
        {
            throw new KafkaException(ErrorCode.NotLeaderOrFollower, Closed());
        }
    }

    /// <summary>The offset for a timestamp, or the log start (earliest) or the high watermark (latest).</summary>
    public (long Offset, long Timestamp) ListOffset(long timestamp)
    {
        EnsureLeader();
        var highWatermark = HighWatermark;
        return timestamp switch
        {
            OffsetSpec.Earliest => (Log.LogStartOffset, -1L),
            OffsetSpec.Latest => (highWatermark, -1L),
            _ => Log.OffsetForTimestamp(timestamp) is { } found && found.Offset < highWatermark ? found : (-1L, -1L),
        };
    }

    /// <summary>
    /// A follower's fetch, on the leader: checks the follower's leader epoch (older: FENCED_LEADER_EPOCH, newer:
    /// UNKNOWN_LEADER_EPOCH) and offset, records its progress, proposes to add it to the ISR once it caught
    /// up, advances the high watermark, and returns batches from the offset up to the log end.
    /// </summary>
    /// <remarks>
    /// <paramref name="brokerEpoch"/> is the follower's broker epoch (-1 before it registered): progress counts
    /// only for the run that made it, and a follower is proposed for the ISR with it, never without one.
    /// With a <paramref name="throttle"/>, a follower a running reassignment adds gets, until it is in the ISR,
    /// only what the throttle allows (nothing while it is exhausted); the ISR's followers are never throttled.
    /// </remarks>
    public ReplicaFetchResult ReadForFollower(int replicaId, long brokerEpoch, int followerLeaderEpoch, long fetchOffset, int maxBytes,
        ReplicationThrottle? throttle = null)
    {
        long highWatermark;
        var throttled = false;
        lock (_lock)
        {
            if (Refuse(replicaId, followerLeaderEpoch) is { } refused)
            {
                return refused;
            }
            var logEnd = Log.LogEndOffset;
            if (fetchOffset > logEnd || fetchOffset < Log.LogStartOffset)
            {
                return new ReplicaFetchResult(Id.Topic, Id.Partition, ErrorCode.OffsetOutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"Broker {replicaId} fetches {Id} at {fetchOffset}, outside the leader's log [{Log.LogStartOffset}, {logEnd}]."),
                    _highWatermark, Log.LogStartOffset, logEnd, []);
            }
            var progress = _followers[replicaId];
            progress.OnFetch(brokerEpoch, fetchOffset, logEnd, NowMs);
            if (!Contains(Isr, replicaId) && _proposedIsr is null && brokerEpoch >= 0 && fetchOffset >= _highWatermark && fetchOffset >= _leaderEpochStartOffset)
            {
                ProposeLocked(WithReplica(Isr, replicaId));
            }
            if (AdvanceHighWatermarkLocked())
            {
                SignalLocked();
            }
            highWatermark = _highWatermark;
            if (throttle is not null && Contains(AddingReplicas, replicaId) && !Contains(Isr, replicaId))
            {
                throttled = true;
                maxBytes = throttle.Allowance(maxBytes);
            }
        }
        if (maxBytes <= 0)
        {
            return new ReplicaFetchResult(Id.Topic, Id.Partition, ErrorCode.None, null, highWatermark, Log.LogStartOffset, Log.LogEndOffset, []);
        }
        LogReadResult read;
        try
        {
            read = Log.Read(fetchOffset, maxBytes);
        }
        catch (ObjectDisposedException)
        {
            return ReplicaFetchResult.Failed(Id.Topic, Id.Partition, ErrorCode.NotLeaderOrFollower, Closed());
        }
        if (throttled)
        {
            throttle!.Consumed(read.Records.Length);
        }
        return new ReplicaFetchResult(Id.Topic, Id.Partition, ErrorCode.None, null, highWatermark, read.LogStartOffset, read.LogEndOffset, read.Records);
    }

    // The replica moved off this broker (or its topic was deleted) while a read was on its way: its log is closed.
    private string Closed() => $"Broker {BrokerId} no longer holds a replica of {Id}: it moved off this broker. Refresh the metadata.";

    private ReplicaFetchResult? Refuse(int replicaId, int followerLeaderEpoch)
    {
        string? message = null;
        var error = ErrorCode.None;
        if (Role != ReplicaRole.Leader)
        {
            (error, message) = (ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} does not lead {Id} at leader epoch {LeaderEpoch}.");
        }
        else if (followerLeaderEpoch < LeaderEpoch)
        {
            (error, message) = (ErrorCode.FencedLeaderEpoch, $"Broker {replicaId} fetches {Id} at leader epoch {followerLeaderEpoch}; the leader is at {LeaderEpoch}.");
        }
        else if (followerLeaderEpoch > LeaderEpoch)
        {
            (error, message) = (ErrorCode.UnknownLeaderEpoch, $"Broker {replicaId} fetches {Id} at leader epoch {followerLeaderEpoch}; this leader knows only {LeaderEpoch}.");
        }
        else if (!_followers.ContainsKey(replicaId))
        {
            (error, message) = (ErrorCode.NotLeaderOrFollower, $"Broker {replicaId} is not a replica of {Id}.");
        }
        return error == ErrorCode.None ? null : ReplicaFetchResult.Failed(Id.Topic, Id.Partition, error, message!);
    }

    /// <summary>The leader's answer to OffsetsForLeaderEpoch: where <paramref name="epoch"/> ended in this log.</summary>
    public EpochEndOffset EndOffsetForEpoch(int currentLeaderEpoch, int epoch)
    {
        lock (_lock)
        {
            var error = Role != ReplicaRole.Leader ? ErrorCode.NotLeaderOrFollower
                : currentLeaderEpoch < LeaderEpoch ? ErrorCode.FencedLeaderEpoch
                : currentLeaderEpoch > LeaderEpoch ? ErrorCode.UnknownLeaderEpoch
                : ErrorCode.None;
            if (error != ErrorCode.None)
            {
                return new EpochEndOffset(Id.Topic, Id.Partition, error, string.Create(CultureInfo.InvariantCulture,
                    $"Broker {BrokerId} is {Role} of {Id} at leader epoch {LeaderEpoch}; asked at {currentLeaderEpoch}."), -1, -1);
            }
            var (found, end) = Log.EndOffsetForEpoch(epoch);
            return new EpochEndOffset(Id.Topic, Id.Partition, ErrorCode.None, null, found, end);
        }
    }

    /// <summary>
    /// On the leader, run every so often: proposes to drop from the ISR the followers that have not caught up
    /// with the log end within replica.lag.time.max.ms. One proposal at a time.
    /// </summary>
    public void CheckLaggingFollowers()
    {
        lock (_lock)
        {
            if (Role != ReplicaRole.Leader || _proposedIsr is not null)
            {
                return;
            }
            var now = NowMs;
            var logEnd = Log.LogEndOffset;
            List<int>? keep = null;
            foreach (var member in Isr)
            {
                if (member != BrokerId && _followers.TryGetValue(member, out var progress) && progress.IsLagging(logEnd, now, _maxLagMs))
                {
                    keep ??= [.. Isr];
                    keep.Remove(member);
                }
            }
            if (keep is not null)
            {
                ProposeLocked(keep);
            }
        }
    }

    /// <summary>The pending ISR proposal, to send to the controller; null when there is none.</summary>
    public AlterPartitionItem? TakeProposal()
    {
        lock (_lock)
        {
            return _proposedIsr is { } isr && Role == ReplicaRole.Leader
                ? new AlterPartitionItem(Id.Topic, TopicId, Id.Partition, LeaderEpoch, PartitionEpoch, isr,
                    [.. isr.Select(member => _followers.TryGetValue(member, out var progress) ? progress.BrokerEpoch : -1L)])
                : null;
        }
    }

    /// <summary>
    /// The controller's answer to a proposal (null when the call failed): accepted, its metadata is applied;
    /// refused or failed, the proposal is dropped, and the next fetch or lag check proposes again if still due.
    /// </summary>
    public void CompleteProposal(AlterPartitionItem item, AlterPartitionResult? result)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            if (!ReferenceEquals(_proposedIsr, item.NewIsr))
            {
                return;
            }
            _proposedIsr = null;
            if (result is { Error: ErrorCode.None, Metadata: { } metadata })
            {
                ApplyLocked(metadata);
            }
            if (AdvanceHighWatermarkLocked())
            {
                SignalLocked();
            }
        }
    }

    private void ProposeLocked(IReadOnlyList<int> isr)
    {
        _proposedIsr = isr;
        _onProposal?.Invoke(this);
    }

    // The lowest log end among the ISR and the proposed ISR together: a member on its way out still holds
    // the high watermark back until the controller confirms it left, one on its way in already does.
    private bool AdvanceHighWatermarkLocked()
    {
        if (Role != ReplicaRole.Leader)
        {
            return false;
        }
        var highWatermark = Log.LogEndOffset;
        if (!LowerToMembers(Isr, ref highWatermark) || _proposedIsr is { } proposed && !LowerToMembers(proposed, ref highWatermark))
        {
            return false;
        }
        if (highWatermark <= _highWatermark)
        {
            return false;
        }
        Volatile.Write(ref _highWatermark, highWatermark);
        return true;
    }

    private bool LowerToMembers(IReadOnlyList<int> members, ref long highWatermark)
    {
        foreach (var member in members)
        {
            if (member == BrokerId)
            {
                continue;
            }
            if (!_followers.TryGetValue(member, out var progress) || progress.LogEndOffset < 0)
            {
                return false;
            }
            highWatermark = Math.Min(highWatermark, progress.LogEndOffset);
        }
        return true;
    }

    /// <summary>As follower: the epoch to ask the leader about before fetching, or null when truncation is done (or not a follower).</summary>
    public int? EpochToTruncateBy()
    {
        lock (_lock)
        {
            if (Role != ReplicaRole.Follower || _truncated)
            {
                return null;
            }
            var latest = Log.LatestEpoch;
            if (latest < 0)
            {
                _truncated = true;
                return null;
            }
            return latest;
        }
    }

    /// <summary>
    /// As follower: applies the leader's answer to the epoch asked (at leader epoch
    /// <paramref name="askedAtLeaderEpoch"/>; a stale answer is ignored): truncates, and returns true once the
    /// follower may fetch.
    /// </summary>
    public bool ApplyEpochEndOffset(int askedAtLeaderEpoch, EpochEndOffset answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_lock)
        {
            if (Role != ReplicaRole.Follower || LeaderEpoch != askedAtLeaderEpoch || answer.Error != ErrorCode.None)
            {
                return _truncated;
            }
            var (followerEpoch, followerEnd) = answer.Epoch < 0 ? (-1, -1L) : Log.EndOffsetForEpoch(answer.Epoch);
            var (offset, complete) = EpochTruncation.Decide(answer.Epoch, answer.EndOffset, followerEpoch, followerEnd, Log.LogStartOffset, Log.LogEndOffset);
            if (offset < Log.LogEndOffset)
            {
                Log.TruncateTo(offset);
            }
            if (_highWatermark > Log.LogEndOffset)
            {
                Volatile.Write(ref _highWatermark, Log.LogEndOffset);
            }
            _truncated = complete || Log.LatestEpoch < 0;
            SignalLocked();
            return _truncated;
        }
    }

    /// <summary>As follower: ready to fetch at this leader epoch (truncation done).</summary>
    public bool IsFollowing(out int leaderEpoch, out long fetchOffset)
    {
        lock (_lock)
        {
            leaderEpoch = LeaderEpoch;
            fetchOffset = Log.LogEndOffset;
            return Role == ReplicaRole.Follower && _truncated;
        }
    }

    /// <summary>
    /// As follower: appends what the leader sent for a fetch made at <paramref name="fetchedAtLeaderEpoch"/>
    /// from <paramref name="fetchOffset"/> (ignored if the epoch or the log end moved meanwhile), and takes the
    /// leader's high watermark and log start. A leader whose log starts above this log's end makes it start over there.
    /// Returns the bytes appended.
    /// </summary>
    public int AppendFromLeader(int fetchedAtLeaderEpoch, long fetchOffset, ReplicaFetchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_lock)
        {
            if (Role != ReplicaRole.Follower || LeaderEpoch != fetchedAtLeaderEpoch || !_truncated || Log.LogEndOffset != fetchOffset)
            {
                return 0;
            }
            if (result.Error == ErrorCode.OffsetOutOfRange)
            {
                if (Log.LogEndOffset < result.LogStartOffset)
                {
                    Log.TruncateFullyAndStartAt(result.LogStartOffset);
                }
                else if (result.LogEndOffset >= 0 && Log.LogEndOffset > result.LogEndOffset)
                {
                    Log.TruncateTo(result.LogEndOffset);
                }
                return 0;
            }
            if (result.Error != ErrorCode.None)
            {
                return 0;
            }
            if (result.Records.Length > 0)
            {
                Log.AppendAsFollower(result.Records);
            }
            if (result.LogStartOffset > Log.LogStartOffset)
            {
                // The leader's retention or a DeleteRecords moved its start: the follower's follows (as Kafka's).
                Log.AdvanceLogStartOffset(Math.Min(result.LogStartOffset, Log.LogEndOffset));
            }
            Volatile.Write(ref _highWatermark, Math.Min(result.HighWatermark, Log.LogEndOffset));
            SignalLocked();
            return result.Records.Length;
        }
    }

    private void EnsureLeader()
    {
        lock (_lock)
        {
            EnsureLeaderLocked();
        }
    }

    private void EnsureLeaderLocked()
    {
        if (Role != ReplicaRole.Leader)
        {
            var leader = Leader == PartitionMetadata.NoLeader ? "it has no leader now" : $"broker {Leader} leads it";
            throw new KafkaException(ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} does not lead {Id} ({leader}, leader epoch {LeaderEpoch}). Refresh the metadata.");
        }
    }

    private async Task WaitForEarlierSequencesAsync(ReadOnlyMemory<byte> batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return;
        }
        var header = RecordBatchHeader.Read(batch.Span);
        if (!header.HasProducerId || header.BaseSequence <= 0)
        {
            return;
        }
        var started = _time.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (Log.GetProducerState(header.ProducerId) is not { } state
                    || state.ProducerEpoch != header.ProducerEpoch
                    || state.LastSequence < 0
                    || header.BaseSequence <= state.LastSequence + 1
                    || Role != ReplicaRole.Leader)
                {
                    return;
                }
                changed = _changed.Task;
            }
            var left = _sequenceWait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return; // the log refuses it with OUT_OF_ORDER_SEQUENCE_NUMBER
            }
            await WaitAsync(changed, left);
        }
    }

    private async Task WaitForDataAsync(long offset, int maxWaitMs)
    {
        var started = _time.GetTimestamp();
        var wait = TimeSpan.FromMilliseconds(maxWaitMs);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_highWatermark > offset || Role != ReplicaRole.Leader)
                {
                    return;
                }
                changed = _changed.Task;
            }
            var left = wait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }
            await WaitAsync(changed, left);
        }
    }

    // Wakes when the signal fires, or after the timeout.
    private async Task WaitAsync(Task changed, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(timeout, _time, cancel.Token);
        if (await Task.WhenAny(changed, delay) == changed)
        {
            await cancel.CancelAsync();
        }
    }

    private void SignalLocked()
    {
        var signal = _changed;
        _changed = NewSignal();
        signal.TrySetResult();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static IReadOnlyList<int> WithReplica(IReadOnlyList<int> isr, int replica) => [.. isr, replica];

    private static bool Contains(IReadOnlyList<int> brokers, int broker)
    {
        for (var i = 0; i < brokers.Count; i++)
        {
            if (brokers[i] == broker)
            {
                return true;
            }
        }
        return false;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
