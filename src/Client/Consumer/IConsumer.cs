namespace Orlog.Client;

/// <summary>
/// Reads records, as Confluent.Kafka's IConsumer: either <see cref="Subscribe(IEnumerable{string})"/> to topics as a
/// member of the consumer group group.id (the group shares the partitions out among its members), or
/// <see cref="Assign(IEnumerable{TopicPartitionOffset})"/> partitions yourself; then <see cref="Consume(TimeSpan)"/> or
/// <see cref="ConsumeAllAsync"/>. A background fetch per broker keeps records coming ahead of Consume (bounded by
/// queued.max.messages.kbytes). Consume from one thread at a time: the rebalance handlers run inside Consume, on
/// that thread. Progress is kept as committed offsets in the group (<see cref="Commit()"/>, enable.auto.commit).
/// </summary>
/// <typeparam name="TKey">The key's type.</typeparam>
/// <typeparam name="TValue">The value's type.</typeparam>
public interface IConsumer<TKey, TValue> : IDisposable, IAsyncDisposable
{
    /// <summary>The client.id of this consumer.</summary>
    string Name { get; }

    /// <summary>The partitions assigned (by <see cref="Assign(IEnumerable{TopicPartitionOffset})"/>, or by the group).</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>The topics subscribed to, as given (a name starting with '^' is a regular expression); empty when not subscribed.</summary>
    IReadOnlyList<string> Subscription { get; }

    /// <summary>This consumer's member id in its group; empty before it joined.</summary>
    string MemberId { get; }

    /// <summary>The group, member id and epoch now (for SendOffsetsToTransaction); null without a group.id.</summary>
    IConsumerGroupMetadata? ConsumerGroupMetadata { get; }

    /// <summary>
    /// Joins the consumer group group.id to read <paramref name="topics"/> (replacing an earlier subscription); the group
    /// assigns partitions to its members and the handlers of the builder are told inside Consume. A topic starting with
    /// '^' is a regular expression (.NET syntax) that must match a topic's whole name; topics created later that match
    /// are picked up.
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">INVALID_GROUP_ID when group.id is not set.</exception>
    /// <exception cref="InvalidOperationException">Partitions are assigned with Assign: Subscribe and Assign are exclusive.</exception>
    /// <exception cref="ArgumentException">No topic given, or a regular expression that does not parse.</exception>
    void Subscribe(IEnumerable<string> topics);

    /// <summary>Subscribes to one topic (or, starting with '^', a regular expression); see <see cref="Subscribe(IEnumerable{string})"/>.</summary>
    void Subscribe(string topic);

    /// <summary>
    /// Leaves the group: the revoked handler runs, stored offsets are committed with enable.auto.commit, and every
    /// partition is dropped.
    /// </summary>
    void Unsubscribe();

    /// <summary>
    /// Replaces the assignment: each partition starts at its offset (<see cref="Offset.Beginning"/>, <see cref="Offset.End"/>,
    /// a number, or <see cref="Offset.Unset"/> for the group's committed offset with group.id, else auto.offset.reset).
    /// </summary>
    /// <exception cref="Orlog.Client.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist.</exception>
    /// <exception cref="InvalidOperationException">The consumer is subscribed: Subscribe and Assign are exclusive.</exception>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Replaces the assignment; each partition starts where auto.offset.reset says.</summary>
    /// <exception cref="Orlog.Client.KafkaException">UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist.</exception>
    void Assign(IEnumerable<TopicPartition> partitions);

    /// <summary>Assigns one partition at an offset (replacing the assignment).</summary>
    void Assign(TopicPartitionOffset partition);

    /// <summary>Removes every partition.</summary>
    void Unassign();

    /// <summary>Adds partitions to a hand-made assignment, each at its offset (Unset: the committed offset, else auto.offset.reset).</summary>
    void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>Adds partitions to a hand-made assignment, each at its committed offset, else where auto.offset.reset says.</summary>
    void IncrementalAssign(IEnumerable<TopicPartition> partitions);

    /// <summary>Takes partitions out of a hand-made assignment; the others go on.</summary>
    void IncrementalUnassign(IEnumerable<TopicPartition> partitions);

    /// <summary>Moves an assigned partition to an offset: the next record consumed from it is there.</summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    void Seek(TopicPartitionOffset position);

    /// <summary>Stops fetching and returning records of these partitions until <see cref="Resume"/>.</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    /// <summary>Fetches and returns records of paused partitions again, from where consuming stopped.</summary>
    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>The offset of the next record Consume returns for the partition (<see cref="Offset.Unset"/> while unknown).</summary>
    Offset Position(TopicPartition partition);

    /// <summary>The next record, or null when none arrives within <paramref name="timeout"/>.</summary>
    /// <exception cref="ConsumeException">A partition failed (for example OFFSET_OUT_OF_RANGE with auto.offset.reset=none), or a record did not deserialize.</exception>
    ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout);

    /// <summary>The next record within <paramref name="millisecondsTimeout"/>, or null.</summary>
    ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout);

    /// <summary>The next record, waiting as long as it takes.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ConsumeException">A partition failed, or a record did not deserialize.</exception>
    ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken = default);

    /// <summary>The next record without blocking a thread, or null when none arrives within <paramref name="timeout"/>.</summary>
    ValueTask<ConsumeResult<TKey, TValue>?> ConsumeAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Every record as it arrives, until the token is cancelled (then the stream ends without throwing).</summary>
    IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The log start offset and high watermark last seen by fetching (<see cref="Offset.Unset"/> before the first fetch).</summary>
    WatermarkOffsets GetWatermarkOffsets(TopicPartition partition);

    /// <summary>Asks the partition's leader for its log start offset and high watermark.</summary>
    /// <exception cref="Orlog.Client.KafkaException">The partition does not exist, or the broker did not answer within <paramref name="timeout"/>.</exception>
    WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout);

    /// <summary>
    /// How far the partition's position is behind its high watermark, as last seen by fetching (no request is made);
    /// null while either is unknown.
    /// </summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    long? CurrentLag(TopicPartition partition);

    /// <summary>
    /// Stores the offset after <paramref name="result"/> (its offset + 1) as the partition's progress, for the next
    /// commit. With enable.auto.offset.store (the default) Consume does this for every record it returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    void StoreOffset(ConsumeResult<TKey, TValue> result);

    /// <summary>Stores <paramref name="offset"/> (the next offset to read) as the partition's progress, for the next commit.</summary>
    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    void StoreOffset(TopicPartitionOffset offset);

    /// <summary>Commits the stored offsets of the partitions this consumer has, and waits for it.</summary>
    /// <returns>The offsets committed.</returns>
    /// <exception cref="Orlog.Client.KafkaException">
    /// The group refused the commit, with its code: UNKNOWN_MEMBER_ID or FENCED_MEMBER_EPOCH (the partitions were given to
    /// another member), STALE_MEMBER_EPOCH, ILLEGAL_GENERATION, INVALID_GROUP_ID (no group.id), ...
    /// </exception>
    IReadOnlyList<TopicPartitionOffset> Commit();

    /// <summary>Commits the given offsets (each the next offset to read) and waits for it.</summary>
    /// <exception cref="Orlog.Client.KafkaException">The group refused the commit, with its code.</exception>
    void Commit(IEnumerable<TopicPartitionOffset> offsets);

    /// <summary>Commits the offset after <paramref name="result"/> (its offset + 1) and waits for it.</summary>
    /// <exception cref="Orlog.Client.KafkaException">The group refused the commit, with its code.</exception>
    void Commit(ConsumeResult<TKey, TValue> result);

    /// <summary>Commits the stored offsets of the partitions this consumer has; see <see cref="Commit()"/>.</summary>
    Task<IReadOnlyList<TopicPartitionOffset>> CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Commits the given offsets; see <see cref="Commit(IEnumerable{TopicPartitionOffset})"/>.</summary>
    Task CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>The group's committed offsets of <paramref name="partitions"/> (<see cref="Offset.Unset"/> where none).</summary>
    /// <exception cref="Orlog.Client.KafkaException">INVALID_GROUP_ID without group.id; REQUEST_TIMED_OUT when no answer came within <paramref name="timeout"/>.</exception>
    IReadOnlyList<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>The group's committed offsets of every partition assigned (Unset for none).</summary>
    List<TopicPartitionOffset> Committed(TimeSpan timeout);

    /// <summary>The first offset of each partition at or after the timestamp given (End when none is).</summary>
    List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout);

    /// <summary>
    /// Leaves the group (committing stored offsets first with enable.auto.commit, after the revoked handler) and stops
    /// fetching; the consumer cannot be used afterwards. A static member (group.instance.id) keeps its partitions for
    /// session.timeout.ms, to have them back when it restarts.
    /// </summary>
    void Close();
}
