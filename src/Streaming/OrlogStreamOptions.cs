using Orlog.Records;

namespace Orlog.Streaming;

/// <summary>
/// An Orlog stream provider's settings. Every stream namespace the provider carries is listed up front (Orleans
/// balances a fixed set of queues: one per partition of each namespace's topic).
/// </summary>
public sealed class OrlogStreamOptions
{
    /// <summary>The stream namespaces this provider carries. Each maps to a topic: its entry in <see cref="Topics"/>, else the topic of the same name.</summary>
    public List<string> Namespaces { get; } = [];

    /// <summary>Per-namespace topic names, for namespaces whose topic is not named after them.</summary>
    public Dictionary<string, string> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The partition count of every topic the provider uses: the queues Orleans balances, and the partitioner's modulus.
    /// An existing topic with another count is refused (INVALID_PARTITIONS) rather than silently misrouted.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Create a missing topic on first use (with <see cref="Partitions"/> and <see cref="ReplicationFactor"/>); off by default, as auto.create.topics.enable.</summary>
    public bool AutoCreateTopics { get; set; }

    /// <summary>Replicas of a topic the provider creates; -1 for the cluster's default.replication.factor.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>How events become record values: Orleans' serializer (the default) or System.Text.Json (for Kafka clients and the CLI to read and write).</summary>
    public EventFormat Format { get; set; } = EventFormat.Orleans;

    /// <summary>The consumer group the pulling agents commit under; the provider's name when not set.</summary>
    public string? GroupId { get; set; }

    /// <summary>Where a partition is read from when its group has no committed offset.</summary>
    public StartPosition StartFrom { get; set; } = StartPosition.Earliest;

    /// <summary>How long one fetch waits at the log's end for records (the receiver long-polls: an append wakes it at once).</summary>
    public TimeSpan FetchWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the receiver keeps polling an idle partition before it hands control back to the pulling agent.</summary>
    public TimeSpan IdleReturn { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most bytes of record batches one fetch of a partition returns.</summary>
    public int MaxFetchBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How often, at most, a receiver commits its progress while events flow (auto.commit.interval.ms's role; it also
    /// commits when its partition goes idle and when its queue moves). A longer interval costs less and redelivers more
    /// after a silo dies.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most events of one stream a subscriber is handed in one delivery (Orleans' BatchContainerBatchSize): more
    /// is faster (fewer calls), but a delivery fails or succeeds as a whole, so an event a subscriber keeps failing
    /// takes the other events of its delivery to the dead-letter topic with it (and those before it in the delivery are
    /// given again on each attempt). 1, the default, isolates each event.
    /// </summary>
    public int DeliveryBatchSize { get; set; } = 1;

    /// <summary>How many times a subscriber is given an event it fails (throws, or does not answer) before the event goes to the dead-letter topic <c>&lt;topic&gt;.dlq</c>.</summary>
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>The wait between a subscriber's attempts at an event.</summary>
    public TimeSpan DeliveryRetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Orleans' pulling agent retries a delivery for a time, not a count: the time that gives
    /// <see cref="DeliveryAttempts"/> attempts at <see cref="DeliveryRetryBackoff"/> apart. A subscriber that cannot be
    /// reached for longer (its silo dying) has the event dead-lettered too: kept, not lost.
    /// </summary>
    public TimeSpan DeliveryRetryTime => (DeliveryRetryBackoff * (DeliveryAttempts - 1)) + (DeliveryRetryBackoff / 2);

    /// <summary>The topic of a namespace: its <see cref="Topics"/> entry or its own name.</summary>
    public string TopicOf(string streamNamespace) => Topics.TryGetValue(streamNamespace, out var topic) ? topic : streamNamespace;

    /// <summary>The settings as a whole are usable; throws <see cref="ArgumentException"/> naming what is not.</summary>
    public void Validate(string providerName)
    {
        if (Namespaces.Count == 0)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}' lists no stream namespaces: add them to {nameof(Namespaces)}.");
        }
        if (Namespaces.Any(string.IsNullOrEmpty) || Namespaces.Distinct(StringComparer.Ordinal).Count() != Namespaces.Count)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(Namespaces)} has an empty or repeated name ({string.Join(", ", Namespaces)}).");
        }
        if (GroupId is not null && string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(GroupId)} is blank; leave it unset for the provider's name.");
        }
        if (ReplicationFactor is 0 or < -1)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(ReplicationFactor)} is {ReplicationFactor}; -1 (the cluster's default) or at least 1.");
        }
        if (IdleReturn <= TimeSpan.Zero || MaxFetchBytes < 1)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(IdleReturn)} and {nameof(MaxFetchBytes)} must be above 0 ({IdleReturn}, {MaxFetchBytes}).");
        }
        if (Partitions < 1)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(Partitions)} is {Partitions}, at least 1 is needed.");
        }
        foreach (var streamNamespace in Namespaces)
        {
            var topic = TopicOf(streamNamespace);
            if (!TopicName.IsValid(topic) || !TopicName.IsValid(topic + ".dlq"))
            {
                throw new ArgumentException(
                    $"Orlog stream provider '{providerName}': namespace '{streamNamespace}' maps to topic '{topic}', which is not a valid topic name (1 to {TopicName.MaxLength} of a-z, A-Z, 0-9, '.', '_', '-'); map it with {nameof(Topics)}.");
            }
        }
        if (DeliveryAttempts < 1 || DeliveryRetryBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(DeliveryAttempts)} must be at least 1 and {nameof(DeliveryRetryBackoff)} above 0 ({DeliveryAttempts}, {DeliveryRetryBackoff}).");
        }
        if (DeliveryBatchSize < 1)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(DeliveryBatchSize)} is {DeliveryBatchSize}, at least 1 is needed.");
        }
        if (CommitInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(CommitInterval)} is {CommitInterval}, it must be above 0.");
        }
        if (FetchWait <= TimeSpan.Zero || FetchWait > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException($"Orlog stream provider '{providerName}': {nameof(FetchWait)} is {FetchWait}, it must be above 0 and at most 10 s.");
        }
    }
}

/// <summary>How events are written as record values.</summary>
public enum EventFormat
{
    /// <summary>Orleans' serializer, with the event's type: any serializable event, read back by Orleans.</summary>
    Orleans,

    /// <summary>System.Text.Json: readable and writable by Kafka clients, the SDK and the CLI.</summary>
    Json,
}

/// <summary>Where a partition is first read from.</summary>
public enum StartPosition
{
    /// <summary>The log's start: every event still kept.</summary>
    Earliest,

    /// <summary>The log's end: only events produced from now on.</summary>
    Latest,
}
