using Orlog.Log;
using Orlog.Records;

namespace Orlog.Grains.Partitions;

/// <summary>
/// One replica of a partition on this broker, as a plain object with its log: its role and epochs from the
/// controller's metadata, its ISR and high watermark, and the waits of requests (a batch whose producer
/// sequence runs ahead waits for the ones before it; a fetch at the end waits for data). Time comes from a
/// <see cref="TimeProvider"/>; it knows nothing of Orleans, so tests drive it directly.
/// <para>
/// Positions: the log's start and end offsets, and the high watermark, the offset below which every
/// in-sync replica has the records: consumers read only below it. With the ISR this replica alone, the high
/// watermark is the log end offset.
/// </para>
/// Refusals are <see cref="KafkaException"/>s with Kafka's codes; the grain in front turns them into results.
/// </summary>
public sealed class Partition
{
    // How long a batch whose producer sequence runs ahead waits for the batches before it (sent
    // concurrently, they may arrive out of order) before it is refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
    private static readonly TimeSpan _sequenceWait = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    public Partition(TopicPartition id, int brokerId, Guid topicId, PartitionLog log, TimeProvider time)
    {
        Id = id;
        BrokerId = brokerId;
        TopicId = topicId;
        Log = log;
        _time = time;
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

    public IReadOnlyList<int> Isr { get; private set; } = [];

    /// <summary>Every in-sync replica has the records below it. Meaningful on the leader.</summary>
    public long HighWatermark => Log.LogEndOffset;

    /// <summary>
    /// Applies the controller's view of this partition; metadata of an older leader epoch (a late push) is
    /// ignored. Waiting requests wake up to see the new role. Returns true when anything changed.
    /// </summary>
    public bool ApplyMetadata(PartitionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.LeaderEpoch < LeaderEpoch || metadata.LeaderEpoch == LeaderEpoch && metadata.PartitionEpoch <= PartitionEpoch)
        {
            return false;
        }
        Leader = metadata.Leader;
        LeaderEpoch = metadata.LeaderEpoch;
        PartitionEpoch = metadata.PartitionEpoch;
        Replicas = metadata.Replicas;
        Isr = metadata.Isr;
        Role = metadata.Leader == BrokerId ? ReplicaRole.Leader
            : Contains(metadata.Replicas, BrokerId) ? ReplicaRole.Follower
            : ReplicaRole.None;
        Signal();
        return true;
    }

    /// <summary>Appends one batch as the leader, at its epoch; acks=0 or 1 do not wait for an fsync unless the topic flushes every append.</summary>
    public async ValueTask<LogAppendResult> ProduceAsync(byte[] batch, short acks)
    {
        EnsureLeader();
        await WaitForEarlierSequencesAsync(batch);
        EnsureLeader();
        var result = Log.Config.FlushesEveryAppend && acks != 0
            ? await Log.AppendAsync(batch, LeaderEpoch)
            : Log.AppendAsLeader(batch, LeaderEpoch);
        Signal();
        return result;
    }

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/>, never at or above the high watermark; at the high
    /// watermark it waits up to <paramref name="maxWaitMs"/> for records. An offset between the high
    /// watermark and the log end returns nothing and no error; OFFSET_OUT_OF_RANGE only outside the log.
    /// </summary>
    public async ValueTask<(LogReadResult Read, long HighWatermark)> FetchAsync(long offset, int maxBytes, int maxWaitMs)
    {
        EnsureLeader();
        if (offset >= HighWatermark && offset <= Log.LogEndOffset && maxWaitMs > 0)
        {
            await WaitForDataAsync(offset, maxWaitMs);
            EnsureLeader();
        }
        var highWatermark = HighWatermark;
        return (Log.Read(offset, maxBytes, highWatermark), highWatermark);
    }

    /// <summary>The offset for a timestamp, or the log start (earliest) or the high watermark (latest).</summary>
    public (long Offset, long Timestamp) ListOffset(long timestamp)
    {
        EnsureLeader();
        return timestamp switch
        {
            OffsetSpec.Earliest => (Log.LogStartOffset, -1L),
            OffsetSpec.Latest => (HighWatermark, -1L),
            _ => Log.OffsetForTimestamp(timestamp) is { } found && found.Offset < HighWatermark ? found : (-1L, -1L),
        };
    }

    private void EnsureLeader()
    {
        if (Role != ReplicaRole.Leader)
        {
            var leader = Leader == PartitionMetadata.NoLeader ? "it has no leader now" : $"broker {Leader} leads it";
            throw new KafkaException(ErrorCode.NotLeaderOrFollower, $"Broker {BrokerId} does not lead {Id} ({leader}, leader epoch {LeaderEpoch}). Refresh the metadata.");
        }
    }

    private async Task WaitForEarlierSequencesAsync(byte[] batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return;
        }
        var header = RecordBatchHeader.Read(batch);
        if (!header.HasProducerId || header.BaseSequence <= 0)
        {
            return;
        }
        var started = _time.GetTimestamp();
        while (Log.GetProducerState(header.ProducerId) is { } state
            && state.ProducerEpoch == header.ProducerEpoch
            && state.LastSequence >= 0
            && header.BaseSequence > state.LastSequence + 1
            && Role == ReplicaRole.Leader)
        {
            var left = _sequenceWait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return; // the log refuses it with OUT_OF_ORDER_SEQUENCE_NUMBER
            }
            await WaitForChangeAsync(left);
        }
    }

    private async Task WaitForDataAsync(long offset, int maxWaitMs)
    {
        var started = _time.GetTimestamp();
        var wait = TimeSpan.FromMilliseconds(maxWaitMs);
        while (HighWatermark <= offset && Role == ReplicaRole.Leader)
        {
            var left = wait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }
            await WaitForChangeAsync(left);
        }
    }

    // Wakes on the next append or metadata change, or after the timeout.
    private async Task WaitForChangeAsync(TimeSpan timeout)
    {
        var changed = _changed.Task;
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(timeout, _time, cancel.Token);
        if (await Task.WhenAny(changed, delay) == changed)
        {
            await cancel.CancelAsync();
        }
    }

    private void Signal()
    {
        var signal = _changed;
        _changed = NewSignal();
        signal.TrySetResult();
    }

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
